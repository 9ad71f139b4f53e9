//! No-show metrics for the clinic's admin: over a period of local days,
//! how many appointments were due (the patient was expected: checked in,
//! seen or missed; cancellations are not), how many were missed, and the
//! rate, for the clinic, per doctor and per patient.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::appointments::parse_date;
use super::error::{AppError, FieldErrors};
use super::paging::Page;

/// The period shown when none is asked for: the last 30 days, today
/// included.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest period counted at once: a year (a day more for a leap year).
pub const MAX_DAYS: i64 = 366;

/// A period of the clinic's local days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The last [`DEFAULT_DAYS`] days up to `today`.
    pub fn recent(today: NaiveDate) -> Self {
        Self {
            from: today - Duration::days(DEFAULT_DAYS - 1),
            to: today,
        }
    }

    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// The period as typed (`YYYY-MM-DD`, either end may be left empty: the
/// last 30 days, or 30 days from the start, or up to today).
pub fn parse_period(from: &str, to: &str, today: NaiveDate) -> Result<Period, AppError> {
    let mut e = FieldErrors::new();
    let read = |e: &mut FieldErrors, field: &str, raw: &str| match raw.trim() {
        "" => None,
        text => parse_date(text).or_else(|| {
            e.add(field, "Enter a date as YYYY-MM-DD.");
            None
        }),
    };
    let (start, end) = (read(&mut e, "from", from), read(&mut e, "to", to));
    let period = match (start, end) {
        (None, None) => Period::recent(today),
        (Some(from), None) => Period {
            from,
            to: (from + Duration::days(DEFAULT_DAYS - 1)).min(today),
        },
        (None, Some(to)) => Period {
            from: to - Duration::days(DEFAULT_DAYS - 1),
            to,
        },
        (Some(from), Some(to)) => Period { from, to },
    };
    if period.to > today {
        e.add(
            "to",
            "Choose today or an earlier day: later appointments cannot have been missed yet.",
        );
    }
    if period.from > period.to {
        e.add("from", "Choose a start on or before the end.");
    } else if period.days() > MAX_DAYS {
        e.add("from", "Choose a period of at most a year.");
    }
    e.finish(period)
}

/// Appointments due and missed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoShowRate {
    /// Appointments the patient was expected at (checked in, seen or
    /// missed).
    pub due: i64,
    pub missed: i64,
}

impl NoShowRate {
    /// The share missed, as "12.5%", or "–" with none due.
    pub fn percent(self) -> String {
        if self.due <= 0 {
            return "–".into();
        }
        let tenths = (self.missed * 1000 + self.due / 2) / self.due;
        format!("{}.{}%", tenths / 10, tenths % 10)
    }

    /// In words, for a screen reader and a summary line.
    pub fn summary(self) -> String {
        match self.due {
            0 => "No appointments were due.".into(),
            1 => format!("{} of 1 appointment missed.", self.missed),
            due => format!("{} of {due} appointments missed.", self.missed),
        }
    }
}

/// One doctor's no-shows in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoctorNoShows {
    pub doctor_user_id: Uuid,
    pub doctor: String,
    pub rate: NoShowRate,
}

/// One patient's no-shows in the period (those with any).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientNoShows {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_number: String,
    pub missed: i64,
    pub last_missed: NaiveDate,
    /// Booking online is paused for them now (after repeated no-shows).
    pub booking_paused: bool,
}

/// Which list the report shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoShowView {
    Doctors,
    Patients,
}

impl NoShowView {
    /// From a query string: anything unknown is the doctors.
    pub fn parse(raw: &str) -> Self {
        if raw.trim() == "patients" {
            NoShowView::Patients
        } else {
            NoShowView::Doctors
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoShowView::Doctors => "doctors",
            NoShowView::Patients => "patients",
        }
    }
}

/// The report page: the clinic's rate over the period and one page of one
/// of the lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoShowReport {
    pub period: Period,
    pub today: NaiveDate,
    pub clinic: NoShowRate,
    pub view: NoShowView,
    pub doctors: Page<DoctorNoShows>,
    pub patients: Page<PatientNoShows>,
}

/// The admin dashboard's card: the clinic's rate over the last 30 days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoShowCard {
    pub period: Period,
    pub rate: NoShowRate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_period_is_the_last_thirty_days_and_either_end_fills_the_other() {
        let today = d("2026-12-08");
        let p = parse_period("", "", today).unwrap();
        assert_eq!((p.from, p.to, p.days()), (d("2026-11-09"), today, 30));
        let p = parse_period("2026-01-01", " ", today).unwrap();
        assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-01-30")));
        let p = parse_period("2026-11-20", "", today).unwrap();
        assert_eq!(p.to, today, "never past today");
        let p = parse_period("", "2026-06-30", today).unwrap();
        assert_eq!((p.from, p.to), (d("2026-06-01"), d("2026-06-30")));
        let p = parse_period("2025-12-09", "2026-12-08", today).unwrap();
        assert_eq!(p.days(), 365);
    }

    #[test]
    fn malformed_reversed_future_and_overlong_periods_are_refused_by_field() {
        let today = d("2026-12-08");
        assert_eq!(
            fields(parse_period("last month", "", today).unwrap_err()),
            ["from"]
        );
        assert_eq!(
            fields(parse_period("", "2026-02-30", today).unwrap_err()),
            ["to"]
        );
        assert_eq!(
            fields(parse_period("2026-12-01", "2026-11-01", today).unwrap_err()),
            ["from"]
        );
        assert_eq!(
            fields(parse_period("2026-12-01", "2026-12-09", today).unwrap_err()),
            ["to"]
        );
        assert_eq!(
            fields(parse_period("2024-01-01", "2026-12-08", today).unwrap_err()),
            ["from"]
        );
        assert_eq!(
            fields(parse_period("x\0", "y", today).unwrap_err()),
            ["from", "to"]
        );
    }

    #[test]
    fn the_rate_is_a_rounded_percentage_and_says_when_nothing_was_due() {
        let r = |due, missed| NoShowRate { due, missed };
        assert_eq!(r(0, 0).percent(), "–");
        assert_eq!(r(8, 1).percent(), "12.5%");
        assert_eq!(r(3, 1).percent(), "33.3%");
        assert_eq!(r(3, 2).percent(), "66.7%");
        assert_eq!(r(5, 5).percent(), "100.0%");
        assert_eq!(r(7, 0).percent(), "0.0%");
        assert_eq!(r(0, 0).summary(), "No appointments were due.");
        assert_eq!(r(1, 1).summary(), "1 of 1 appointment missed.");
        assert_eq!(r(40, 3).summary(), "3 of 40 appointments missed.");
    }

    #[test]
    fn the_view_comes_from_the_query_and_defaults_to_doctors() {
        assert_eq!(NoShowView::parse("patients"), NoShowView::Patients);
        assert_eq!(NoShowView::parse(""), NoShowView::Doctors);
        assert_eq!(NoShowView::parse("anything"), NoShowView::Doctors);
        assert_eq!(NoShowView::Patients.as_str(), "patients");
    }
}
