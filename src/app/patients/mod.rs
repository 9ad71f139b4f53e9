//! Patient records: the search (also reception's front desk) and the record
//! page with its cards, and the patient cards of the role dashboards.

mod dashboard_cards;
mod demographics_fields;
mod edit_fns;
mod edit_page;
mod label_page;
mod record_page;
mod registration_fns;
mod registration_page;
mod search_page;
mod server_fns;

pub use dashboard_cards::{PatientCountTile, RecentlyViewedCard};
pub use demographics_fields::{ContactFields, DemographicsFields, FieldErrorOf};
pub use edit_fns::*;
pub use edit_page::EditPatientPage;
pub use label_page::PatientLabelPage;
pub use record_page::{PatientPage, RecordView};
pub use registration_fns::*;
pub use registration_page::RegisterPatientPage;
pub use search_page::{PatientFinder, PatientsPage, ReceptionDashboardPage};
pub use server_fns::*;
