//! The platform admin's pages: `/platform/...`.

mod jobs_page;
mod outbox_page;
mod pages;
mod server_fns;

pub use jobs_page::PlatformJobsPage;
pub use outbox_page::PlatformOutboxPage;
pub use pages::{PlatformAuditPage, PlatformDashboardPage, PlatformLayout};
pub use server_fns::*;
