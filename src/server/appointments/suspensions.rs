//! Self-booking suspensions: the no-show sweep pauses a patient's booking
//! in the portal when the clinic's rule says so (in the sweep's own
//! transaction, audited as the system), the record and the portal say why,
//! and the clinic admin lifts the pause with a reason (audited).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::PatientId;
use crate::domain::self_booking::{Missed, SuspensionNotice, SuspensionRule};
use crate::server::access::ClinicAccess;
use crate::server::audit::{self, NewAuditEvent};
use crate::server::schedules::{clinic_zone, local_time};

/// The pause in force for `patient` in the current clinic, as the record
/// or the portal shows it; `may_lift`: the person looking is the admin.
pub async fn notice(
    conn: &mut PgConnection,
    patient: Uuid,
    may_lift: bool,
) -> Result<Option<SuspensionNotice>, sqlx::Error> {
    let Some(s) = sqlx::query!(
        "select suspended_at, no_shows, window_days from self_booking_suspensions
         where patient_id = $1 and clinic_id = app_clinic_id() and lifted_at is null",
        patient
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let (tz, zone) = clinic_zone(conn).await?;
    Ok(Some(SuspensionNotice {
        since: local_time(&tz, &zone, s.suspended_at),
        no_shows: s.no_shows,
        window_days: s.window_days,
        may_lift,
    }))
}

/// After the sweep marked `patients`' no-shows (in its transaction, inside
/// one clinic, as of `now`): pauses the booking of each the clinic's rule
/// now suspends, unless already paused. Returns how many it paused.
pub async fn after_no_shows(
    conn: &mut PgConnection,
    clinic: Uuid,
    patients: &[Uuid],
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let Some(r) = sqlx::query!(
        "select suspend_after_no_shows, suspend_window_days from clinic_schedule_settings
         where clinic_id = app_clinic_id()"
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(0);
    };
    let rule = SuspensionRule {
        after_no_shows: r.suspend_after_no_shows,
        window_days: r.suspend_window_days,
    };
    // Each patient's no-shows in the window, with their last lift and
    // whether a pause is in force already.
    let rows = sqlx::query!(
        r#"select n.patient_id, lower(a.during) as "starts!", n.created_at as marked_at,
                  (select max(s.lifted_at) from self_booking_suspensions s
                   where s.patient_id = n.patient_id) as last_lift,
                  exists (select 1 from self_booking_suspensions s
                          where s.patient_id = n.patient_id and s.lifted_at is null) as "in_force!"
           from no_show_penalties n join appointments a on a.id = n.appointment_id
           where n.clinic_id = app_clinic_id() and n.patient_id = any($1)
             and lower(a.during) > $2::timestamptz - make_interval(days => $3)
           order by n.patient_id"#,
        patients,
        now,
        rule.window_days,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut paused = 0;
    for chunk in rows.chunk_by(|a, b| a.patient_id == b.patient_id) {
        let first = &chunk[0];
        if first.in_force {
            continue;
        }
        let missed: Vec<Missed> = chunk
            .iter()
            .map(|m| Missed {
                starts: m.starts,
                marked_at: m.marked_at,
            })
            .collect();
        let Some(count) = rule.suspends(&missed, first.last_lift, now) else {
            continue;
        };
        let added = sqlx::query_scalar!(
            "insert into self_booking_suspensions (clinic_id, patient_id, no_shows, window_days)
             values (app_clinic_id(), $1, $2, $3)
             on conflict do nothing
             returning id",
            first.patient_id,
            count,
            rule.window_days,
        )
        .fetch_optional(&mut *conn)
        .await?;
        if added.is_none() {
            continue;
        }
        let mut event = NewAuditEvent::new(Some(clinic), AuditAction::Update)
            .about(AuditEntity::Patient, first.patient_id);
        event.actor_role = Some("system".into());
        event.after = Some(json!({
            "self_booking": "suspended",
            "no_shows": count,
            "window_days": rule.window_days,
        }));
        audit::record(conn, &event).await?;
        paused += 1;
    }
    Ok(paused)
}

/// Lifts the patient's pause, with the reason (the clinic admin: the
/// database refuses anyone else). Not found when none is in force.
pub async fn lift(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient: PatientId,
    reason: &str,
) -> Result<(), AppError> {
    let lifted = sqlx::query!(
        "update self_booking_suspensions set lifted_by = $2, lift_reason = $3
         where patient_id = $1 and clinic_id = app_clinic_id() and lifted_at is null
         returning no_shows",
        patient.as_uuid(),
        access.user.user_id,
        reason,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Patient, patient.as_uuid());
    event.before = Some(json!({ "self_booking": "suspended", "no_shows": lifted.no_shows }));
    event.after = Some(json!({ "self_booking": "allowed", "lift_reason": reason }));
    audit::record(conn, &event).await?;
    Ok(())
}
