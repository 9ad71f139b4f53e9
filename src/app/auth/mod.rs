//! Signing in and out, staying signed in, choosing a clinic.

mod choose_clinic_page;
mod login_page;
mod server_fns;

pub use choose_clinic_page::ChooseClinicPage;
pub use login_page::LoginPage;
pub use server_fns::*;
