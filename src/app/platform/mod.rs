//! The platform admin's pages: `/platform/...`.

mod outbox_page;
mod pages;
mod server_fns;

pub use outbox_page::PlatformOutboxPage;
pub use pages::{PlatformAuditPage, PlatformDashboardPage, PlatformLayout};
pub use server_fns::*;
