//! Everything inside a clinic: `/c/{slug}/...`.

mod admin_page;
mod audit_page;
mod layout;
mod my_records_page;
mod patient_page;
mod patient_search;
mod portal_card;
mod portal_fns;
mod server_fns;
mod team_pages;

pub use admin_page::AdminDashboardPage;
pub use audit_page::ClinicAuditPage;
pub use layout::{ClinicHome, ClinicLayout};
pub use my_records_page::MyRecordsPage;
pub use patient_page::PatientPage;
pub use patient_search::{PatientsPage, ReceptionDashboardPage};
pub use portal_fns::*;
pub use server_fns::*;
pub use team_pages::{DoctorDashboardPage, LabDashboardPage, NurseDashboardPage};

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The clinic slug of the current URL.
pub fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()))
}
