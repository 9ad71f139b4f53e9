//! The clinic's own calendar: its opening hours per weekday and the days it
//! is closed. Booking keeps inside both (the database's
//! `appointment_in_hours`); the clinic admin sets them. No opening hours
//! at all means the clinic is open whenever its doctors hold sessions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::appointments::{parse_date, text};
use super::schedules::SessionRow;
use super::{AppError, FieldErrors};

/// A holiday's name as the database bounds it.
pub const MAX_HOLIDAY_NAME_CHARS: usize = 100;

/// How many holidays ahead the settings page lists: a clinic closes some
/// fifteen days a year, so this is years of them.
pub const HOLIDAYS_LISTED: i64 = 100;

/// A day the clinic is closed, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HolidayInput {
    pub day: String,
    pub name: String,
}

/// A day the clinic is closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
}

/// The clinic's hours and closed days, for the booking rules page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicCalendar {
    /// The opening hours, as the week form shows them (no rooms).
    pub opening_hours: Vec<SessionRow>,
    /// The holidays from today on, soonest first, at most `HOLIDAYS_LISTED`.
    pub holidays: Vec<Holiday>,
    pub today: NaiveDate,
    pub zone: String,
}

/// A new holiday: a real day, today or later (a closed day in the past
/// changes nothing), and a name for the people booking.
pub fn parse_holiday(input: &HolidayInput, today: NaiveDate) -> Result<Holiday, AppError> {
    let mut e = FieldErrors::new();
    let day = parse_date(&input.day);
    match day {
        None => e.add("day", "Enter a date (YYYY-MM-DD)."),
        Some(d) if d < today => e.add("day", "Choose today or a later day."),
        Some(_) => {}
    }
    let name = text(
        &mut e,
        "name",
        &input.name,
        MAX_HOLIDAY_NAME_CHARS,
        "Name the holiday (people booking see it).",
    );
    e.finish(Holiday {
        day: day.unwrap_or(today),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(d: &str, name: &str) -> HolidayInput {
        HolidayInput {
            day: d.into(),
            name: name.into(),
        }
    }

    #[test]
    fn a_holiday_is_a_named_day_from_today_on() {
        let today = day("2026-12-08");
        assert_eq!(
            parse_holiday(&input(" 2026-12-25 ", "  Christmas Day "), today).unwrap(),
            Holiday {
                day: day("2026-12-25"),
                name: "Christmas Day".into()
            }
        );
        assert_eq!(
            parse_holiday(&input("2026-12-08", "Staff training"), today)
                .unwrap()
                .day,
            today
        );
    }

    #[test]
    fn bad_holidays_are_refused_by_field() {
        let today = day("2026-12-08");
        let long = "x".repeat(MAX_HOLIDAY_NAME_CHARS + 1);
        for (d, name, field) in [
            ("2026-12-07", "Yesterday", "day"),
            ("2026-02-30", "No such day", "day"),
            ("25/12/2026", "Christmas", "day"),
            ("", "Christmas", "day"),
            ("2026-12-25", "   ", "name"),
            ("2026-12-25", long.as_str(), "name"),
            ("2026-12-25", "Bell\u{7}", "name"),
        ] {
            let Err(AppError::Validation(errors)) = parse_holiday(&input(d, name), today) else {
                panic!("{d:?} {name:?} was accepted");
            };
            assert_eq!(errors.len(), 1, "{d:?} {name:?}");
            assert_eq!(errors[0].field, field, "{d:?} {name:?}");
        }
    }
}
