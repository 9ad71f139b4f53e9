//! Staff of a clinic as the pages show them: the directory, departments,
//! a member's role and department, doctors' profiles.

pub mod doctor_profile;
pub mod membership;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::role::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub membership_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
    pub account_active: bool,
    /// The last sign-in, in the clinic's time zone.
    pub last_login: Option<crate::domain::local_time::LocalTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    pub head: Option<String>,
}

/// A member's own department and the colleagues in it (the team
/// dashboards' card); both empty for someone without a department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyDepartment {
    pub department: Option<Department>,
    pub colleagues: Vec<StaffMember>,
}
