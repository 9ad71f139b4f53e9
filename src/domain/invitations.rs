//! Inviting staff into a clinic: what a clinic admin may ask for, and what
//! the invited person sees and types. Shared by the forms and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::auth::Email;
use super::error::{AppError, FieldErrors};
use super::role::Role;

/// How long an invitation link works.
pub const INVITATION_HOURS: i64 = 72;
pub const MAX_NAME_CHARS: usize = 200;

/// The invite form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInput {
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// A department id, or empty.
    pub department: String,
}

/// An invitation a clinic admin may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInvitation {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
}

/// The roles a clinic admin may give. Platform admins are made by the
/// platform; patients join through reception's portal invitation.
pub const GRANTABLE_ROLES: [Role; 6] = [
    Role::ClinicAdmin,
    Role::Doctor,
    Role::HeadOfDepartment,
    Role::Receptionist,
    Role::LabTechnician,
    Role::Nurse,
];

/// Doctors work in a department; a head of department leads one.
pub fn needs_department(role: Role) -> bool {
    matches!(role, Role::Doctor | Role::HeadOfDepartment)
}

pub fn parse_invitation(input: &InvitationInput) -> Result<NewInvitation, AppError> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(&input.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() {
        errors.add("display_name", "Enter the person's name.");
    } else if display_name.chars().count() > MAX_NAME_CHARS {
        errors.add("display_name", "Use at most 200 characters.");
    } else if display_name.chars().any(char::is_control) {
        errors.add("display_name", "Use letters, spaces and punctuation only.");
    }
    let (role, department_id) =
        parse_role_and_department(&input.role, &input.department, &mut errors);
    match (email, role) {
        (Some(email), Some(role)) if errors.is_empty() => Ok(NewInvitation {
            email,
            display_name,
            role,
            department_id,
        }),
        _ => Err(AppError::from(errors)),
    }
}

/// A role a clinic admin may give and its department, as chosen in a form;
/// problems are added to `errors` under "role" and "department".
pub fn parse_role_and_department(
    role: &str,
    department: &str,
    errors: &mut FieldErrors,
) -> (Option<Role>, Option<Uuid>) {
    let role = match Role::parse(role.trim()) {
        Some(r) if GRANTABLE_ROLES.contains(&r) => Some(r),
        Some(_) => {
            errors.add("role", "A clinic admin cannot give that role.");
            None
        }
        None => {
            errors.add("role", "Choose a role from the list.");
            None
        }
    };
    let department_id = match department.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("department", "Choose a department from the list.");
                None
            }
        },
    };
    if let Some(r) = role
        && needs_department(r)
        && department_id.is_none()
        && !errors.has("department")
    {
        errors.add(
            "department",
            format!(
                "Choose the department this {} works in.",
                r.label().to_lowercase()
            ),
        );
    }
    (role, department_id)
}

/// What the invited person sees before accepting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub clinic_name: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// They already have an HMS account (another clinic): they confirm with
    /// its password instead of choosing one.
    pub existing_account: bool,
    /// The clinic's single sign-on, when it accepts this email's domain: the
    /// person may accept by signing in through it instead.
    pub sso: Option<super::sso::SsoOption>,
}

/// One open invitation in the clinic admin's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub invited_by: String,
    /// In the clinic's time zone, as the admin reads it.
    pub expires_at: crate::domain::local_time::LocalTime,
    pub expired: bool,
}

/// The clinic admin's invitations page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationsOverview {
    pub open: super::paging::Page<PendingInvitation>,
    /// For the department field.
    pub departments: Vec<super::staff::Department>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: &str, department: &str) -> InvitationInput {
        InvitationInput {
            email: " Asha.Patel@Riverside.Example ".into(),
            display_name: " Asha Patel ".into(),
            role: role.into(),
            department: department.into(),
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_invitation_is_trimmed_and_lowercased() {
        let n = parse_invitation(&input("receptionist", "")).unwrap();
        assert_eq!(n.email.as_str(), "asha.patel@riverside.example");
        assert_eq!(n.display_name, "Asha Patel");
        assert_eq!((n.role, n.department_id), (Role::Receptionist, None));
    }

    #[test]
    fn clinic_admins_cannot_make_platform_admins_or_patients() {
        for role in ["platform_admin", "patient"] {
            let e = parse_invitation(&input(role, "")).unwrap_err();
            assert_eq!(
                e.field_message("role"),
                Some("A clinic admin cannot give that role.")
            );
        }
        let e = parse_invitation(&input("superuser", "")).unwrap_err();
        assert_eq!(
            e.field_message("role"),
            Some("Choose a role from the list.")
        );
        for role in GRANTABLE_ROLES {
            let dept = if needs_department(role) {
                "0196a5e4-0000-7000-8000-000000000001"
            } else {
                ""
            };
            assert!(
                parse_invitation(&input(role.as_str(), dept)).is_ok(),
                "{role:?}"
            );
        }
    }

    #[test]
    fn doctors_need_a_department_and_it_must_be_an_id() {
        let e = parse_invitation(&input("doctor", "")).unwrap_err();
        assert_eq!(
            e.field_message("department"),
            Some("Choose the department this doctor works in.")
        );
        assert_eq!(
            fields(parse_invitation(&input("nurse", "cardio")).unwrap_err()),
            ["department"]
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = InvitationInput {
            email: "not-an-email".into(),
            display_name: "x".repeat(201),
            role: "".into(),
            department: "".into(),
        };
        assert_eq!(
            fields(parse_invitation(&bad).unwrap_err()),
            ["email", "display_name", "role"]
        );
        let blank = InvitationInput::default();
        assert_eq!(
            fields(parse_invitation(&blank).unwrap_err()),
            ["email", "display_name", "role"]
        );
    }
}
