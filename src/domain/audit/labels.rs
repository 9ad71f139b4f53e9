//! What people read for the names the audit trail stores: one place per
//! enum, so the log never shows `LOGIN_FAILED` or `sso_settings`.

use super::{AuditAction, AuditEntity, AuditOutcome};

impl AuditAction {
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Create => "Created",
            AuditAction::Update => "Changed",
            AuditAction::Delete => "Deleted",
            AuditAction::View => "Viewed",
            AuditAction::Login => "Signed in",
            AuditAction::LoginFailed => "Sign-in failed",
            AuditAction::Logout => "Signed out",
            AuditAction::AccessDenied => "Access refused",
            AuditAction::Export => "Exported",
        }
    }
}

impl AuditEntity {
    pub fn label(self) -> &'static str {
        match self {
            AuditEntity::Clinic => "Clinic",
            AuditEntity::ClinicRegistration => "Hospital registration",
            AuditEntity::DoctorProfile => "Doctor's profile",
            AuditEntity::Invitation => "Invitation",
            AuditEntity::Membership => "Staff role",
            AuditEntity::OutboxEmail => "Email",
            AuditEntity::PasswordReset => "Password reset",
            AuditEntity::Patient => "Patient record",
            AuditEntity::Platform => "Platform overview",
            AuditEntity::SsoAccessRequest => "Single sign-on request",
            AuditEntity::SsoIdentity => "Single sign-on link",
            AuditEntity::SsoSettings => "Single sign-on settings",
            AuditEntity::User => "Account",
            AuditEntity::Visit => "Visit",
            AuditEntity::QueueDisplay => "Queue display",
            AuditEntity::VitalSigns => "Vital signs",
            AuditEntity::Appointment => "Appointment",
            AuditEntity::DoctorSchedule => "Doctor's schedule",
            AuditEntity::CalendarFeed => "Calendar feed",
            AuditEntity::FollowUp => "Follow-up",
        }
    }
}

impl AuditOutcome {
    pub const ALL: [AuditOutcome; 3] = [
        AuditOutcome::Success,
        AuditOutcome::Failure,
        AuditOutcome::Denied,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditOutcome::Success => "Succeeded",
            AuditOutcome::Failure => "Failed",
            AuditOutcome::Denied => "Refused",
        }
    }
}

/// The label of a stored name, or the name itself when this build does not
/// know it (an event written by a newer version): never an empty cell.
fn or_stored<T>(
    stored: &str,
    parse: impl Fn(&str) -> Option<T>,
    label: impl Fn(T) -> &'static str,
) -> String {
    parse(stored)
        .map(label)
        .map(str::to_owned)
        .unwrap_or_else(|| stored.to_owned())
}

pub fn action_label(stored: &str) -> String {
    or_stored(stored, AuditAction::parse, AuditAction::label)
}

pub fn entity_label(stored: &str) -> String {
    or_stored(stored, AuditEntity::parse, AuditEntity::label)
}

pub fn outcome_label(stored: &str) -> String {
    or_stored(stored, AuditOutcome::parse, AuditOutcome::label)
}

/// What an event was about, as the log's "Record" column says it. An event
/// about one of a patient's visits or vital signs names the patient too, but
/// keeps saying what it touched: "Created · Patient …" would read as a
/// registration when it was a check-in.
pub fn record_label(patient_number: Option<&str>, entity_type: Option<&str>) -> String {
    match (patient_number, entity_type) {
        (Some(n), Some(t)) if t != AuditEntity::Patient.as_str() => {
            format!("{} of patient {n}", entity_label(t))
        }
        (Some(n), _) => format!("Patient {n}"),
        (None, Some(t)) => entity_label(t),
        (None, None) => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_name_has_a_label_of_words() {
        let words = |l: &str| !l.contains('_') && l.chars().next().is_some_and(char::is_uppercase);
        assert!(AuditAction::ALL.iter().all(|a| words(a.label())));
        assert!(AuditEntity::ALL.iter().all(|e| words(e.label())));
        assert!(AuditOutcome::ALL.iter().all(|o| words(o.label())));
        assert_eq!(action_label("LOGIN_FAILED"), "Sign-in failed");
        assert_eq!(entity_label("sso_settings"), "Single sign-on settings");
        assert_eq!(outcome_label("denied"), "Refused");
        assert_eq!(action_label("SOMETHING_NEW"), "SOMETHING_NEW");
    }

    #[test]
    fn a_patients_visit_or_vitals_say_what_they_were() {
        let n = Some("PT-2026-00012");
        assert_eq!(record_label(n, Some("patient")), "Patient PT-2026-00012");
        assert_eq!(
            record_label(n, Some("visit")),
            "Visit of patient PT-2026-00012"
        );
        assert_eq!(
            record_label(n, Some("vital_signs")),
            "Vital signs of patient PT-2026-00012"
        );
        assert_eq!(record_label(None, Some("visit")), "Visit");
        assert_eq!(record_label(None, None), "—");
    }
}
