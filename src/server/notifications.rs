//! A person's notification centre in the clinic they are in: the bell's
//! unread count, their list newest first, and marking read. Row-level
//! security keeps each to their own; the queries name the person too, so
//! the indexes serve them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::ids::NotificationId;
use crate::domain::notifications::{NotificationItem, NotificationKind, UNREAD_CAP};
use crate::domain::paging::{Page, PageRequest};
use crate::server::schedules::{clinic_zone, local_time};
use crate::server::tenancy::ClinicScope;

/// The unread count, counted up to [`UNREAD_CAP`].
pub async fn unread(conn: &mut PgConnection, scope: &ClinicScope) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from (
               select 1 from notifications
               where recipient_id = $1 and clinic_id = $2 and read_at is null
               limit $3) unread"#,
        scope.user_id,
        scope.clinic_id,
        UNREAD_CAP,
    )
    .fetch_one(&mut *conn)
    .await
}

struct Row {
    id: Uuid,
    kind: String,
    appointment_id: Uuid,
    given_name: Option<String>,
    family_name: Option<String>,
    starts_at: DateTime<Utc>,
    previous_starts_at: Option<DateTime<Utc>>,
    actor: Option<String>,
    by_patient: bool,
    cancel_reason: Option<String>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

fn item(r: Row, tz: &Tz, zone: &str) -> NotificationItem {
    NotificationItem {
        id: r.id,
        // The database's check admits only the stored names.
        kind: NotificationKind::parse(&r.kind).unwrap_or(NotificationKind::Booked),
        appointment_id: r.appointment_id,
        patient_name: match (r.given_name, r.family_name) {
            (Some(g), Some(f)) => format!("{g} {f}"),
            _ => "A patient".into(),
        },
        starts: local_time(tz, zone, r.starts_at),
        previous: r.previous_starts_at.map(|t| local_time(tz, zone, t)),
        actor: r.actor,
        by_patient: r.by_patient,
        cancel_reason: r.cancel_reason,
        at: local_time(tz, zone, r.created_at),
        read: r.read_at.is_some(),
    }
}

/// One page of the person's notifications, newest first.
pub async fn page(
    conn: &mut PgConnection,
    scope: &ClinicScope,
    page: PageRequest,
) -> Result<Page<NotificationItem>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where recipient_id = $1 and clinic_id = $2"#,
        scope.user_id,
        scope.clinic_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query_as!(
        Row,
        r#"select n.id, n.kind, n.appointment_id, p.given_name as "given_name?",
                  p.family_name as "family_name?", n.starts_at, n.previous_starts_at,
                  case when n.actor_id is null then null
                       else coalesce(clinic_member_name(n.actor_id), '') end as actor,
                  n.by_patient, a.cancel_reason, n.created_at, n.read_at
           from notifications n
           join appointments a on a.id = n.appointment_id
           left join patients p on p.id = a.patient_id
           where n.recipient_id = $1 and n.clinic_id = $2
           order by n.created_at desc, n.id desc
           limit $3 offset $4"#,
        scope.user_id,
        scope.clinic_id,
        page.limit(),
        page.offset(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let items = rows.into_iter().map(|r| item(r, &tz, &zone)).collect();
    Ok(Page::exact(items, page, total))
}

/// Marks one of the person's notifications read; another's, or none, is
/// `NotFound` (row-level security hides them).
pub async fn mark_read(
    conn: &mut PgConnection,
    scope: &ClinicScope,
    id: NotificationId,
) -> Result<(), AppError> {
    let marked = sqlx::query!(
        "update notifications set read_at = now()
         where id = $1 and recipient_id = $2 and clinic_id = $3",
        id.as_uuid(),
        scope.user_id,
        scope.clinic_id,
    )
    .execute(&mut *conn)
    .await?;
    if marked.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Marks all the person's unread notifications read; how many it marked.
pub async fn mark_all_read(
    conn: &mut PgConnection,
    scope: &ClinicScope,
) -> Result<u64, sqlx::Error> {
    let marked = sqlx::query!(
        "update notifications set read_at = now()
         where recipient_id = $1 and clinic_id = $2 and read_at is null",
        scope.user_id,
        scope.clinic_id,
    )
    .execute(&mut *conn)
    .await?;
    Ok(marked.rows_affected())
}
