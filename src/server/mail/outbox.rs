//! The outbox table: enqueueing in the caller's transaction, and the steps
//! the sender and platform admins take on messages (see
//! migrations/*_mail_outbox.sql for the states).

use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use super::compose::OutgoingEmail;
use crate::domain::ids::EmailId;
use crate::domain::outbox::{MAX_ATTEMPTS, OutboxEntry, OutboxStatus, retry_delay};
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};

/// Adds the message unless one with its idempotency key exists. Runs in the
/// transaction of whatever causes the email, so the two commit together.
/// Returns whether it was added.
pub async fn enqueue(conn: &mut PgConnection, email: &OutgoingEmail) -> Result<bool, sqlx::Error> {
    // Not `on conflict do nothing`: that needs SELECT on the outbox, which
    // clinics do not have. A savepoint keeps a duplicate from spoiling the
    // caller's transaction.
    let mut savepoint = conn.begin().await?;
    let inserted = sqlx::query!(
        r#"insert into outbox_emails
               (idempotency_key, clinic_id, kind, to_address, to_name, subject, body_text, body_html,
                calendar)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        email.idempotency_key,
        email.clinic_id,
        email.kind,
        email.to_address,
        email.to_name,
        email.subject,
        email.body_text,
        email.body_html,
        email.calendar,
    )
    .execute(&mut *savepoint)
    .await;
    match inserted {
        Ok(_) => {
            savepoint.commit().await?;
            Ok(true)
        }
        Err(sqlx::Error::Database(e))
            if e.constraint() == Some("outbox_emails_idempotency_key_unique") =>
        {
            savepoint.rollback().await?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// A message one sender has claimed for one attempt.
#[derive(Debug)]
pub struct ClaimedEmail {
    pub id: Uuid,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub calendar: Option<String>,
    /// Including this one.
    pub attempts: i32,
}

/// Claims the next due message for `lease_secs`, counting the attempt. Two
/// senders never claim the same message: the row is locked and skipped by
/// the other, and is `sending` once this commits.
pub async fn claim_next(
    conn: &mut PgConnection,
    lease_secs: i64,
) -> Result<Option<ClaimedEmail>, sqlx::Error> {
    sqlx::query_as!(
        ClaimedEmail,
        r#"update outbox_emails o
           set status = 'sending', attempts = o.attempts + 1,
               lease_until = now() + make_interval(secs => $1)
           from (select id from outbox_emails
                 where status = 'pending' and next_attempt_at <= now()
                 order by next_attempt_at, id
                 limit 1
                 for update skip locked) due
           where o.id = due.id
           returning o.id, o.to_address, o.to_name, o.subject, o.body_text, o.body_html,
                     o.calendar, o.attempts"#,
        lease_secs as f64,
    )
    .fetch_optional(conn)
    .await
}

/// The SMTP server took it. (Also from `unknown`: a slow attempt whose lease
/// ran out did deliver.)
pub async fn mark_sent(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update outbox_emails
           set status = 'sent', sent_at = now(), lease_until = null, last_error = null
           where id = $1 and status in ('sending', 'unknown')"#,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The attempt failed: wait and retry, or give up when the refusal is
/// permanent or the attempts are used up. Returns the new status.
pub async fn mark_attempt_failed(
    conn: &mut PgConnection,
    email: &ClaimedEmail,
    permanent: bool,
    reason: &str,
) -> Result<OutboxStatus, sqlx::Error> {
    let status = if permanent || email.attempts >= MAX_ATTEMPTS {
        OutboxStatus::Failed
    } else {
        OutboxStatus::Pending
    };
    let wait = retry_delay(email.attempts).num_seconds() as f64;
    let reason: String = reason.chars().take(500).collect();
    sqlx::query!(
        r#"update outbox_emails
           set status = $2, lease_until = null, last_error = $3,
               next_attempt_at = now() + make_interval(secs => $4)
           where id = $1 and status = 'sending'"#,
        email.id,
        status.as_str(),
        reason,
        wait,
    )
    .execute(conn)
    .await?;
    Ok(status)
}

/// Messages whose sender stopped mid-attempt (its lease ran out) become
/// `unknown`: they may have been delivered, so they are not sent again
/// without a person deciding. Returns how many.
pub async fn expire_leases(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"update outbox_emails
           set status = 'unknown', lease_until = null,
               last_error = 'The server stopped while sending this message; it may have been delivered.'
           where status = 'sending' and lease_until < now()"#
    )
    .execute(conn)
    .await?
    .rows_affected())
}

struct EntryRow {
    id: Uuid,
    created_at: DateTime<Utc>,
    clinic: Option<String>,
    kind: String,
    to_address: String,
    subject: String,
    status: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    total: i64,
}

/// Newest first, optionally of one status. Platform scope only (RLS).
pub async fn list(
    conn: &mut PgConnection,
    status: Option<OutboxStatus>,
    page: PageRequest,
) -> Result<Page<OutboxEntry>, sqlx::Error> {
    let window = count_window(page);
    let rows = sqlx::query_as!(
        EntryRow,
        r#"with matches as (
               select id, created_at, clinic_id, kind, to_address, subject, status, attempts,
                      next_attempt_at, sent_at, last_error
               from outbox_emails
               where ($1::text is null or status = $1)
               order by created_at desc, id desc
               limit $4)
           select m.id, m.created_at as "created_at: DateTime<Utc>", c.name as "clinic?", m.kind,
                  m.to_address, m.subject, m.status, m.attempts,
                  m.next_attempt_at as "next_attempt_at: DateTime<Utc>",
                  m.sent_at as "sent_at: DateTime<Utc>", m.last_error,
                  (select count(*) from matches) as "total!"
           from matches m left join clinics c on c.id = m.clinic_id
           order by m.created_at desc, m.id desc
           limit $2 offset $3"#,
        status.map(OutboxStatus::as_str),
        page.limit(),
        page.offset(),
        window,
    )
    .fetch_all(conn)
    .await?;
    let (total, total_capped) = capped_total(rows.first().map(|r| r.total).unwrap_or(0), window);
    Ok(Page::new(
        rows.into_iter()
            .map(|r| OutboxEntry {
                id: r.id,
                created_at: r.created_at,
                clinic: r.clinic,
                kind: r.kind,
                to_address: r.to_address,
                subject: r.subject,
                status: OutboxStatus::parse(&r.status).unwrap_or(OutboxStatus::Failed),
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
                sent_at: r.sent_at,
                last_error: r.last_error,
            })
            .collect(),
        page,
        total,
        total_capped,
    ))
}

/// A platform admin sends a failed (or possibly delivered) message again:
/// it is due now with a fresh count of attempts. Returns the status it had,
/// or `None` when there is no such message or it cannot be retried.
pub async fn retry(
    conn: &mut PgConnection,
    id: EmailId,
) -> Result<Option<OutboxStatus>, sqlx::Error> {
    let id = id.as_uuid();
    let before = sqlx::query_scalar!(
        "select status from outbox_emails where id = $1 for update",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .and_then(|s| OutboxStatus::parse(&s))
    .filter(|s| s.can_retry());
    if before.is_some() {
        sqlx::query!(
            r#"update outbox_emails
               set status = 'pending', attempts = 0, next_attempt_at = now()
               where id = $1"#,
            id
        )
        .execute(&mut *conn)
        .await?;
        // Wakes the sender at commit rather than at its next poll.
        sqlx::query!("select pg_notify('hms_outbox', '')")
            .execute(conn)
            .await?;
    }
    Ok(before)
}
