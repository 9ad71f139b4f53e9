//! What each role's dashboard shows.

use serde::{Deserialize, Serialize};

use super::audit::AuditEntry;
use super::paging::Page;
use super::patients::PatientSummary;
use super::role::Role;
use super::staff::{Department, StaffMember};

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
