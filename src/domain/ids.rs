//! Typed ids: one type per kind of record, parsed once where an id comes in
//! (a URL or a form), so a member's id cannot be passed where a patient's
//! is wanted. They travel as plain UUIDs on the wire and into SQL
//! (`as_uuid`).

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppError;

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The id in a URL or form, or `NotFound`: a malformed id names
            /// no record, so it is refused as one that does not exist.
            pub fn parse(raw: &str) -> Result<Self, AppError> {
                Uuid::parse_str(raw.trim()).map(Self).map_err(|_| AppError::NotFound)
            }

            pub fn as_uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

entity_id!(
    /// A patient's record.
    PatientId
);
entity_id!(
    /// A membership: one person's role in one clinic (staff or patient).
    MemberId
);
entity_id!(
    /// A patient's visit: one check-in to a department.
    VisitId
);
entity_id!(
    /// An appointment: a patient's booked time with a doctor.
    AppointmentId
);
entity_id!(
    /// A follow-up: a patient to be seen again by a date.
    FollowUpId
);
entity_id!(
    /// A notification in someone's notification centre.
    NotificationId
);
entity_id!(
    /// A staff or portal invitation.
    InvitationId
);
entity_id!(
    /// A hospital's request to join HMS.
    RegistrationId
);
entity_id!(
    /// Someone asking to be let in through a clinic's single sign-on.
    SsoRequestId
);
entity_id!(
    /// A message in the email outbox.
    EmailId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_parses_once_and_a_malformed_one_names_nothing() {
        let raw = "0192f0c1-7d3e-7a4b-9c2d-1e2f3a4b5c6d";
        let id = PatientId::parse(&format!(" {raw} ")).unwrap();
        assert_eq!(id.to_string(), raw);
        assert_eq!(id.as_uuid(), Uuid::parse_str(raw).unwrap());
        assert_eq!(PatientId::parse("42"), Err(AppError::NotFound));
        assert_eq!(MemberId::parse(""), Err(AppError::NotFound));
    }

    #[test]
    fn an_id_is_a_bare_uuid_on_the_wire() {
        let id = MemberId::from(Uuid::nil());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", Uuid::nil()));
        assert_eq!(serde_json::from_str::<MemberId>(&json).unwrap(), id);
    }
}
