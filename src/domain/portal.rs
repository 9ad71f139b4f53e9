//! Patient portal accounts: reception invites a patient from their record,
//! and the record shows where that stands. Shared by the form and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::auth::Email;
use super::error::AppError;
use super::local_time::LocalTime;
use super::patients::PatientDetails;

/// The address a portal invitation goes to, as reception typed it.
pub fn parse_portal_email(raw: &str) -> Result<Email, AppError> {
    if raw.trim().is_empty() {
        return Err(AppError::validation(
            "email",
            "Enter the patient's email address.",
        ));
    }
    Email::parse(raw).map_err(|m| AppError::validation("email", m))
}

/// Where a patient's portal account stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalState {
    NotInvited,
    /// Moments in the clinic's time zone, as its staff read them.
    Invited {
        email: String,
        invited_by: String,
        sent_at: LocalTime,
        expires_at: LocalTime,
        expired: bool,
    },
    Active {
        email: String,
        /// When they accepted (unknown for accounts linked another way).
        since: Option<LocalTime>,
    },
}

/// The portal card on a patient's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAccess {
    pub patient_id: Uuid,
    pub state: PortalState,
    /// The address on the record, offered for a new invitation.
    pub record_email: Option<String>,
    /// The viewer may invite, send again and withdraw (reception).
    pub can_invite: bool,
}

impl PortalState {
    /// A word for the badge.
    pub fn label(&self) -> &'static str {
        match self {
            PortalState::NotInvited => "Not invited",
            PortalState::Invited { expired: true, .. } => "Invitation expired",
            PortalState::Invited { .. } => "Invited",
            PortalState::Active { .. } => "Active",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_trimmed_lowercased_and_checked() {
        assert_eq!(
            parse_portal_email("  Maya.Shah@Example.ORG ")
                .unwrap()
                .as_str(),
            "maya.shah@example.org"
        );
        let blank = parse_portal_email("   ").unwrap_err();
        assert_eq!(
            blank.field_message("email"),
            Some("Enter the patient's email address.")
        );
        for bad in ["maya", "maya@", "maya@example", "ma ya@example.org"] {
            let e = parse_portal_email(bad).unwrap_err();
            assert_eq!(
                e.field_message("email"),
                Some("Enter an email address like name@example.org."),
                "{bad}"
            );
        }
        let long = format!("{}@example.org", "m".repeat(250));
        assert_eq!(
            parse_portal_email(&long)
                .unwrap_err()
                .field_message("email"),
            Some("That email address is too long.")
        );
    }

    #[test]
    fn an_expired_invitation_says_so() {
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let invited = |expired| PortalState::Invited {
            email: "maya@example.org".into(),
            invited_by: "Priya Nair".into(),
            sent_at: LocalTime::utc(at),
            expires_at: LocalTime::utc(at),
            expired,
        };
        assert_eq!(invited(false).label(), "Invited");
        assert_eq!(invited(true).label(), "Invitation expired");
        assert_eq!(PortalState::NotInvited.label(), "Not invited");
    }
}

/// The patient's own page: who they are here and their record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalView {
    pub display_name: String,
    pub email: String,
    pub clinic_name: String,
    pub record: Option<PatientDetails>,
}
