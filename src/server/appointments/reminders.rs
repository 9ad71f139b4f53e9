//! Reminders: 24 hours and 2 hours before a booked appointment, one email
//! each. Two sweeps at once, or one run again after a crash, remind once:
//! the reminder row, keyed by (appointment, which reminder, its start),
//! commits with the email, whose own key names the same three.
//!
//! A reminder is due once its window has opened (the start is at most 24 or
//! 2 hours away) and not yet passed, and only if the patient was given the
//! time before the window opened: someone booked this morning for tonight
//! has the confirmation in hand and is not reminded of it by the day-before
//! letter. When a late sweep finds both windows open, only the 2-hour one
//! is sent. A moved appointment is reminded again for its new time.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::AppError;
use crate::server::appointments::letters::{self, LetterKind};
use crate::server::schedules::clinic_zone;
use crate::server::tenancy::{self, ScopeToken};

/// How many reminders one transaction writes.
const BATCH: i64 = 200;

/// What a sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReminderReport {
    pub clinics: u32,
    pub reminders: u32,
    pub emails: u32,
}

/// Reminds, in every clinic, what is due as of `now`.
pub async fn sweep(
    pool: &PgPool,
    scope: &ScopeToken,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<ReminderReport, AppError> {
    let mut report = ReminderReport::default();
    for clinic in tenancy::clinic_ids(pool, scope).await? {
        report.clinics += 1;
        loop {
            let (due, emailed) = remind_batch(pool, scope, clinic, base_url, now).await?;
            report.reminders += due;
            report.emails += emailed;
            if i64::from(due) < BATCH {
                break;
            }
        }
    }
    Ok(report)
}

/// One batch of one clinic, in one transaction: (reminders, emails queued).
async fn remind_batch(
    pool: &PgPool,
    scope: &ScopeToken,
    clinic: Uuid,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<(u32, u32), AppError> {
    let mut tx = tenancy::begin_system_in_clinic(pool, scope, clinic).await?;
    let due = sqlx::query!(
        r#"with due as (
               select a.id, a.clinic_id, k.kind, lower(a.during) as starts
               from appointments a
               cross join (values ('day_before', interval '24 hours'),
                                  ('two_hours', interval '2 hours')) as k (kind, ahead)
               where a.clinic_id = app_clinic_id() and a.status = 'booked'
                 and lower(a.during) > $1 and lower(a.during) <= $1 + k.ahead
                 and coalesce(a.moved_at, a.created_at) <= lower(a.during) - k.ahead
                 and (k.kind = 'two_hours' or lower(a.during) > $1 + interval '2 hours')
                 and not exists (
                     select 1 from appointment_reminders r
                     where r.appointment_id = a.id and r.kind = k.kind
                       and r.starts = lower(a.during))
               order by lower(a.during), a.id
               limit $2
               for update of a skip locked)
           insert into appointment_reminders (appointment_id, clinic_id, kind, starts)
           select id, clinic_id, kind, starts from due
           on conflict do nothing
           returning appointment_id, kind"#,
        now,
        BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    if due.is_empty() {
        tx.commit().await?;
        return Ok((0, 0));
    }
    let (tz, zone) = clinic_zone(&mut tx).await?;
    let mut emails = 0;
    for (kind, name) in [
        (LetterKind::DayBefore, "day_before"),
        (LetterKind::TwoHours, "two_hours"),
    ] {
        let ids: Vec<Uuid> = due
            .iter()
            .filter(|d| d.kind == name)
            .map(|d| d.appointment_id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let facts = letters::facts(&mut tx, &ids).await?;
        emails += letters::send_each(&mut tx, &facts, kind, (&tz, &zone), base_url, now).await?;
    }
    tx.commit().await?;
    Ok((u32::try_from(due.len()).unwrap_or(u32::MAX), emails))
}
