//! Who may do what: one matrix, consulted by every server function and page.
//! The UI hides what a role cannot use; the server checks the same table.

use serde::{Deserialize, Serialize};

use super::role::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Every clinic on the platform, with counts and sign-ins.
    ViewAllClinics,
    /// Clinic settings, staff and departments.
    ManageClinic,
    /// Search and open the clinic's patient records.
    ViewClinicPatients,
    RegisterPatients,
    CheckInPatients,
    /// Invite a patient to the portal from their record.
    InvitePatients,
    /// Consult, diagnose, prescribe and request tests.
    Consult,
    /// Lead a department: its staff and its caseload.
    LeadDepartment,
    /// Record vitals and nursing notes.
    RecordNursingCare,
    UploadTestReports,
    /// A patient's own records, through the portal.
    ViewOwnRecords,
    /// A patient's own phone, email, address and emergency contact.
    UpdateOwnContactDetails,
    ViewAnalytics,
    ViewAuditLog,
    /// One's department, colleagues and recently opened patients: the
    /// dashboard of the clinical and laboratory staff.
    ViewTeam,
    /// The clinic's appointment calendar: who is booked when.
    ViewAppointments,
    /// Booking, moving, cancelling and checking in anyone's appointments.
    BookAppointments,
    /// Changing doctors' weekly hours and exceptions (whose: see
    /// `server::schedules::may_edit`).
    EditSchedules,
    /// Booking and cancelling one's own appointments in the portal.
    BookOwnAppointments,
    /// Asking for a patient to be seen again by a date (a follow-up): the
    /// doctors, and the front desk noting a doctor's word.
    AddFollowUps,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::ViewAllClinics,
        Permission::ManageClinic,
        Permission::ViewClinicPatients,
        Permission::RegisterPatients,
        Permission::CheckInPatients,
        Permission::InvitePatients,
        Permission::Consult,
        Permission::LeadDepartment,
        Permission::RecordNursingCare,
        Permission::UploadTestReports,
        Permission::ViewOwnRecords,
        Permission::UpdateOwnContactDetails,
        Permission::ViewAnalytics,
        Permission::ViewAuditLog,
        Permission::ViewTeam,
        Permission::ViewAppointments,
        Permission::BookAppointments,
        Permission::EditSchedules,
        Permission::BookOwnAppointments,
        Permission::AddFollowUps,
    ];
}

/// How much of the analytics a role sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnalyticsScope {
    Platform,
    Clinic,
    Department,
    /// A doctor's own patients and consultations.
    Own,
    FrontDesk,
}

impl Role {
    /// The permission matrix.
    pub fn can(self, permission: Permission) -> bool {
        use Permission as P;
        use Role as R;
        match permission {
            P::ViewAllClinics => self == R::PlatformAdmin,
            P::ManageClinic => matches!(self, R::PlatformAdmin | R::ClinicAdmin),
            P::ViewClinicPatients => matches!(
                self,
                R::ClinicAdmin | R::Doctor | R::HeadOfDepartment | R::Receptionist | R::Nurse
            ),
            P::RegisterPatients | P::CheckInPatients | P::InvitePatients => self == R::Receptionist,
            P::Consult => matches!(self, R::Doctor | R::HeadOfDepartment),
            P::LeadDepartment => self == R::HeadOfDepartment,
            P::RecordNursingCare => self == R::Nurse,
            P::UploadTestReports => matches!(self, R::LabTechnician | R::ClinicAdmin),
            P::ViewOwnRecords | P::UpdateOwnContactDetails => self == R::Patient,
            P::ViewAnalytics => self.analytics_scope().is_some(),
            P::ViewAuditLog => matches!(self, R::PlatformAdmin | R::ClinicAdmin),
            P::ViewTeam => matches!(
                self,
                R::ClinicAdmin | R::Doctor | R::HeadOfDepartment | R::LabTechnician | R::Nurse
            ),
            P::ViewAppointments => matches!(
                self,
                R::ClinicAdmin | R::Doctor | R::HeadOfDepartment | R::Receptionist | R::Nurse
            ),
            P::BookAppointments => self == R::Receptionist,
            P::EditSchedules => matches!(self, R::ClinicAdmin | R::Doctor | R::HeadOfDepartment),
            P::BookOwnAppointments => self == R::Patient,
            P::AddFollowUps => matches!(self, R::Doctor | R::HeadOfDepartment | R::Receptionist),
        }
    }

    /// Every role, those holding `permissions` first: the roles holding the
    /// first permission, then those holding the second, and so on, then the
    /// rest (each part in [`Role::ALL`]'s order). An API call names no role,
    /// so a person with several roles in a clinic makes it in the first of
    /// theirs in this order: the one that may make it, as the handler
    /// prefers (the queue: the front desk's view before a doctor's).
    pub fn preferring(permissions: &[Permission]) -> Vec<Role> {
        let mut order: Vec<Role> = Vec::with_capacity(Role::ALL.len());
        let holders = permissions
            .iter()
            .flat_map(|p| Role::ALL.into_iter().filter(move |r| r.can(*p)));
        for role in holders.chain(Role::ALL) {
            if !order.contains(&role) {
                order.push(role);
            }
        }
        order
    }

    pub fn analytics_scope(self) -> Option<AnalyticsScope> {
        match self {
            Role::PlatformAdmin => Some(AnalyticsScope::Platform),
            Role::ClinicAdmin => Some(AnalyticsScope::Clinic),
            Role::HeadOfDepartment => Some(AnalyticsScope::Department),
            Role::Doctor => Some(AnalyticsScope::Own),
            Role::Receptionist => Some(AnalyticsScope::FrontDesk),
            Role::LabTechnician | Role::Nurse | Role::Patient => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission as P;
    use Role as R;

    #[test]
    fn roles_holding_the_permissions_come_first_in_the_handlers_order() {
        assert_eq!(
            Role::preferring(&[P::RecordNursingCare]),
            [
                R::Nurse,
                R::PlatformAdmin,
                R::ClinicAdmin,
                R::Doctor,
                R::HeadOfDepartment,
                R::Receptionist,
                R::LabTechnician,
                R::Patient
            ]
        );
        let queue = Role::preferring(&[P::CheckInPatients, P::Consult, P::RecordNursingCare]);
        assert_eq!(
            queue[..4],
            [R::Receptionist, R::Doctor, R::HeadOfDepartment, R::Nurse]
        );
        // Every role, once: a person is never left out for being in none.
        assert_eq!(queue.len(), Role::ALL.len());
        assert_eq!(Role::preferring(&[]), Role::ALL);
    }

    /// The whole matrix written out, so any change to it is a visible change here.
    const EXPECTED: &[(Role, &[Permission])] = &[
        (
            R::PlatformAdmin,
            &[
                P::ViewAllClinics,
                P::ManageClinic,
                P::ViewAnalytics,
                P::ViewAuditLog,
            ],
        ),
        (
            R::ClinicAdmin,
            &[
                P::ManageClinic,
                P::ViewClinicPatients,
                P::UploadTestReports,
                P::ViewAnalytics,
                P::ViewAuditLog,
                P::ViewTeam,
                P::ViewAppointments,
                P::EditSchedules,
            ],
        ),
        (
            R::Doctor,
            &[
                P::ViewClinicPatients,
                P::Consult,
                P::ViewAnalytics,
                P::ViewTeam,
                P::ViewAppointments,
                P::EditSchedules,
                P::AddFollowUps,
            ],
        ),
        (
            R::HeadOfDepartment,
            &[
                P::ViewClinicPatients,
                P::Consult,
                P::LeadDepartment,
                P::ViewAnalytics,
                P::ViewTeam,
                P::ViewAppointments,
                P::EditSchedules,
                P::AddFollowUps,
            ],
        ),
        (
            R::Receptionist,
            &[
                P::ViewClinicPatients,
                P::RegisterPatients,
                P::CheckInPatients,
                P::InvitePatients,
                P::ViewAnalytics,
                P::ViewAppointments,
                P::BookAppointments,
                P::AddFollowUps,
            ],
        ),
        (R::LabTechnician, &[P::UploadTestReports, P::ViewTeam]),
        (
            R::Nurse,
            &[
                P::ViewClinicPatients,
                P::RecordNursingCare,
                P::ViewTeam,
                P::ViewAppointments,
            ],
        ),
        (
            R::Patient,
            &[
                P::ViewOwnRecords,
                P::UpdateOwnContactDetails,
                P::BookOwnAppointments,
            ],
        ),
    ];

    #[test]
    fn every_role_and_permission_matches_the_written_matrix() {
        assert_eq!(EXPECTED.len(), Role::ALL.len());
        for role in Role::ALL {
            let allowed = EXPECTED
                .iter()
                .find(|(r, _)| *r == role)
                .map(|(_, p)| *p)
                .unwrap_or_else(|| panic!("{role:?} missing from the table"));
            for permission in Permission::ALL {
                assert_eq!(
                    role.can(permission),
                    allowed.contains(&permission),
                    "{role:?} × {permission:?}"
                );
            }
        }
    }

    #[test]
    fn patients_see_no_one_else_and_staff_never_see_the_platform() {
        assert!(!R::Patient.can(P::ViewClinicPatients));
        for role in Role::ALL.into_iter().filter(|r| r.is_clinic_role()) {
            assert!(!role.can(P::ViewAllClinics), "{role:?}");
        }
    }

    #[test]
    fn analytics_scopes_follow_the_seed_matrix() {
        assert_eq!(R::Doctor.analytics_scope(), Some(AnalyticsScope::Own));
        assert_eq!(
            R::Receptionist.analytics_scope(),
            Some(AnalyticsScope::FrontDesk)
        );
        assert_eq!(R::Nurse.analytics_scope(), None);
    }
}
