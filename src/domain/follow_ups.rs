//! Follow-ups: "see this patient again by this date, for this reason",
//! which the front desk turns into an appointment. Once booked a follow-up
//! follows its appointment (the database moves it): completed with the
//! visit, missed on a no-show, pending again if the appointment is
//! cancelled. A pending one the desk cannot book is marked missed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::appointments::{parse_date, text};
use super::error::{AppError, FieldErrors};
use super::local_time::LocalTime;
use super::paging::Page;
use super::stored_enum::stored_enum;
use super::visits::DepartmentChoice;

pub const MAX_FOLLOW_UP_REASON_CHARS: usize = 500;
/// How far ahead a follow-up may be due (the database holds the same).
pub const MAX_DUE_DAYS: i64 = 730;
/// How many of a patient's follow-ups their record shows, newest due first.
pub const RECORD_FOLLOW_UPS: i64 = 20;

stored_enum!(FollowUpStatus {
    Pending => ("pending", "Pending"),
    Booked => ("booked", "Booked"),
    Completed => ("completed", "Completed"),
    Missed => ("missed", "Missed"),
});

impl FollowUpStatus {
    /// The moves the lifecycle allows (`follow_up_transition_allowed()` in
    /// the migrations holds the same list; a test compares the two). Out
    /// of booked only with the appointment.
    pub fn can_become(self, next: FollowUpStatus) -> bool {
        use FollowUpStatus::*;
        matches!(
            (self, next),
            (Pending, Booked | Missed) | (Booked, Pending | Completed | Missed)
        )
    }
}

/// The "Add follow-up" form as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpInput {
    pub department: String,
    /// Empty: whichever doctor of the department is free.
    pub doctor: String,
    pub due_on: String,
    pub reason: String,
}

/// A checked follow-up. Department and doctor are ids as given: the
/// database decides whether they are this clinic's and belong together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFollowUp {
    pub department_id: Uuid,
    pub doctor_user_id: Option<Uuid>,
    pub due_on: NaiveDate,
    pub reason: String,
}

/// Checks the form against the clinic's `today`.
pub fn parse_follow_up(input: &FollowUpInput, today: NaiveDate) -> Result<NewFollowUp, AppError> {
    let mut e = FieldErrors::new();
    let department_id = Uuid::parse_str(input.department.trim()).unwrap_or_else(|_| {
        e.add("department", "Choose a department.");
        Uuid::nil()
    });
    let doctor_user_id = match input.doctor.trim() {
        "" => None,
        raw => Some(Uuid::parse_str(raw).unwrap_or_else(|_| {
            e.add("doctor", "Choose a doctor from the list, or any doctor.");
            Uuid::nil()
        })),
    };
    let due_on = match parse_date(&input.due_on) {
        None => {
            e.add("due_on", "Enter the date the patient should come back by.");
            today
        }
        Some(d) if d < today => {
            e.add("due_on", "Choose today or a later day.");
            d
        }
        Some(d) if (d - today).num_days() > MAX_DUE_DAYS => {
            e.add("due_on", "Choose a day within two years.");
            d
        }
        Some(d) => d,
    };
    let reason = text(
        &mut e,
        "reason",
        &input.reason,
        MAX_FOLLOW_UP_REASON_CHARS,
        "Say why the patient should come back.",
    );
    e.finish(NewFollowUp {
        department_id,
        doctor_user_id,
        due_on,
        reason,
    })
}

/// A follow-up may be marked missed once pending on or after its due day:
/// before then the patient may still be booked.
pub fn missable(status: FollowUpStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status == FollowUpStatus::Pending && due_on <= today
}

/// One follow-up as the lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FollowUpItem {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_number: String,
    pub department_id: Uuid,
    pub department: String,
    pub doctor_user_id: Option<Uuid>,
    pub doctor: Option<String>,
    pub due_on: NaiveDate,
    pub reason: String,
    pub status: FollowUpStatus,
    pub appointment_id: Option<Uuid>,
    /// The booked appointment's start, while it is booked or after.
    pub appointment_starts: Option<LocalTime>,
    /// Who asked for it.
    pub asked_by: String,
}

impl FollowUpItem {
    /// Pending past its day: the desk should call the patient.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == FollowUpStatus::Pending && self.due_on < today
    }

    /// Whether the desk may mark it missed: pending, and its day has come.
    pub fn may_mark_missed(&self, today: NaiveDate) -> bool {
        missable(self.status, self.due_on, today)
    }

    /// "Due today", "Due in 3 days", "Overdue by 2 days", or the day once
    /// it is no longer waiting to be booked.
    pub fn due_label(&self, today: NaiveDate) -> String {
        let day = self.due_on.format("%-d %b %Y").to_string();
        if self.status != FollowUpStatus::Pending {
            return format!("Due by {day}");
        }
        match (self.due_on - today).num_days() {
            0 => format!("Due today ({day})"),
            1 => format!("Due tomorrow ({day})"),
            n if n > 1 => format!("Due in {n} days ({day})"),
            -1 => format!("Overdue by 1 day ({day})"),
            n => format!("Overdue by {} days ({day})", -n),
        }
    }

    /// "Follow-up with Dr Asha Rao in General Medicine, due by 8 December
    /// 2026: review blood pressure (asked by Maya Patel)."
    pub fn summary(&self) -> String {
        let with = self
            .doctor
            .as_ref()
            .map(|d| format!(" with {d}"))
            .unwrap_or_default();
        let by = if self.asked_by.is_empty() {
            String::new()
        } else {
            format!(" (asked by {})", self.asked_by)
        };
        format!(
            "Follow-up{with} in {}, due by {}: {}{by}.",
            self.department,
            self.due_on.format("%-d %B %Y"),
            self.reason,
        )
    }

    /// The booking page, with the patient, department, doctor and day
    /// chosen, and this follow-up to be booked by it. The day is the due
    /// day, or today once that has passed.
    pub fn booking_href(&self, slug: &str, today: NaiveDate) -> String {
        let day = self.due_on.max(today).to_string();
        let doctor = self
            .doctor_user_id
            .map(|d| d.to_string())
            .unwrap_or_default();
        super::url::with_query(
            &format!("/c/{slug}/appointments/new"),
            &[
                ("patient", &self.patient_id.to_string()),
                ("department", &self.department_id.to_string()),
                ("doctor", &doctor),
                ("day", &day),
                ("follow_up", &self.id.to_string()),
            ],
        )
    }
}

/// Which follow-ups the desk's list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpView {
    /// Pending ones by due date, the overdue first: the desk's work.
    ToBook,
    /// Any one status, most recently due first.
    Status(FollowUpStatus),
}

impl FollowUpView {
    /// From a query string: anything unknown is the default, as people
    /// edit URLs.
    pub fn parse(raw: &str) -> Self {
        match FollowUpStatus::parse(raw.trim()) {
            Some(FollowUpStatus::Pending) | None => FollowUpView::ToBook,
            Some(s) => FollowUpView::Status(s),
        }
    }

    pub fn status(self) -> FollowUpStatus {
        match self {
            FollowUpView::ToBook => FollowUpStatus::Pending,
            FollowUpView::Status(s) => s,
        }
    }
}

/// The desk's list of follow-ups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpList {
    pub today: NaiveDate,
    pub status: FollowUpStatus,
    pub items: Page<FollowUpItem>,
    /// Whether the viewer books them (and marks them missed).
    pub may_book: bool,
}

/// A patient's follow-ups on their record, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientFollowUps {
    pub patient_id: Uuid,
    pub today: NaiveDate,
    pub items: Vec<FollowUpItem>,
    /// The departments and their doctors, when the viewer may add one.
    pub departments: Vec<DepartmentChoice>,
    pub may_add: bool,
    pub may_book: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use FollowUpStatus::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn input(due: &str) -> FollowUpInput {
        FollowUpInput {
            department: Uuid::now_v7().to_string(),
            doctor: String::new(),
            due_on: due.into(),
            reason: "Review blood pressure".into(),
        }
    }

    fn fields(r: Result<NewFollowUp, AppError>) -> Vec<String> {
        match r {
            Err(AppError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn only_the_lifecycle_moves_are_allowed() {
        let allowed: Vec<_> = FollowUpStatus::ALL
            .iter()
            .flat_map(|a| FollowUpStatus::ALL.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            [
                (Pending, Booked),
                (Pending, Missed),
                (Booked, Pending),
                (Booked, Completed),
                (Booked, Missed)
            ]
        );
        assert!(!Completed.can_become(Pending) && !Missed.can_become(Booked));
    }

    #[test]
    fn a_follow_up_is_due_from_today_to_two_years_ahead() {
        let ok = parse_follow_up(&input("2026-12-07"), today()).unwrap();
        assert_eq!(ok.due_on, today());
        assert_eq!(ok.reason, "Review blood pressure");
        assert!(parse_follow_up(&input("2028-12-06"), today()).is_ok());
        assert_eq!(
            fields(parse_follow_up(&input("2028-12-07"), today())),
            ["due_on"]
        );
        assert_eq!(
            fields(parse_follow_up(&input("2026-12-06"), today())),
            ["due_on"]
        );
        for bad in ["", "07/12/2026", "2026-02-30", "tomorrow", "2026-12-7"] {
            assert_eq!(
                fields(parse_follow_up(&input(bad), today())),
                ["due_on"],
                "{bad}"
            );
        }
    }

    #[test]
    fn department_doctor_and_reason_are_checked() {
        let bad = FollowUpInput {
            department: "cardiology".into(),
            doctor: "dr-who".into(),
            due_on: "2027-01-04".into(),
            reason: "  ".into(),
        };
        assert_eq!(
            fields(parse_follow_up(&bad, today())),
            ["department", "doctor", "reason"]
        );
        let mut long = input("2027-01-04");
        long.reason = "x".repeat(MAX_FOLLOW_UP_REASON_CHARS + 1);
        assert_eq!(fields(parse_follow_up(&long, today())), ["reason"]);
        long.reason = "bell\u{7}".into();
        assert_eq!(fields(parse_follow_up(&long, today())), ["reason"]);
        let named = FollowUpInput {
            doctor: Uuid::now_v7().to_string(),
            ..input("2027-01-04")
        };
        assert!(
            parse_follow_up(&named, today())
                .unwrap()
                .doctor_user_id
                .is_some()
        );
    }

    fn item(due: NaiveDate, status: FollowUpStatus) -> FollowUpItem {
        FollowUpItem {
            id: Uuid::nil(),
            patient_id: Uuid::nil(),
            patient_name: "Oliver Grant".into(),
            patient_number: "PT-2026-00001".into(),
            department_id: Uuid::nil(),
            department: "General Medicine".into(),
            doctor_user_id: None,
            doctor: None,
            due_on: due,
            reason: "Review".into(),
            status,
            appointment_id: None,
            appointment_starts: None,
            asked_by: "Dr Asha Rao".into(),
        }
    }

    #[test]
    fn the_due_label_counts_days_and_says_overdue() {
        let t = today();
        let days = |n| t + chrono::Duration::days(n);
        assert_eq!(item(t, Pending).due_label(t), "Due today (7 Dec 2026)");
        assert_eq!(
            item(days(1), Pending).due_label(t),
            "Due tomorrow (8 Dec 2026)"
        );
        assert_eq!(
            item(days(10), Pending).due_label(t),
            "Due in 10 days (17 Dec 2026)"
        );
        assert_eq!(
            item(days(-1), Pending).due_label(t),
            "Overdue by 1 day (6 Dec 2026)"
        );
        assert_eq!(
            item(days(-3), Pending).due_label(t),
            "Overdue by 3 days (4 Dec 2026)"
        );
        assert_eq!(item(days(-3), Booked).due_label(t), "Due by 4 Dec 2026");
        assert!(item(days(-1), Pending).overdue(t));
        assert!(!item(t, Pending).overdue(t) && !item(days(-1), Missed).overdue(t));
        assert!(item(t, Pending).may_mark_missed(t) && item(days(-2), Pending).may_mark_missed(t));
        assert!(!item(days(1), Pending).may_mark_missed(t) && !item(t, Booked).may_mark_missed(t));
    }

    #[test]
    fn the_summary_names_the_doctor_only_when_one_was_named() {
        let t = today();
        let mut f = item(t, Pending);
        assert_eq!(
            f.summary(),
            "Follow-up in General Medicine, due by 7 December 2026: Review (asked by Dr Asha Rao)."
        );
        f.doctor = Some("Dr Sam Okafor".into());
        f.asked_by = String::new();
        assert_eq!(
            f.summary(),
            "Follow-up with Dr Sam Okafor in General Medicine, due by 7 December 2026: Review."
        );
    }

    #[test]
    fn booking_starts_on_the_due_day_or_today_once_it_has_passed() {
        let t = today();
        let href = item(t + chrono::Duration::days(5), Pending).booking_href("riverside", t);
        assert!(href.starts_with("/c/riverside/appointments/new?"), "{href}");
        assert!(
            href.contains("day=2026-12-12") && href.contains("follow_up="),
            "{href}"
        );
        let late = item(t - chrono::Duration::days(5), Pending).booking_href("riverside", t);
        assert!(late.contains("day=2026-12-07"), "{late}");
    }

    #[test]
    fn the_list_view_defaults_to_what_is_left_to_book() {
        assert_eq!(FollowUpView::parse(""), FollowUpView::ToBook);
        assert_eq!(FollowUpView::parse("pending"), FollowUpView::ToBook);
        assert_eq!(FollowUpView::parse("nonsense"), FollowUpView::ToBook);
        assert_eq!(FollowUpView::parse("missed"), FollowUpView::Status(Missed));
        assert_eq!(FollowUpView::parse("missed").status(), Missed);
    }
}
