//! Single sign-on pages: the clinic admin's settings and approvals, and the
//! page someone waiting for approval sees.

mod requested_page;
mod server_fns;
mod settings_page;

pub use requested_page::SsoRequestedPage;
pub use server_fns::*;
pub use settings_page::SsoSettingsPage;
