//! The no-show sweep: booked appointments whose end and the clinic's grace
//! have passed become no-shows, each with one penalty row and one email to
//! the patient, in the transaction that marks it. Running it twice at once
//! (two processes), or again after a crash half way, changes nothing more:
//! a claimed appointment is locked and skipped by the other sweep, and is
//! no longer booked once marked; the penalty is keyed by the appointment,
//! the email by its idempotency key.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::server::audit::{self, NewAuditEvent};
use crate::server::mail::compose::{Letter, OutgoingEmail};
use crate::server::mail::outbox;
use crate::server::schedules::{clinic_zone, local_time};
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
}

/// Sweeps every clinic as of `now`.
pub async fn sweep(
    pool: &PgPool,
    scope: &ScopeToken,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<SweepReport, AppError> {
    let mut tx = tenancy::begin_system(pool, scope).await?;
    let clinics = sqlx::query_scalar!("select id from clinics order by id")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut report = SweepReport::default();
    for clinic in clinics {
        report.clinics += 1;
        loop {
            let (marked, emailed) = sweep_batch(pool, scope, clinic, base_url, now).await?;
            report.no_shows += marked;
            report.emails += emailed;
            if i64::from(marked) < BATCH {
                break;
            }
        }
    }
    Ok(report)
}

/// One batch of one clinic, in one transaction: (marked, emails queued).
async fn sweep_batch(
    pool: &PgPool,
    scope: &ScopeToken,
    clinic: Uuid,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<(u32, u32), AppError> {
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
           from due, patients p
           where a.id = due.id and p.id = a.patient_id
           returning a.id, lower(a.during) as "starts!", p.given_name, p.family_name,
                     p.email as "email?""#,
        now,
        BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    if marked.is_empty() {
        tx.commit().await?;
        return Ok((0, 0));
    }
    let ids: Vec<Uuid> = marked.iter().map(|m| m.id).collect();
    sqlx::query!(
        "insert into no_show_penalties (appointment_id, clinic_id, patient_id)
         select a.id, a.clinic_id, a.patient_id from appointments a where a.id = any($1)
         on conflict (appointment_id) do nothing",
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    let clinic_row = sqlx::query!("select name, slug from clinics where id = $1", clinic)
        .fetch_one(&mut *tx)
        .await?;
    let (tz, zone) = clinic_zone(&mut tx).await?;
    let mut emails = 0;
    for m in &marked {
        let mut event = NewAuditEvent::new(Some(clinic), AuditAction::Update)
            .about(AuditEntity::Appointment, m.id);
        event.actor_role = Some("system".into());
        event.before = Some(json!({ "status": "booked" }));
        event.after = Some(json!({ "status": "no_show", "by": "no_show_sweep" }));
        audit::record(&mut tx, &event).await?;
        let Some(address) = m.email.as_deref().filter(|e| !e.is_empty()) else {
            continue;
        };
        let when = local_time(&tz, &zone, m.starts);
        let email = missed_email(
            m.id,
            clinic,
            &clinic_row.name,
            address,
            &format!("{} {}", m.given_name, m.family_name),
            &when.full(),
            &format!("{base_url}/c/{}/my-appointments", clinic_row.slug),
        );
        if outbox::enqueue(&mut tx, &email).await? {
            emails += 1;
        }
    }
    tx.commit().await?;
    Ok((u32::try_from(marked.len()).unwrap_or(u32::MAX), emails))
}

/// The patient's email: that they were missed, and how to book again. It
/// names the time, not the doctor or department (nothing clinical).
fn missed_email(
    appointment: Uuid,
    clinic: Uuid,
    clinic_name: &str,
    to: &str,
    name: &str,
    when: &str,
    link: &str,
) -> OutgoingEmail {
    let (body_text, body_html) = Letter {
        brand: clinic_name.to_string(),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("We missed you at your appointment on {when}, and it is now marked as missed."),
            "If you still need to see us, book another time, or call the clinic.".into(),
        ],
        action: Some(("Book another time".into(), link.to_string())),
        footnote: Some(
            "Several missed appointments can pause booking online; the clinic can lift it.".into(),
        ),
    }
    .render();
    OutgoingEmail {
        idempotency_key: format!("no_show:{appointment}"),
        clinic_id: Some(clinic),
        kind: "no_show",
        to_address: to.to_string(),
        to_name: name.to_string(),
        subject: format!("Your missed appointment at {clinic_name}"),
        body_text,
        body_html,
    }
}
