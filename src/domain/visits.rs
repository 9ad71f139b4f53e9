//! Visits: checking a patient in to a department, the token of the day, the
//! queue's order and the visit's state machine, and the wait estimate.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{AppError, FieldErrors};
use super::local_time::LocalTime;
use super::stored_enum::stored_enum;

pub const MAX_REASON_CHARS: usize = 500;

stored_enum!(VisitType {
    WalkIn => ("walk_in", "Walk-in"),
    Appointment => ("appointment", "Appointment"),
    FollowUp => ("follow_up", "Follow-up"),
    Emergency => ("emergency", "Emergency"),
});

stored_enum!(Priority {
    Emergency => ("emergency", "Emergency"),
    Urgent => ("urgent", "Urgent"),
    Normal => ("normal", "Normal"),
});

stored_enum!(VisitStatus {
    Waiting => ("waiting", "Waiting"),
    Called => ("called", "Called"),
    InConsultation => ("in_consultation", "In consultation"),
    Completed => ("completed", "Completed"),
    NoShow => ("no_show", "No show"),
    Cancelled => ("cancelled", "Cancelled"),
    LeftWithoutBeingSeen => ("left_without_being_seen", "Left without being seen"),
});

impl Priority {
    /// The queue's order: emergencies first, then urgent, then the rest.
    pub fn rank(self) -> u8 {
        match self {
            Priority::Emergency => 0,
            Priority::Urgent => 1,
            Priority::Normal => 2,
        }
    }
}

impl VisitStatus {
    /// The moves the state machine allows (`visit_transition_allowed()` in
    /// the migrations holds the same list; a test compares the two).
    pub fn can_become(self, next: VisitStatus) -> bool {
        use VisitStatus::*;
        matches!(
            (self, next),
            (Waiting, Called | Cancelled | LeftWithoutBeingSeen)
                | (
                    Called,
                    InConsultation | NoShow | Cancelled | LeftWithoutBeingSeen
                )
                | (InConsultation, Completed)
        )
    }

    /// Still in the queue or with the doctor.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            VisitStatus::Waiting | VisitStatus::Called | VisitStatus::InConsultation
        )
    }
}

/// How a token is written on the slip and the display.
pub fn token_label(token: i32) -> String {
    format!("Token {token}")
}

/// Minutes per patient when a doctor or department has no recent
/// consultations to go by.
pub const DEFAULT_CONSULTATION_MINUTES: f64 = 10.0;

/// The wait for someone with `ahead` patients before them, given the
/// average length of recent consultations (none: the default), shared among
/// `doctors` seeing the queue; rounded up to 5 minutes, as people read it.
pub fn estimate_wait_minutes(ahead: u32, average_minutes: Option<f64>, doctors: u32) -> u32 {
    let per_patient = average_minutes
        .filter(|m| m.is_finite() && *m > 0.0)
        .unwrap_or(DEFAULT_CONSULTATION_MINUTES)
        .min(120.0);
    let minutes = f64::from(ahead) * per_patient / f64::from(doctors.max(1));
    let rounded = (minutes / 5.0).ceil() * 5.0;
    // Bounded above by the cap: at most 120 minutes for each of u32::MAX.
    rounded.min(f64::from(u32::MAX)) as u32
}

/// How a wait reads: "No wait", "About 15 minutes", "About 1 h 20 min".
pub fn wait_label(minutes: u32) -> String {
    match minutes {
        0 => "No wait".into(),
        m if m < 60 => format!("About {m} minutes"),
        m if m % 60 == 0 => format!("About {} h", m / 60),
        m => format!("About {} h {} min", m / 60, m % 60),
    }
}

/// The check-in form as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckInInput {
    pub department: String,
    pub doctor: String,
    pub visit_type: String,
    pub reason: String,
    pub priority: String,
}

/// A checked check-in. The department and doctor are ids as given: the
/// database decides whether they are this clinic's (and the doctor that
/// department's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub department_id: Uuid,
    pub doctor_user_id: Option<Uuid>,
    pub visit_type: VisitType,
    pub reason: String,
    pub priority: Priority,
}

pub fn parse_check_in(input: &CheckInInput) -> Result<CheckIn, AppError> {
    let mut e = FieldErrors::new();
    let department_id = match Uuid::parse_str(input.department.trim()) {
        Ok(id) => id,
        Err(_) => {
            e.add("department", "Choose a department.");
            Uuid::nil()
        }
    };
    let doctor_user_id = match input.doctor.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                e.add("doctor", "Choose a doctor from the list, or none.");
                None
            }
        },
    };
    let visit_type = VisitType::parse(input.visit_type.trim()).unwrap_or_else(|| {
        e.add("visit_type", "Choose the type of visit.");
        VisitType::WalkIn
    });
    let priority = Priority::parse(input.priority.trim()).unwrap_or_else(|| {
        e.add("priority", "Choose the priority.");
        Priority::Normal
    });
    let reason = input.reason.trim().to_string();
    if reason.chars().count() > MAX_REASON_CHARS {
        e.add("reason", "Use at most 500 characters.");
    } else if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        e.add(
            "reason",
            "Use letters, digits, spaces and punctuation only.",
        );
    }
    // An emergency visit is seen as one.
    let priority = if visit_type == VisitType::Emergency {
        Priority::Emergency
    } else {
        priority
    };
    e.finish(CheckIn {
        department_id,
        doctor_user_id,
        visit_type,
        reason,
        priority,
    })
}

/// A department or doctor to check a patient in with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentChoice {
    pub id: Uuid,
    pub name: String,
    /// Doctors seeing patients there: (user id, name).
    pub doctors: Vec<(Uuid, String)>,
}

/// The check-in page: who, and where they may go.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInForm {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_number: String,
    pub departments: Vec<DepartmentChoice>,
    /// The patient's visits still open today, to link to rather than check
    /// in twice.
    pub active: Vec<ActiveVisit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActiveVisit {
    pub id: Uuid,
    pub department: String,
    pub token: i32,
    pub status: VisitStatus,
}

/// The printed token slip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenSlip {
    pub visit_id: Uuid,
    pub clinic_name: String,
    pub token: i32,
    pub department: String,
    pub doctor: Option<String>,
    pub patient_name: String,
    pub patient_number: String,
    pub checked_in_at: LocalTime,
    pub status: VisitStatus,
    pub estimated_wait_minutes: u32,
}

/// One line of a queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueEntry {
    pub visit_id: Uuid,
    pub patient_id: Uuid,
    pub token: i32,
    pub patient_name: String,
    pub patient_number: String,
    pub age: u32,
    pub sex: String,
    pub department: String,
    pub doctor: Option<String>,
    pub visit_type: VisitType,
    pub priority: Priority,
    pub status: VisitStatus,
    pub reason: String,
    pub checked_in_at: LocalTime,
    /// Minutes since check-in (until called, for those called since).
    pub waited_minutes: i64,
    pub estimated_wait_minutes: Option<u32>,
    /// The latest vital signs taken for this visit.
    pub vitals: Option<super::vitals::Vitals>,
}

/// Which of the day's visits a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Showing {
    /// Waiting, called or with a doctor.
    #[default]
    Active,
    /// Every visit of the day.
    All,
}

impl Showing {
    /// From the list's address (`?showing=all`); anything else is the default.
    pub fn from_query(raw: Option<&str>) -> Self {
        match raw {
            Some("all") => Showing::All,
            _ => Showing::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Showing::Active => "active",
            Showing::All => "all",
        }
    }
}

/// The front desk's view of the day: counts, the departments to filter by,
/// and one page of the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskQueue {
    pub counts: DayCounts,
    pub departments: Vec<(Uuid, String)>,
    pub visits: super::paging::Page<QueueEntry>,
}

/// A doctor's "Today's queue": who is with them or called, and who waits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoctorQueue {
    /// Whether the doctor belongs to a department (no department, no queue).
    pub department: Option<String>,
    pub visits: super::paging::Page<QueueEntry>,
}

/// What a doctor does with a visit from the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DoctorAction {
    Start,
    NoShow,
    Complete,
}

impl DoctorAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "start" => Some(Self::Start),
            "no_show" => Some(Self::NoShow),
            "complete" => Some(Self::Complete),
            _ => None,
        }
    }

    pub fn target(self) -> VisitStatus {
        match self {
            Self::Start => VisitStatus::InConsultation,
            Self::NoShow => VisitStatus::NoShow,
            Self::Complete => VisitStatus::Completed,
        }
    }
}

/// What the front desk does with a visit: it was cancelled, or the patient
/// left before being seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeskAction {
    Cancel,
    LeftWithoutBeingSeen,
}

impl DeskAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "cancel" => Some(Self::Cancel),
            "left" => Some(Self::LeftWithoutBeingSeen),
            _ => None,
        }
    }

    pub fn target(self) -> VisitStatus {
        match self {
            Self::Cancel => VisitStatus::Cancelled,
            Self::LeftWithoutBeingSeen => VisitStatus::LeftWithoutBeingSeen,
        }
    }
}

/// One department's day, for the clinic admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentDay {
    pub department: String,
    pub visits: i64,
    pub waiting: i64,
    pub completed: i64,
    /// From check-in to being called, over today's called visits.
    pub average_wait_minutes: Option<f64>,
}

/// The day's counts at the front desk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    pub checked_in: i64,
    pub waiting: i64,
    pub in_consultation: i64,
    pub completed: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip() {
        for s in VisitStatus::ALL {
            assert_eq!(VisitStatus::parse(s.as_str()), Some(*s));
        }
        for t in VisitType::ALL {
            assert_eq!(VisitType::parse(t.as_str()), Some(*t));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(*p));
        }
        assert_eq!(VisitStatus::parse("done"), None);
    }

    #[test]
    fn the_state_machine_moves_forward_only() {
        use VisitStatus::*;
        assert!(Waiting.can_become(Called));
        assert!(Called.can_become(InConsultation));
        assert!(InConsultation.can_become(Completed));
        assert!(Called.can_become(NoShow));
        assert!(!Waiting.can_become(InConsultation));
        assert!(!Waiting.can_become(Completed));
        assert!(!Completed.can_become(Waiting));
        assert!(!InConsultation.can_become(NoShow));
        for s in VisitStatus::ALL {
            assert!(!s.can_become(*s), "{s:?} to itself");
            if !s.is_active() {
                assert!(
                    VisitStatus::ALL.iter().all(|n| !s.can_become(*n)),
                    "{s:?} is final"
                );
            }
        }
    }

    #[test]
    fn tokens_read_as_on_the_slip() {
        assert_eq!(token_label(7), "Token 7");
    }

    #[test]
    fn waits_come_from_recent_consultations_and_those_ahead() {
        assert_eq!(estimate_wait_minutes(0, Some(12.0), 1), 0);
        assert_eq!(estimate_wait_minutes(3, Some(12.0), 1), 40);
        assert_eq!(estimate_wait_minutes(3, None, 1), 30);
        assert_eq!(estimate_wait_minutes(3, Some(12.0), 2), 20);
        assert_eq!(estimate_wait_minutes(1, Some(f64::NAN), 0), 10);
        assert_eq!(estimate_wait_minutes(2, Some(600.0), 1), 240);
        assert_eq!(wait_label(0), "No wait");
        assert_eq!(wait_label(25), "About 25 minutes");
        assert_eq!(wait_label(120), "About 2 h");
        assert_eq!(wait_label(85), "About 1 h 25 min");
    }

    #[test]
    fn check_ins_need_a_department_a_type_and_a_priority() {
        let good = CheckInInput {
            department: Uuid::now_v7().to_string(),
            doctor: String::new(),
            visit_type: "walk_in".into(),
            reason: " Fever for 3 days ".into(),
            priority: "normal".into(),
        };
        let c = parse_check_in(&good).unwrap();
        assert_eq!(c.reason, "Fever for 3 days");
        assert_eq!(c.doctor_user_id, None);
        let emergency = parse_check_in(&CheckInInput {
            visit_type: "emergency".into(),
            ..good.clone()
        })
        .unwrap();
        assert_eq!(emergency.priority, Priority::Emergency);
        for (field, bad) in [
            (
                "department",
                CheckInInput {
                    department: "GEN".into(),
                    ..good.clone()
                },
            ),
            (
                "doctor",
                CheckInInput {
                    doctor: "dr-who".into(),
                    ..good.clone()
                },
            ),
            (
                "visit_type",
                CheckInInput {
                    visit_type: "drive_by".into(),
                    ..good.clone()
                },
            ),
            (
                "priority",
                CheckInInput {
                    priority: "asap".into(),
                    ..good.clone()
                },
            ),
            (
                "reason",
                CheckInInput {
                    reason: "x".repeat(501),
                    ..good.clone()
                },
            ),
            (
                "reason",
                CheckInInput {
                    reason: "a\u{0}".into(),
                    ..good.clone()
                },
            ),
        ] {
            let err = parse_check_in(&bad).unwrap_err();
            assert!(err.field_message(field).is_some(), "{field}");
        }
    }
}
