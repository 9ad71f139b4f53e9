//! What each role's dashboard shows.

use serde::{Deserialize, Serialize};

use super::audit::AuditEntry;
use super::paging::Page;
use super::people::{Department, PatientDetails, PatientSummary, StaffMember};
use super::platform::{ClinicStats, SignInEntry};
use super::role::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub patient_count: i64,
    pub staff: Page<StaffMember>,
    pub recent_events: Vec<AuditEntry>,
}

/// Doctors, heads of department, nurses and lab technicians: their place in
/// the clinic and the patients they opened lately.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub clinic_name: String,
    pub department: Option<Department>,
    pub colleagues: Vec<StaffMember>,
    pub recently_viewed: Vec<PatientSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalView {
    pub display_name: String,
    pub email: String,
    pub clinic_name: String,
    pub record: Option<PatientDetails>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformOverview {
    pub clinics: Page<ClinicStats>,
    pub sign_ins: Vec<SignInEntry>,
}
