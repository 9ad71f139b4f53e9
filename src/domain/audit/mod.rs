//! What the audit trail records.

use serde::{Deserialize, Serialize};

mod labels;
pub use labels::{action_label, entity_label, outcome_label, record_label};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    View,
    Login,
    LoginFailed,
    Logout,
    AccessDenied,
    Export,
}

impl AuditAction {
    pub const ALL: [AuditAction; 9] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::View,
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::AccessDenied,
        AuditAction::Export,
    ];

    /// The name stored in `audit_events.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "CREATE",
            AuditAction::Update => "UPDATE",
            AuditAction::Delete => "DELETE",
            AuditAction::View => "VIEW",
            AuditAction::Login => "LOGIN",
            AuditAction::LoginFailed => "LOGIN_FAILED",
            AuditAction::Logout => "LOGOUT",
            AuditAction::AccessDenied => "ACCESS_DENIED",
            AuditAction::Export => "EXPORT",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What an audit event is about: the `entity_type` it stores. Events are
/// written with one of these, never with free text, so a reader (the audit
/// log, `audit_patient_id()` in the database) can rely on the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEntity {
    Clinic,
    ClinicRegistration,
    DoctorProfile,
    Invitation,
    Membership,
    OutboxEmail,
    PasswordReset,
    /// A patient's record; `audit_patient_id()` (migrations/*_patient_search_keys.sql)
    /// finds the patient of exactly these events.
    Patient,
    /// The platform admin's look across clinics.
    Platform,
    SsoAccessRequest,
    SsoIdentity,
    SsoSettings,
    User,
    /// A patient's visit: check-in and its moves through the queue. The
    /// audit log finds its patient (`audit_event_patient_id()`).
    Visit,
    /// A waiting-room display link.
    QueueDisplay,
    /// A set of vital signs; the audit log finds its patient as a visit's.
    VitalSigns,
    /// An appointment: booked, moved, cancelled, checked in; the audit log
    /// finds its patient.
    Appointment,
    /// A doctor's weekly hours and their exceptions.
    DoctorSchedule,
    /// A doctor's private calendar feed link.
    CalendarFeed,
    /// A follow-up: added, booked, marked missed; the audit log finds its
    /// patient.
    FollowUp,
}

impl AuditEntity {
    pub const ALL: [AuditEntity; 20] = [
        AuditEntity::Clinic,
        AuditEntity::ClinicRegistration,
        AuditEntity::DoctorProfile,
        AuditEntity::Invitation,
        AuditEntity::Membership,
        AuditEntity::OutboxEmail,
        AuditEntity::PasswordReset,
        AuditEntity::Patient,
        AuditEntity::Platform,
        AuditEntity::SsoAccessRequest,
        AuditEntity::SsoIdentity,
        AuditEntity::SsoSettings,
        AuditEntity::User,
        AuditEntity::Visit,
        AuditEntity::QueueDisplay,
        AuditEntity::VitalSigns,
        AuditEntity::Appointment,
        AuditEntity::DoctorSchedule,
        AuditEntity::CalendarFeed,
        AuditEntity::FollowUp,
    ];

    /// The name stored in `audit_events.entity_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEntity::Clinic => "clinic",
            AuditEntity::ClinicRegistration => "clinic_registration",
            AuditEntity::DoctorProfile => "doctor_profile",
            AuditEntity::Invitation => "invitation",
            AuditEntity::Membership => "membership",
            AuditEntity::OutboxEmail => "outbox_email",
            AuditEntity::PasswordReset => "password_reset",
            AuditEntity::Patient => "patient",
            AuditEntity::Platform => "platform",
            AuditEntity::SsoAccessRequest => "sso_access_request",
            AuditEntity::SsoIdentity => "sso_identity",
            AuditEntity::SsoSettings => "sso_settings",
            AuditEntity::User => "user",
            AuditEntity::Visit => "visit",
            AuditEntity::QueueDisplay => "queue_display",
            AuditEntity::VitalSigns => "vital_signs",
            AuditEntity::Appointment => "appointment",
            AuditEntity::DoctorSchedule => "doctor_schedule",
            AuditEntity::CalendarFeed => "calendar_feed",
            AuditEntity::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditOutcome {
    #[default]
    Success,
    Failure,
    Denied,
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Failure => "failure",
            AuditOutcome::Denied => "denied",
        }
    }
}

/// One line of the audit log as its viewers see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// The same moment in its clinic's time zone (UTC for the platform's).
    pub occurred_local: crate::domain::local_time::LocalTime,
    pub clinic: Option<String>,
    /// The actor's email, and their name (the log shows the name first).
    pub actor: Option<String>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// The patient number when the entity is a patient.
    pub patient_number: Option<String>,
    pub outcome: String,
    pub client_addr: Option<String>,
}

/// Audit log filters as they arrive from the page's query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilterInput {
    /// Part of the actor's email or name.
    pub user: String,
    /// A patient number.
    pub patient: String,
    pub action: String,
    /// Dates as `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// "shown" to include the platform admins' own looks at the platform
    /// pages, which are recorded but would flood the platform's log.
    #[serde(default)]
    pub views: String,
}

impl AuditFilterInput {
    /// The address of page `page` of the log at `path` with these filters
    /// (and, on the platform's log, a clinic; empty elsewhere).
    pub fn page_href(&self, path: &str, clinic: &str, page: u32) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        super::url::with_query(
            path,
            &[
                ("clinic", clinic),
                ("user", &self.user),
                ("patient", &self.patient),
                ("action", &self.action),
                ("from", &self.from),
                ("to", &self.to),
                ("views", &self.views),
                ("page", &page),
            ],
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user: Option<String>,
    pub patient_number: Option<String>,
    pub action: Option<AuditAction>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Whether the platform admins' page views are listed.
    pub platform_views: bool,
}

pub fn parse_audit_filter(input: &AuditFilterInput) -> Result<AuditFilter, Vec<super::FieldError>> {
    use super::FieldErrors;
    let mut errors = FieldErrors::new();
    let text = |field: &str, raw: &str, errors: &mut FieldErrors| {
        let t = raw.trim();
        if t.chars().count() > 100 {
            errors.add(field, "Use at most 100 characters.");
            None
        } else {
            (!t.is_empty()).then(|| t.to_string())
        }
    };
    let date = |field: &str, raw: &str, errors: &mut FieldErrors| {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| errors.add(field, "Enter a date like 2026-11-21."))
            .ok()
    };
    let user = text("user", &input.user, &mut errors);
    let patient_number = text("patient", &input.patient, &mut errors);
    let action = match input.action.trim() {
        "" => None,
        a => {
            let parsed = AuditAction::parse(a);
            if parsed.is_none() {
                errors.add("action", "Choose an action from the list.");
            }
            parsed
        }
    };
    let from = date("from", &input.from, &mut errors);
    let to = date("to", &input.to, &mut errors);
    let platform_views = match input.views.trim() {
        "" => false,
        "shown" => true,
        _ => {
            errors.add("views", "Choose whether to show platform page views.");
            false
        }
    };
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.add("to", "The end date is before the start date.");
    }
    if errors.is_empty() {
        Ok(AuditFilter {
            user,
            patient_number,
            action,
            from,
            to,
            platform_views,
        })
    } else {
        Err(errors.into_fields())
    }
}

/// The fields an edit changed, as (before, after) objects holding those
/// keys only: an UPDATE event says what changed, not the whole record
/// twice. `None` when nothing did.
pub fn changed_fields(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Option<(serde_json::Value, serde_json::Value)> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return (before != after).then(|| (before.clone(), after.clone()));
    };
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        let (old, new) = (b.get(key), a.get(key));
        if old != new {
            was.insert(key.clone(), old.cloned().unwrap_or_default());
            now.insert(key.clone(), new.cloned().unwrap_or_default());
        }
    }
    (!was.is_empty()).then(|| (was.into(), now.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_filters_are_checked_field_by_field() {
        let ok = parse_audit_filter(&AuditFilterInput {
            user: " doctor ".into(),
            action: "VIEW".into(),
            from: "2026-11-01".into(),
            to: "2026-11-21".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.user.as_deref(), Some("doctor"));
        assert_eq!(ok.action, Some(AuditAction::View));
        let errs = parse_audit_filter(&AuditFilterInput {
            action: "DROP".into(),
            from: "21/11/2026".into(),
            patient: "x".repeat(101),
            views: "all".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["patient", "action", "from", "views"]);
        let views = AuditFilterInput {
            views: "shown".into(),
            ..Default::default()
        };
        assert!(parse_audit_filter(&views).unwrap().platform_views);
        assert!(
            !parse_audit_filter(&AuditFilterInput::default())
                .unwrap()
                .platform_views
        );
        let backwards = parse_audit_filter(&AuditFilterInput {
            from: "2026-11-21".into(),
            to: "2026-11-01".into(),
            ..Default::default()
        });
        assert_eq!(backwards.unwrap_err()[0].field, "to");
    }

    #[test]
    fn a_page_link_keeps_the_filters_that_are_set() {
        let f = AuditFilterInput {
            user: "nurse".into(),
            action: "VIEW".into(),
            ..Default::default()
        };
        assert_eq!(
            f.page_href("/c/x/audit", "", 1),
            "/c/x/audit?user=nurse&action=VIEW"
        );
        assert_eq!(
            f.page_href("/platform/audit", "hilltop", 3),
            "/platform/audit?clinic=hilltop&user=nurse&action=VIEW&page=3"
        );
    }

    #[test]
    fn actions_round_trip_through_their_stored_names() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(AuditAction::parse("view"), None);
    }

    #[test]
    fn an_update_records_only_what_changed() {
        use serde_json::json;
        let before = json!({"phone": "1", "city": "Pune", "email": null});
        let after = json!({"phone": "2", "city": "Pune", "email": "a@b.in"});
        assert_eq!(
            changed_fields(&before, &after),
            Some((
                json!({"phone": "1", "email": null}),
                json!({"phone": "2", "email": "a@b.in"})
            ))
        );
        assert_eq!(changed_fields(&before, &before), None);
        // A key only one side has is a change too.
        assert_eq!(
            changed_fields(&json!({}), &json!({"id_number": "••••1234"})),
            Some((json!({"id_number": null}), json!({"id_number": "••••1234"})))
        );
    }
}
