//! Waiting-room displays: the admin makes and revokes links; a screen reads
//! its board through the link alone. The link's key is 32 random bytes
//! (64 hex digits) of which only the SHA-256 is stored; the board is read by
//! `queue_board()`, a database function that returns tokens, departments
//! and doctors' names for a live link, and nothing for any other.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::displays::{Board, BoardLine, NEXT_SHOWN, NewDisplay, QueueDisplay};
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::link_token;
use crate::server::error::ConstraintField;

pub const CONSTRAINTS: &[ConstraintField] = &[ConstraintField {
    constraint: "queue_displays_department_same_clinic",
    field: "department",
    message: "Choose one of this clinic's departments, or all.",
}];

/// Makes a display link; returns its key, shown once.
pub async fn create(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    d: &NewDisplay,
) -> Result<String, sqlx::Error> {
    let (key, hash) = link_token::new_token();
    let id = sqlx::query_scalar!(
        "insert into queue_displays (clinic_id, department_id, name, token_hash, created_by)
         values (app_clinic_id(), $1, $2, $3, $4) returning id",
        d.department_id,
        d.name,
        &hash[..],
        access.user.user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::QueueDisplay, id);
    event.after = Some(json!({ "name": d.name, "department_id": d.department_id }));
    audit::record(conn, &event).await?;
    Ok(key)
}

/// Revokes a live link of this clinic; false when there is none.
pub async fn revoke(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query_scalar!(
        "update queue_displays set revoked_at = now()
         where id = $1 and clinic_id = app_clinic_id() and revoked_at is null returning id",
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if done.is_some() {
        let mut event = access
            .event(AuditAction::Update)
            .about(AuditEntity::QueueDisplay, id);
        event.before = Some(json!({ "revoked": false }));
        event.after = Some(json!({ "revoked": true }));
        audit::record(conn, &event).await?;
    }
    Ok(done.is_some())
}

pub async fn list(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<QueueDisplay>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select q.id, q.name, d.name as "department?",
                  q.created_at as "created_at: DateTime<Utc>", q.revoked_at is not null as "revoked!",
                  coalesce(u.display_name, 'someone') as "created_by!", c.timezone,
                  extract(epoch from (q.created_at at time zone c.timezone)
                                   - (q.created_at at time zone 'UTC'))::float8 as "offset_secs?",
                  count(*) over () as "total!"
           from queue_displays q
           join clinics c on c.id = q.clinic_id
           left join departments d on d.id = q.department_id
           left join users u on u.id = q.created_by
           where q.clinic_id = app_clinic_id()
           order by q.revoked_at is not null, q.created_at desc, q.id desc
           limit $1 offset $2"#,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok(Page::exact(
        rows.into_iter()
            .map(|r| QueueDisplay {
                id: r.id,
                name: r.name,
                department: r.department,
                created_at: LocalTime::in_zone(r.created_at, r.offset_secs, Some(r.timezone)),
                created_by: r.created_by,
                revoked: r.revoked,
            })
            .collect(),
        page,
        total,
    ))
}

/// The clinic and department a live key opens (`None` for any other key):
/// what a screen's event stream listens to.
pub async fn scope(
    conn: &mut PgConnection,
    key: &str,
) -> Result<Option<(Uuid, Option<Uuid>)>, sqlx::Error> {
    let Some(hash) = link_token::hash_token(key) else {
        return Ok(None);
    };
    let row = sqlx::query!(
        r#"select clinic_id as "clinic_id!", department_id from queue_display_scope($1)"#,
        &hash[..]
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.clinic_id, r.department_id)))
}

/// The board of a live key; `None` for any other key.
pub async fn board(conn: &mut PgConnection, key: &str) -> Result<Option<Board>, sqlx::Error> {
    let Some(hash) = link_token::hash_token(key) else {
        return Ok(None);
    };
    let Some(names) = sqlx::query!(
        r#"select clinic_name as "clinic_name!", display_name as "display_name!"
           from queue_display_scope($1)"#,
        &hash[..]
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query!(
        r#"select token as "token!", department as "department!", doctor, status as "status!"
           from queue_board($1)"#,
        &hash[..]
    )
    .fetch_all(conn)
    .await?;
    let (mut serving, mut next) = (Vec::new(), Vec::new());
    for l in lines {
        let line = BoardLine {
            token: l.token,
            department: l.department,
            doctor: l.doctor,
        };
        if l.status == "waiting" {
            if next.len() < NEXT_SHOWN {
                next.push(line);
            }
        } else {
            serving.push(line);
        }
    }
    Ok(Some(Board {
        clinic_name: names.clinic_name,
        display_name: names.display_name,
        serving,
        next,
    }))
}
