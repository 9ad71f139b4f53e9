//! Two-factor sign-in: the second step at `/login/two-factor`, setting the
//! authenticator up, recovery codes, the account page's card, and a clinic
//! admin's policy and resets.

mod account_card;
mod clinic_cards;
mod clinic_fns;
mod recovery_codes_page;
mod second_step_page;
mod server_fns;
mod setup;

pub use account_card::TwoFactorCard;
pub use clinic_cards::{ClinicTwoFactorCard, ResetTwoFactorCard};
pub use clinic_fns::*;
pub use recovery_codes_page::RecoveryCodesPage;
pub use second_step_page::SecondStepPage;
pub use server_fns::*;
pub use setup::TwoFactorSetupPage;
