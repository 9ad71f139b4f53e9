//! A doctor's private calendar feed: one live link per doctor and clinic,
//! made (replacing the one before), revoked, and read by its key alone by
//! a calendar app. The feed holds busy times only: "Appointment", the slot
//! and the clinic, never a patient's name, department or reason.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::calendar::{CalendarEvent, ics};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::link_token;
use crate::server::tenancy::ClinicScope;

/// How far back and ahead a feed reaches: what a week or month view needs,
/// bounded so a feed stays small for the app that polls it.
const PAST_DAYS: i64 = 30;
const AHEAD_DAYS: i64 = 180;

/// When the person's live link was made, if they have one.
pub async fn live_since(
    conn: &mut PgConnection,
    scope: &ClinicScope,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        "select created_at from calendar_feeds
         where clinic_id = $1 and doctor_user_id = $2 and revoked_at is null",
        scope.clinic_id,
        scope.user_id,
    )
    .fetch_optional(&mut *conn)
    .await
}

/// Revokes the person's live link; whether there was one. Audited.
pub async fn revoke(conn: &mut PgConnection, access: &ClinicAccess) -> Result<bool, sqlx::Error> {
    let scope = access.scope();
    let revoked = sqlx::query_scalar!(
        "update calendar_feeds set revoked_at = now()
         where clinic_id = $1 and doctor_user_id = $2 and revoked_at is null
         returning id",
        scope.clinic_id,
        scope.user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = revoked {
        let mut event = access
            .event(AuditAction::Update)
            .about(AuditEntity::CalendarFeed, id);
        event.after = Some(json!({ "revoked": true }));
        audit::record(conn, &event).await?;
    }
    Ok(revoked.is_some())
}

/// A new link for the person, revoking the one before (its address stops
/// working at once); the key, which only the link holds. Audited.
pub async fn create(conn: &mut PgConnection, access: &ClinicAccess) -> Result<String, sqlx::Error> {
    revoke(conn, access).await?;
    let (key, hash) = link_token::new_token();
    let id = sqlx::query_scalar!(
        "insert into calendar_feeds (clinic_id, doctor_user_id, token_hash)
         values (app_clinic_id(), $1, $2) returning id",
        access.user.user_id,
        &hash[..],
    )
    .fetch_one(&mut *conn)
    .await?;
    let event = access
        .event(AuditAction::Create)
        .about(AuditEntity::CalendarFeed, id);
    audit::record(conn, &event).await?;
    Ok(key)
}

/// The calendar a key opens, as iCalendar text; `None` for a key that
/// opens nothing (unknown, revoked, or its doctor no longer one there).
pub async fn feed(
    conn: &mut PgConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let Some(hash) = link_token::hash_token(key) else {
        return Ok(None);
    };
    let rows = sqlx::query!(
        r#"select clinic_name as "clinic_name!", appointment_id, revision, starts, ends
           from calendar_feed_events($1, $2, $3)"#,
        &hash[..],
        now - Duration::days(PAST_DAYS),
        now + Duration::days(AHEAD_DAYS),
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(clinic) = rows.first().map(|r| r.clinic_name.clone()) else {
        return Ok(None);
    };
    let events: Vec<CalendarEvent> = rows
        .into_iter()
        .filter_map(|r| {
            let (id, starts, ends) = (r.appointment_id?, r.starts?, r.ends?);
            Some(event(id, r.revision.unwrap_or(0), starts, ends, &clinic))
        })
        .collect();
    Ok(Some(ics(
        &events,
        Some(&format!("HMS: appointments at {clinic}")),
        now,
    )))
}

/// One appointment as the feed shows it: the time, and nothing about whom.
fn event(
    id: Uuid,
    revision: i32,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    clinic: &str,
) -> CalendarEvent {
    CalendarEvent {
        uid: format!("{id}-doctor@hms"),
        sequence: revision,
        starts,
        ends,
        summary: "Appointment".into(),
        location: Some(clinic.to_owned()),
        description: None,
        url: None,
        cancelled: false,
    }
}
