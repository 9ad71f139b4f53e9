//! The public clinic directory: where a patient or new staff member finds
//! their clinic.

mod directory_page;
mod list_clinics;

pub use directory_page::ClinicDirectoryPage;
pub use list_clinics::{ListClinics, list_clinics};
