//! A clinic admin managing one member of staff: their role, department and
//! whether they may work in the clinic.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Department;
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::invitations::parse_role_and_department;
use crate::domain::role::Role;

/// The manage form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChangeInput {
    pub role: String,
    /// A department id, or empty.
    pub department: String,
}

pub fn parse_member_change(input: &MemberChangeInput) -> Result<(Role, Option<Uuid>), AppError> {
    let mut errors = FieldErrors::new();
    let (role, department) = parse_role_and_department(&input.role, &input.department, &mut errors);
    match role {
        Some(role) if errors.is_empty() => Ok((role, department)),
        _ => Err(AppError::from(errors)),
    }
}

/// One membership, as its manage page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDetails {
    pub membership_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub active: bool,
    /// The admin looking is this person: they may not change themselves.
    pub is_self: bool,
    /// For the department field.
    pub departments: Vec<Department>,
    /// Doctors and heads of department have one (empty until filled in).
    pub doctor_profile: Option<super::doctor_profile::DoctorProfile>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_names_a_grantable_role_and_its_department() {
        let dept = "0196a5e4-0000-7000-8000-000000000001";
        let ok = parse_member_change(&MemberChangeInput {
            role: "doctor".into(),
            department: dept.into(),
        })
        .unwrap();
        assert_eq!(ok, (Role::Doctor, Some(Uuid::parse_str(dept).unwrap())));
        for (role, department, field) in [
            ("platform_admin", "", "role"),
            ("patient", "", "role"),
            ("doctor", "", "department"),
            ("nurse", "ward-3", "department"),
        ] {
            let e = parse_member_change(&MemberChangeInput {
                role: role.into(),
                department: department.into(),
            })
            .unwrap_err();
            assert!(
                e.field_message(field).is_some(),
                "{role} {department}: {e:?}"
            );
        }
    }
}
