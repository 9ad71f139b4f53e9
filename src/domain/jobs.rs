//! Durable jobs: which recurring jobs there are and how often each runs,
//! the tick (slot) a moment belongs to, and how long a failed run waits
//! before its next attempt.
//!
//! A recurring job runs once per period across every server process: the
//! period's start is its slot, and the database's unique key on (job,
//! slot) lets one process claim it. A run that fails is retried with a
//! growing wait; one whose process stopped is taken up again once its
//! lease runs out. Jobs are written so that running one twice does no
//! harm (each does what is due, and marks what it did in the same
//! transaction), so "at least once" runs give "exactly once" effects.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How often a run may be tried before it is left failed for a person.
pub const MAX_ATTEMPTS: i32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobName {
    /// Booked appointments past their end and the clinic's grace become
    /// no-shows, each with its penalty row and one email to the patient.
    NoShowSweep,
    /// Booked appointments 24 hours and 2 hours ahead: one reminder email
    /// each.
    Reminders,
}

impl JobName {
    pub const ALL: [JobName; 2] = [JobName::NoShowSweep, JobName::Reminders];

    pub fn as_str(self) -> &'static str {
        match self {
            JobName::NoShowSweep => "no_show_sweep",
            JobName::Reminders => "appointment_reminders",
        }
    }

    /// Its short name, as operators type it (`hms jobs run no-show`).
    pub fn short(self) -> &'static str {
        match self {
            JobName::NoShowSweep => "no_show",
            JobName::Reminders => "reminders",
        }
    }

    /// A job by its name or short name, with `-` or `_` between words.
    pub fn parse(raw: &str) -> Option<Self> {
        let name = raw.trim().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|j| j.as_str() == name || j.short() == name)
    }

    /// How often it runs.
    pub fn every(self) -> Duration {
        match self {
            JobName::NoShowSweep => Duration::minutes(10),
            // A reminder goes out within five minutes of its window opening.
            JobName::Reminders => Duration::minutes(5),
        }
    }

    /// How long one run may take before another process may take it up.
    pub fn lease(self) -> Duration {
        match self {
            JobName::NoShowSweep => Duration::minutes(5),
            JobName::Reminders => Duration::minutes(4),
        }
    }
}

/// The start of the period `at` falls in: the tick a recurring job claims.
pub fn slot(at: DateTime<Utc>, every: Duration) -> DateTime<Utc> {
    let period = every.num_seconds().max(1);
    let secs = at.timestamp().div_euclid(period) * period;
    DateTime::from_timestamp(secs, 0).unwrap_or(at)
}

/// The wait before attempt `attempts + 1` of a failed run: 30 s, doubling,
/// at most an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    let doublings = attempts.clamp(1, 8) - 1;
    Duration::seconds((30i64 << doublings).min(3600))
}

/// A run's state (`job_runs.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// Claimed by one process until its lease ends.
    Running,
    Succeeded,
    /// Failed every attempt: a person looks.
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Pending => "pending",
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl RunStatus {
    pub const ALL: [RunStatus; 4] = [
        RunStatus::Pending,
        RunStatus::Running,
        RunStatus::Succeeded,
        RunStatus::Failed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Pending => "Waiting",
            RunStatus::Running => "Running",
            RunStatus::Succeeded => "Succeeded",
            RunStatus::Failed => "Failed",
        }
    }
}

/// What a job is called on the platform's jobs page.
pub fn job_label(name: &str) -> &'static str {
    match JobName::parse(name) {
        Some(JobName::NoShowSweep) => "No-show sweep",
        Some(JobName::Reminders) => "Appointment reminders",
        None => "Another version's job",
    }
}

/// One run on the platform's jobs page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRunEntry {
    pub id: uuid::Uuid,
    pub job: String,
    pub slot: DateTime<Utc>,
    pub status: RunStatus,
    pub attempts: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What it did, as its JSON (counts only).
    pub outcome: Option<String>,
    pub last_error: Option<String>,
    /// Who asked for a run out of the schedule.
    pub requested_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_moment_belongs_to_the_tick_its_period_starts_with() {
        let ten = Duration::minutes(10);
        assert_eq!(
            slot(at("2026-12-07T10:29:59Z"), ten),
            at("2026-12-07T10:20:00Z")
        );
        assert_eq!(
            slot(at("2026-12-07T10:30:00Z"), ten),
            at("2026-12-07T10:30:00Z")
        );
        assert_eq!(
            slot(at("2026-12-07T10:30:00.5Z"), ten),
            at("2026-12-07T10:30:00Z")
        );
        // Two processes a moment apart claim the same tick.
        assert_eq!(
            slot(at("2026-12-07T10:31:00Z"), ten),
            slot(at("2026-12-07T10:39:59Z"), ten)
        );
    }

    #[test]
    fn failed_runs_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|a| retry_delay(a).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(0).num_seconds(), 30);
    }

    #[test]
    fn jobs_and_statuses_read_back_from_their_names() {
        for j in JobName::ALL {
            assert_eq!(JobName::parse(j.as_str()), Some(j));
            assert!(j.lease() < j.every());
        }
        assert_eq!(JobName::parse("rm -rf"), None);
        for typed in ["no-show", "no_show", "no-show-sweep", " no_show_sweep "] {
            assert_eq!(JobName::parse(typed), Some(JobName::NoShowSweep), "{typed}");
        }
        assert_eq!(job_label("no_show_sweep"), "No-show sweep");
        assert_eq!(JobName::parse("reminders"), Some(JobName::Reminders));
        assert_eq!(job_label("appointment_reminders"), "Appointment reminders");
        assert_eq!(job_label("reminders_v9"), "Another version's job");
        for s in ["pending", "running", "succeeded", "failed"] {
            assert_eq!(RunStatus::parse(s).map(RunStatus::as_str), Some(s));
        }
    }
}
