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
/// dashboards' card); both empty for someone without a department. The
/// card names the first [`COLLEAGUES_SHOWN`] by name and counts the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyDepartment {
    pub department: Option<Department>,
    pub colleagues: Vec<StaffMember>,
    /// Every active colleague in the department, those shown included.
    pub colleagues_total: i64,
}

/// Colleagues a dashboard card names: enough for a ward's team at a glance
/// on a tablet; a general medicine department of eighty would push the
/// day's queue and patients off the screen.
pub const COLLEAGUES_SHOWN: i64 = 12;

impl MyDepartment {
    /// Colleagues in the department beyond those named.
    pub fn colleagues_not_shown(&self) -> i64 {
        let shown = i64::try_from(self.colleagues.len()).unwrap_or(i64::MAX);
        (self.colleagues_total - shown).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(n: u128) -> StaffMember {
        StaffMember {
            membership_id: Uuid::from_u128(n),
            user_id: Uuid::from_u128(n),
            display_name: format!("Colleague {n}"),
            email: format!("c{n}@example.org"),
            role: Role::Doctor,
            department: None,
            active: true,
            account_active: true,
            last_login: None,
        }
    }

    #[test]
    fn the_card_counts_the_colleagues_it_does_not_name() {
        let mine = |shown: u128, total| MyDepartment {
            department: None,
            colleagues: (0..shown).map(member).collect(),
            colleagues_total: total,
        };
        assert_eq!(mine(12, 80).colleagues_not_shown(), 68);
        assert_eq!(mine(3, 3).colleagues_not_shown(), 0);
        assert_eq!(mine(0, 0).colleagues_not_shown(), 0);
        // Never a negative count, whatever the caller passes.
        assert_eq!(mine(4, 2).colleagues_not_shown(), 0);
    }
}
