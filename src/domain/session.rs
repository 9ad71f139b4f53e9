//! What pages know about the person signed in and where they are.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::role::Role;

/// The frame of every page inside a clinic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinicFrame {
    pub clinic_id: Uuid,
    pub slug: String,
    pub clinic_name: String,
    pub role: Role,
    pub display_name: String,
    pub email: String,
    /// Seconds without activity after which the session ends.
    pub idle_timeout_secs: u64,
    /// Whether the person may switch to another clinic or role.
    pub has_other_memberships: bool,
    /// Unread notifications (counted up to a cap); None for patients,
    /// who are told by email.
    pub unread_notifications: Option<i64>,
}

/// One clinic and role a person may act in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipChoice {
    pub slug: String,
    pub clinic_name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// The frame of the platform admin's pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformFrame {
    pub display_name: String,
    pub email: String,
    pub idle_timeout_secs: u64,
}

/// The places of a signed-in person outside any clinic (their account, the
/// two-factor pages, choosing a clinic): where "home" is, and a navigation
/// that leads back into each clinic they work in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonalPlaces {
    /// The person's dashboard: the platform, their one clinic's dashboard,
    /// or the clinic chooser when there are several.
    pub home: String,
    /// (href, label) for the navigation.
    pub nav: Vec<(String, String)>,
    /// What the account menu says under the name.
    pub role_label: String,
}

/// At most this many clinics are listed in the personal navigation; the
/// rest are one click away in the chooser.
const PERSONAL_NAV_CLINICS: usize = 5;

pub fn personal_places(
    is_platform_admin: bool,
    memberships: &[MembershipChoice],
) -> PersonalPlaces {
    let home = if is_platform_admin {
        "/platform".to_string()
    } else {
        match memberships {
            [only] => only.role.dashboard_path(&only.slug),
            _ => "/choose-clinic".to_string(),
        }
    };
    let mut nav = Vec::new();
    if is_platform_admin {
        nav.push(("/platform".to_string(), "Platform".to_string()));
    }
    for m in memberships.iter().take(PERSONAL_NAV_CLINICS) {
        // One person may hold two roles in one clinic: say which is which.
        let same_clinic = memberships.iter().filter(|o| o.slug == m.slug).count() > 1;
        let label = if same_clinic {
            format!("{} · {}", m.clinic_name, m.role.label())
        } else {
            m.clinic_name.clone()
        };
        nav.push((m.role.dashboard_path(&m.slug), label));
    }
    if memberships.len() > 1 {
        nav.push(("/choose-clinic".to_string(), "All your clinics".to_string()));
    }
    nav.push(("/account".to_string(), "Your account".to_string()));
    let role_label = match (is_platform_admin, memberships) {
        (true, _) => Role::PlatformAdmin.label().to_string(),
        (false, [only]) => only.role.label().to_string(),
        (false, []) => "No clinic yet".to_string(),
        (false, many) => format!("{} clinics", many.len()),
    };
    PersonalPlaces {
        home,
        nav,
        role_label,
    }
}

/// How long before an idle sign-out the warning appears: two minutes, or half
/// the timeout when that is shorter (a short timeout in tests or by choice).
pub fn idle_warning_lead_secs(idle_timeout_secs: u64) -> u64 {
    120.min(idle_timeout_secs / 2)
}

/// Why the sign-in page is shown, from its `reason` query value.
pub fn sign_in_reason_message(reason: &str) -> Option<&'static str> {
    match reason {
        "idle" => Some(
            "You were signed out because the session was idle. Sign in to continue where you left off.",
        ),
        "expired" => Some("Your session reached its time limit. Sign in again to continue."),
        "account_disabled" => {
            Some("This account has been disabled. Contact your clinic administrator.")
        }
        "access_changed" => Some(
            "A clinic administrator changed your access. Sign in again to see where you can work now.",
        ),
        "password_reset" => Some("Your password has been changed. Sign in with the new one."),
        "signed_out_elsewhere" | "" => None,
        "signed_out" => Some("You have signed out."),
        _ => Some("Please sign in to continue."),
    }
}

impl Role {
    /// The dashboard a role lands on inside a clinic (`/c/{slug}/...`), or the platform's.
    pub fn dashboard_path(self, slug: &str) -> String {
        let page = match self {
            Role::PlatformAdmin => return "/platform".into(),
            Role::ClinicAdmin => "admin",
            Role::Doctor | Role::HeadOfDepartment => "doctor",
            Role::Receptionist => "reception",
            Role::LabTechnician => "lab",
            Role::Nurse => "nurse",
            Role::Patient => "my-records",
        };
        format!("/c/{slug}/{page}")
    }

    /// The main navigation of a role inside a clinic: (href, label).
    pub fn clinic_nav(self, slug: &str) -> Vec<(String, &'static str)> {
        use super::permission::Permission;
        let mut nav = vec![(
            self.dashboard_path(slug),
            if self == Role::Patient {
                "My records"
            } else {
                "Dashboard"
            },
        )];
        // The receptionist's dashboard is the patient search itself.
        if self.can(Permission::ViewClinicPatients) && self != Role::Receptionist {
            nav.push((format!("/c/{slug}/patients"), "Patients"));
        }
        if self.can(Permission::RegisterPatients) {
            nav.push((format!("/c/{slug}/patients/new"), "Register patient"));
        }
        if self.can(Permission::ViewAppointments) {
            nav.push((format!("/c/{slug}/appointments"), "Appointments"));
        }
        if self.can(Permission::BookAppointments) {
            nav.push((format!("/c/{slug}/follow-ups"), "Follow-ups"));
        }
        if self.can(Permission::BookOwnAppointments) {
            nav.push((format!("/c/{slug}/my-appointments"), "My appointments"));
        }
        if self.can(Permission::EditSchedules) {
            nav.push((format!("/c/{slug}/schedule"), "Schedule"));
        }
        if self.can(Permission::ManageClinic) {
            nav.push((format!("/c/{slug}/invitations"), "Invitations"));
            nav.push((format!("/c/{slug}/displays"), "Queue displays"));
            nav.push((format!("/c/{slug}/sso"), "Single sign-on"));
        }
        if self.can(Permission::ViewAuditLog) {
            nav.push((format!("/c/{slug}/audit"), "Audit log"));
        }
        nav
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_lands_on_its_own_dashboard() {
        let paths: std::collections::HashSet<String> = Role::ALL
            .into_iter()
            .filter(|r| *r != Role::HeadOfDepartment)
            .map(|r| r.dashboard_path("riverside"))
            .collect();
        assert_eq!(paths.len(), Role::ALL.len() - 1);
        assert_eq!(Role::Receptionist.dashboard_path("x"), "/c/x/reception");
    }

    #[test]
    fn navigation_shows_only_what_the_role_may_use() {
        let labels = |r: Role| {
            r.clinic_nav("x")
                .into_iter()
                .map(|(_, l)| l)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            labels(Role::ClinicAdmin),
            [
                "Dashboard",
                "Patients",
                "Appointments",
                "Schedule",
                "Invitations",
                "Queue displays",
                "Single sign-on",
                "Audit log"
            ]
        );
        assert_eq!(
            labels(Role::Doctor),
            ["Dashboard", "Patients", "Appointments", "Schedule"]
        );
        assert_eq!(
            labels(Role::Receptionist),
            [
                "Dashboard",
                "Register patient",
                "Appointments",
                "Follow-ups"
            ]
        );
        assert_eq!(labels(Role::LabTechnician), ["Dashboard"]);
        assert_eq!(
            labels(Role::Nurse),
            ["Dashboard", "Patients", "Appointments"]
        );
        assert_eq!(labels(Role::Patient), ["My records", "My appointments"]);
    }

    fn choice(slug: &str, name: &str, role: Role) -> MembershipChoice {
        MembershipChoice {
            slug: slug.into(),
            clinic_name: name.into(),
            role,
            department: None,
        }
    }

    #[test]
    fn personal_places_lead_back_into_each_clinic() {
        let one = personal_places(false, &[choice("riverside", "Riverside", Role::Doctor)]);
        assert_eq!(one.home, "/c/riverside/doctor");
        assert_eq!(
            one.nav,
            [
                ("/c/riverside/doctor".to_string(), "Riverside".to_string()),
                ("/account".to_string(), "Your account".to_string())
            ]
        );
        assert_eq!(one.role_label, "Doctor");

        let two = personal_places(
            false,
            &[
                choice("riverside", "Riverside", Role::Doctor),
                choice("riverside", "Riverside", Role::Nurse),
            ],
        );
        assert_eq!(two.home, "/choose-clinic");
        let labels: Vec<_> = two.nav.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Riverside · Doctor",
                "Riverside · Nurse",
                "All your clinics",
                "Your account"
            ]
        );

        let admin = personal_places(true, &[]);
        assert_eq!(admin.home, "/platform");
        assert_eq!(admin.nav[0].0, "/platform");
        assert_eq!(admin.role_label, "Platform admin");
        assert_eq!(personal_places(false, &[]).home, "/choose-clinic");
    }

    #[test]
    fn warning_comes_two_minutes_early_or_halfway() {
        assert_eq!(idle_warning_lead_secs(900), 120);
        assert_eq!(idle_warning_lead_secs(30), 15);
    }
}
