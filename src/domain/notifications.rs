//! The notification centre's items: what happened to an appointment, told
//! to the doctor it is with (and to the front desk when a patient cancels).
//! The database writes them (migration 52); this says them in words.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::local_time::LocalTime;
use super::stored_enum::stored_enum;

stored_enum!(NotificationKind {
    Booked => ("appointment_booked", "Booked"),
    Cancelled => ("appointment_cancelled", "Cancelled"),
    Moved => ("appointment_moved", "Moved"),
});

/// How many unread the bell counts before it says "99+".
pub const UNREAD_CAP: i64 = 100;

/// One notification as its recipient reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub appointment_id: Uuid,
    pub patient_name: String,
    /// The appointment's time when it happened (the new time, for a move).
    pub starts: LocalTime,
    /// The time before a move.
    pub previous: Option<LocalTime>,
    /// Who made the change: None when the system did.
    pub actor: Option<String>,
    pub by_patient: bool,
    /// The reason given, for a cancellation.
    pub cancel_reason: Option<String>,
    pub at: LocalTime,
    pub read: bool,
}

/// "Tue 8 Dec at 10:30".
fn when(t: &LocalTime) -> String {
    format!("{} at {}", t.weekday_date(), t.clock())
}

impl NotificationItem {
    /// The sentence the list shows, naming who did what to whose
    /// appointment and when it is.
    pub fn headline(&self) -> String {
        let patient = &self.patient_name;
        let at = when(&self.starts);
        let by = match (&self.actor, self.by_patient) {
            (_, true) => None,
            (Some(name), false) => Some(name.as_str()),
            (None, false) => Some("HMS"),
        };
        match (self.kind, by) {
            (NotificationKind::Booked, None) => {
                format!("{patient} booked an appointment for {at}.")
            }
            (NotificationKind::Booked, Some(by)) => format!("{by} booked {patient} for {at}."),
            (NotificationKind::Cancelled, None) => {
                format!("{patient} cancelled their appointment on {at}.")
            }
            (NotificationKind::Cancelled, Some(by)) => {
                format!("{by} cancelled {patient}'s appointment on {at}.")
            }
            (NotificationKind::Moved, by) => {
                let from = self
                    .previous
                    .as_ref()
                    .map(|p| format!(" from {}", when(p)))
                    .unwrap_or_default();
                match by {
                    None => format!("{patient} moved their appointment{from} to {at}."),
                    Some(by) => format!("{by} moved {patient}'s appointment{from} to {at}."),
                }
            }
        }
    }
}

/// The bell's count as people read it: "99+" past the cap.
pub fn unread_label(unread: i64) -> String {
    if unread >= UNREAD_CAP {
        format!("{}+", UNREAD_CAP - 1)
    } else {
        unread.max(0).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn london(h: u32, m: u32, day: u32) -> LocalTime {
        LocalTime {
            utc: Utc.with_ymd_and_hms(2026, 12, day, h, m, 0).unwrap(),
            offset_secs: 0,
            zone: "Europe/London".into(),
        }
    }

    fn item(kind: NotificationKind, actor: Option<&str>, by_patient: bool) -> NotificationItem {
        NotificationItem {
            id: Uuid::nil(),
            kind,
            appointment_id: Uuid::nil(),
            patient_name: "Amina Patel".into(),
            starts: london(10, 30, 8),
            previous: (kind == NotificationKind::Moved).then(|| london(9, 15, 7)),
            actor: actor.map(str::to_owned),
            by_patient,
            cancel_reason: None,
            at: london(8, 0, 7),
            read: false,
        }
    }

    #[test]
    fn headlines_say_who_did_what_to_whose_appointment_and_when() {
        use NotificationKind::*;
        assert_eq!(
            item(Booked, Some("Amina Patel"), true).headline(),
            "Amina Patel booked an appointment for Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Booked, Some("Rita Shah"), false).headline(),
            "Rita Shah booked Amina Patel for Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Cancelled, Some("Amina Patel"), true).headline(),
            "Amina Patel cancelled their appointment on Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Cancelled, Some("Rita Shah"), false).headline(),
            "Rita Shah cancelled Amina Patel's appointment on Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Moved, Some("Rita Shah"), false).headline(),
            "Rita Shah moved Amina Patel's appointment from Mon 7 Dec at 09:15 to Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Moved, None, true).headline(),
            "Amina Patel moved their appointment from Mon 7 Dec at 09:15 to Tue 8 Dec at 10:30."
        );
        assert_eq!(
            item(Cancelled, None, false).headline(),
            "HMS cancelled Amina Patel's appointment on Tue 8 Dec at 10:30.",
            "the system, named as such"
        );
    }

    #[test]
    fn the_bell_counts_up_to_its_cap() {
        assert_eq!(unread_label(0), "0");
        assert_eq!(unread_label(7), "7");
        assert_eq!(unread_label(99), "99");
        assert_eq!(unread_label(100), "99+");
        assert_eq!(unread_label(-1), "0");
    }
}
