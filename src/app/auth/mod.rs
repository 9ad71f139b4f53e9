//! Signing in and out, staying signed in, choosing a clinic, resetting a
//! forgotten password.

mod choose_clinic_page;
mod link_problem;
mod login_page;
mod password_reset_fns;
mod password_reset_pages;
mod server_fns;

pub use choose_clinic_page::ChooseClinicPage;
pub use link_problem::LinkProblem;
pub use login_page::LoginPage;
pub use password_reset_fns::*;
pub use password_reset_pages::{ForgotPasswordPage, RESET_SENT, ResetPasswordPage};
pub use server_fns::*;
