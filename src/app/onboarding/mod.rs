//! Clinic onboarding: "Register your hospital" (public, three steps and an
//! emailed confirmation) and the platform admin's registrations page.

mod confirm_pages;
mod register_page;
mod registrations_page;
mod server_fns;

pub use confirm_pages::{ConfirmRegistrationPage, RegistrationConfirmedPage, RegistrationSentPage};
pub use register_page::RegisterPage;
pub use registrations_page::RegistrationsPage;
pub use server_fns::*;
