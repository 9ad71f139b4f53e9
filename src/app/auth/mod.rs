//! Signing in and out, staying signed in, choosing a clinic, accepting an
//! invitation, resetting a forgotten password.

mod accept_invitation_page;
mod choose_clinic_page;
mod invitation_fns;
mod link_problem;
mod login_page;
mod password_reset_fns;
mod password_reset_pages;
mod server_fns;

pub use accept_invitation_page::AcceptInvitationPage;
pub use choose_clinic_page::ChooseClinicPage;
pub use invitation_fns::*;
pub use link_problem::LinkProblem;
pub use login_page::LoginPage;
pub use password_reset_fns::*;
pub use password_reset_pages::{ForgotPasswordPage, RESET_SENT, ResetPasswordPage};
pub use server_fns::*;
