//! The platform admin's pages: `/platform/...`.

mod pages;
mod server_fns;

pub use pages::{PlatformAuditPage, PlatformDashboardPage, PlatformLayout};
pub use server_fns::*;
