//! `/account`: a person's profile, password and sessions.

mod account_page;
mod server_fns;

pub use account_page::AccountPage;
pub use server_fns::*;
