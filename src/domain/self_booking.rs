//! Self-booking suspension: after the clinic's number of no-shows within
//! its window, a patient may no longer book in the portal until the clinic
//! admin lifts the pause. No-shows from before a lift are not counted
//! again, so a lift gives the patient a fresh start.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::appointments::text;
use crate::domain::local_time::LocalTime;
use crate::domain::{AppError, FieldErrors};

/// The clinic's rule (`clinic_schedule_settings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuspensionRule {
    pub after_no_shows: i32,
    pub window_days: i32,
}

/// One no-show of the patient's: when the appointment was, and when the
/// sweep marked it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missed {
    pub starts: DateTime<Utc>,
    pub marked_at: DateTime<Utc>,
}

impl SuspensionRule {
    /// How many of `missed` count at `now`: appointments inside the window
    /// before `now`, marked after the last lift (if any).
    pub fn counted(
        &self,
        missed: &[Missed],
        last_lift: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> i32 {
        let from = now - Duration::days(i64::from(self.window_days));
        let n = missed
            .iter()
            .filter(|m| m.starts > from && m.starts <= now)
            .filter(|m| last_lift.is_none_or(|l| m.marked_at > l))
            .count();
        i32::try_from(n).unwrap_or(i32::MAX)
    }

    /// Whether `missed` suspend the patient's booking at `now`: the count,
    /// if it reaches the rule's number.
    pub fn suspends(
        &self,
        missed: &[Missed],
        last_lift: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<i32> {
        let n = self.counted(missed, last_lift, now);
        (n >= self.after_no_shows.max(1)).then_some(n)
    }
}

/// A pause in force, as the record and the portal show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuspensionNotice {
    pub since: LocalTime,
    pub no_shows: i32,
    pub window_days: i32,
    /// The person looking may lift it (the clinic admin).
    pub may_lift: bool,
}

impl SuspensionNotice {
    /// "Booking online paused since 4 Dec 2026 09:10 after 3 missed
    /// appointments in 90 days."
    pub fn sentence(&self) -> String {
        format!(
            "Booking online paused since {} after {} missed appointment{} in {} days.",
            self.since.compact(),
            self.no_shows,
            if self.no_shows == 1 { "" } else { "s" },
            self.window_days
        )
    }
}

/// The most a lift's reason holds.
pub const MAX_LIFT_REASON_CHARS: usize = 500;

/// Why the pause is lifted: required, as the audit trail keeps it.
pub fn parse_lift_reason(raw: &str) -> Result<String, AppError> {
    let mut e = FieldErrors::new();
    let reason = text(
        &mut e,
        "lift_reason",
        raw,
        MAX_LIFT_REASON_CHARS,
        "Say why booking online is allowed again.",
    );
    e.finish(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64) -> DateTime<Utc> {
        now() - Duration::days(days_ago)
    }

    fn now() -> DateTime<Utc> {
        "2026-12-07T12:00:00Z".parse().unwrap()
    }

    fn missed(days_ago: &[i64]) -> Vec<Missed> {
        days_ago
            .iter()
            .map(|d| Missed {
                starts: at(*d),
                marked_at: at(*d) + Duration::minutes(30),
            })
            .collect()
    }

    const RULE: SuspensionRule = SuspensionRule {
        after_no_shows: 3,
        window_days: 90,
    };

    #[test]
    fn the_rules_number_within_its_window_suspends() {
        assert_eq!(RULE.suspends(&missed(&[1, 30, 60]), None, now()), Some(3));
        assert_eq!(RULE.suspends(&missed(&[1, 30]), None, now()), None);
        // One outside the window does not count.
        assert_eq!(RULE.suspends(&missed(&[1, 30, 91]), None, now()), None);
        assert_eq!(
            RULE.suspends(&missed(&[1, 2, 30, 60]), None, now()),
            Some(4)
        );
    }

    #[test]
    fn a_lift_starts_the_count_again() {
        let all = missed(&[1, 2, 3, 40, 50]);
        assert_eq!(RULE.suspends(&all, Some(at(10)), now()), Some(3));
        assert_eq!(
            RULE.suspends(&all, Some(at(2) + Duration::hours(1)), now()),
            None
        );
        assert_eq!(
            RULE.counted(&all, Some(at(2) + Duration::hours(1)), now()),
            1
        );
    }

    #[test]
    fn the_notice_says_why() {
        let n = SuspensionNotice {
            since: LocalTime::utc(now()),
            no_shows: 3,
            window_days: 90,
            may_lift: false,
        };
        assert_eq!(
            n.sentence(),
            "Booking online paused since 7 Dec 2026 12:00 after 3 missed appointments in 90 days."
        );
    }

    #[test]
    fn a_lift_needs_a_reason() {
        assert_eq!(
            parse_lift_reason(" Spoke to patient ").unwrap(),
            "Spoke to patient"
        );
        for bad in ["", "   ", &"x".repeat(501), "a\u{0}b"] {
            assert!(parse_lift_reason(bad).is_err(), "{bad:?}");
        }
    }
}
