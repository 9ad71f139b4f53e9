//! Moments as a clinic reads them: in the clinic's own time zone, compact
//! in lists, in full on hover and for screen readers. The server works out
//! the clinic's offset at each moment (PostgreSQL knows the zone rules), so
//! the browser bundle carries no time-zone data.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LocalTime {
    pub utc: DateTime<Utc>,
    /// The clinic's offset from UTC at that moment, in seconds east.
    pub offset_secs: i32,
    /// The clinic's IANA zone ("Asia/Kolkata"); "UTC" outside any clinic.
    pub zone: String,
}

impl LocalTime {
    /// A moment outside any clinic (the platform's events).
    pub fn utc(at: DateTime<Utc>) -> Self {
        Self {
            utc: at,
            offset_secs: 0,
            zone: "UTC".into(),
        }
    }

    /// A moment in a clinic's zone, from the offset the database worked
    /// out (in seconds); without one, UTC.
    pub fn in_zone(at: DateTime<Utc>, offset_secs: Option<f64>, zone: Option<String>) -> Self {
        match (offset_secs, zone) {
            (Some(secs), Some(zone)) if secs.abs() <= 86_400.0 => Self {
                utc: at,
                offset_secs: secs.round() as i32,
                zone,
            },
            _ => Self::utc(at),
        }
    }

    fn local(&self) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(self.offset_secs)
            .map(|o| self.utc.with_timezone(&o))
            .unwrap_or_else(|| self.utc.fixed_offset())
    }

    /// "4 Dec 2026 19:35": short enough for a table cell.
    pub fn compact(&self) -> String {
        self.local().format("%-d %b %Y %H:%M").to_string()
    }

    /// The clinic's calendar day at that moment.
    pub fn local_date(&self) -> chrono::NaiveDate {
        self.local().date_naive()
    }

    /// "19:35": the time of day, where the day is already said (a day's
    /// appointments).
    pub fn clock(&self) -> String {
        self.local().format("%H:%M").to_string()
    }

    /// "Fri 4 Dec": a day of the coming weeks, for choices.
    pub fn weekday_date(&self) -> String {
        self.local().format("%a %-d %b").to_string()
    }

    /// "4 Dec 2026": the local day, for sentences.
    pub fn date(&self) -> String {
        self.local().format("%-d %b %Y").to_string()
    }

    /// "Friday 4 December 2026, 19:35:12 (Asia/Kolkata, UTC+05:30)".
    pub fn full(&self) -> String {
        let s = self.offset_secs.abs();
        let sign = if self.offset_secs < 0 { '-' } else { '+' };
        format!(
            "{} ({}, UTC{sign}{:02}:{:02})",
            self.local().format("%A %-d %B %Y, %H:%M:%S"),
            self.zone,
            s / 3600,
            (s % 3600) / 60
        )
    }

    /// "Tuesday 8 December 2026 at 09:30 (Europe/London)": an
    /// appointment's time in a letter to the patient.
    pub fn appointment(&self) -> String {
        format!(
            "{} at {} ({})",
            self.local().format("%A %-d %B %Y"),
            self.clock(),
            self.zone
        )
    }

    /// For `<time datetime>`: the local moment with its offset.
    pub fn machine(&self) -> String {
        self.local().to_rfc3339()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-12-04T14:05:09Z".parse().unwrap()
    }

    #[test]
    fn a_moment_reads_in_the_clinics_zone() {
        let kolkata = LocalTime::in_zone(at(), Some(19_800.0), Some("Asia/Kolkata".into()));
        assert_eq!(kolkata.compact(), "4 Dec 2026 19:35");
        assert_eq!(
            kolkata.full(),
            "Friday 4 December 2026, 19:35:09 (Asia/Kolkata, UTC+05:30)"
        );
        assert_eq!(kolkata.machine(), "2026-12-04T19:35:09+05:30");
        assert_eq!(kolkata.clock(), "19:35");
        assert_eq!(kolkata.weekday_date(), "Fri 4 Dec");
        assert_eq!(
            kolkata.appointment(),
            "Friday 4 December 2026 at 19:35 (Asia/Kolkata)"
        );
        let west = LocalTime::in_zone(at(), Some(-18_000.0), Some("America/New_York".into()));
        assert_eq!(west.compact(), "4 Dec 2026 09:05");
        // Late evening in UTC is already the next day in Kolkata.
        let late = LocalTime::in_zone(
            "2026-12-04T20:00:00Z".parse().unwrap(),
            Some(19_800.0),
            Some("Asia/Kolkata".into()),
        );
        assert_eq!(late.date(), "5 Dec 2026");
        assert_eq!(late.local_date().to_string(), "2026-12-05");
        assert!(west.full().ends_with("(America/New_York, UTC-05:00)"));
    }

    #[test]
    fn without_a_clinic_or_with_a_nonsense_offset_it_is_utc() {
        assert_eq!(LocalTime::in_zone(at(), None, None).zone, "UTC");
        assert_eq!(
            LocalTime::in_zone(at(), Some(1e9), Some("X".into())).offset_secs,
            0
        );
        assert_eq!(LocalTime::utc(at()).compact(), "4 Dec 2026 14:05");
    }
}
