//! The no-show sweep: booked appointments whose end and the clinic's grace
//! have passed become no-shows, each with one penalty row and one email to
//! the patient, in the transaction that marks it. Running it twice at once
//! (two processes), or again after a crash half way, changes nothing more:
//! a claimed appointment is locked and skipped by the other sweep, and is
//! no longer booked once marked; the penalty is keyed by the appointment,
//! the email by its idempotency key (see [`letters`]). A patient whose
//! no-shows reach the clinic's rule has their booking online paused in the
//! same transaction (see [`suspensions`]).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::server::appointments::letters::{self, LetterKind};
use crate::server::appointments::suspensions;
use crate::server::audit::{self, NewAuditEvent};
use crate::server::schedules::clinic_zone;
use crate::server::tenancy::{self, ScopeToken};

/// How many appointments one transaction marks: a clinic's backlog after
/// downtime is worked through in batches, each committed.
const BATCH: i64 = 200;

/// What a sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub clinics: u32,
    pub no_shows: u32,
    pub emails: u32,
    /// Patients whose booking online the clinic's rule paused.
    pub suspended: u32,
}

/// What one batch did.
#[derive(Clone, Copy, Debug, Default)]
struct Batch {
    marked: u32,
    emails: u32,
    suspended: u32,
}

/// Sweeps every clinic as of `now`.
pub async fn sweep(
    pool: &PgPool,
    scope: &ScopeToken,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<SweepReport, AppError> {
    let clinics = tenancy::clinic_ids(pool, scope).await?;
    let mut report = SweepReport::default();
    for clinic in clinics {
        report.clinics += 1;
        loop {
            let batch = sweep_batch(pool, scope, clinic, base_url, now).await?;
            report.no_shows += batch.marked;
            report.emails += batch.emails;
            report.suspended += batch.suspended;
            if i64::from(batch.marked) < BATCH {
                break;
            }
        }
    }
    Ok(report)
}

/// One batch of one clinic, in one transaction.
async fn sweep_batch(
    pool: &PgPool,
    scope: &ScopeToken,
    clinic: Uuid,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<Batch, AppError> {
    let mut tx = tenancy::begin_system_in_clinic(pool, scope, clinic).await?;
    let marked = sqlx::query!(
        r#"with due as (
               select a.id from appointments a
               join clinic_schedule_settings s on s.clinic_id = a.clinic_id
               where a.clinic_id = app_clinic_id() and a.status = 'booked'
                 and upper(a.during) + make_interval(mins => s.no_show_grace_minutes) <= $1
               order by upper(a.during), a.id
               limit $2
               for update of a skip locked)
           update appointments a set status = 'no_show'
           from due where a.id = due.id
           returning a.id, a.patient_id"#,
        now,
        BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    if marked.is_empty() {
        tx.commit().await?;
        return Ok(Batch::default());
    }
    let ids: Vec<Uuid> = marked.iter().map(|m| m.id).collect();
    let patients: Vec<Uuid> = marked.iter().map(|m| m.patient_id).collect();
    sqlx::query!(
        "insert into no_show_penalties (appointment_id, clinic_id, patient_id)
         select a.id, a.clinic_id, a.patient_id from appointments a where a.id = any($1)
         on conflict (appointment_id) do nothing",
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    for id in &ids {
        let mut event = NewAuditEvent::new(Some(clinic), AuditAction::Update)
            .about(AuditEntity::Appointment, *id);
        event.actor_role = Some("system".into());
        event.before = Some(json!({ "status": "booked" }));
        event.after = Some(json!({ "status": "no_show", "by": "no_show_sweep" }));
        audit::record(&mut tx, &event).await?;
    }
    let suspended = suspensions::after_no_shows(&mut tx, clinic, &patients, now).await?;
    let missed = letters::facts(&mut tx, &ids).await?;
    let (tz, zone) = clinic_zone(&mut tx).await?;
    let emails = letters::send_each(
        &mut tx,
        &missed,
        LetterKind::Missed,
        (&tz, &zone),
        base_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Batch {
        marked: u32::try_from(ids.len()).unwrap_or(u32::MAX),
        emails,
        suspended,
    })
}
