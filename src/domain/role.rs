//! The roles a person can hold. Platform admin is a property of the account
//! (platform-wide, no clinic); the others are memberships in one clinic.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    PlatformAdmin,
    ClinicAdmin,
    Doctor,
    HeadOfDepartment,
    Receptionist,
    LabTechnician,
    Nurse,
    Patient,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PlatformAdmin,
        Role::ClinicAdmin,
        Role::Doctor,
        Role::HeadOfDepartment,
        Role::Receptionist,
        Role::LabTechnician,
        Role::Nurse,
        Role::Patient,
    ];

    /// The name stored in the database and in the transaction's `hms.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::ClinicAdmin => "clinic_admin",
            Role::Doctor => "doctor",
            Role::HeadOfDepartment => "head_of_department",
            Role::Receptionist => "receptionist",
            Role::LabTechnician => "lab_technician",
            Role::Nurse => "nurse",
            Role::Patient => "patient",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "Platform admin",
            Role::ClinicAdmin => "Clinic admin",
            Role::Doctor => "Doctor",
            Role::HeadOfDepartment => "Head of department",
            Role::Receptionist => "Receptionist",
            Role::LabTechnician => "Lab technician",
            Role::Nurse => "Nurse",
            Role::Patient => "Patient",
        }
    }

    /// Whether the role is held inside one clinic (a membership).
    pub fn is_clinic_role(self) -> bool {
        self != Role::PlatformAdmin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
        assert_eq!(Role::parse("Doctor"), None);
    }

    #[test]
    fn only_platform_admin_lives_outside_a_clinic() {
        let outside: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !r.is_clinic_role())
            .collect();
        assert_eq!(outside, vec![Role::PlatformAdmin]);
    }
}
