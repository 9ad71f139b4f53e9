//! Signed-in sessions (`user_sessions`): opened at sign-in, touched by every
//! request, ended by sign-out, idleness, their lifetime or a disabled account.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::server::audit::RequestOrigin;

/// Who a live session belongs to, as the request that touched it sees them.
#[derive(Clone, Debug)]
pub struct LiveSession {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    pub idle_timeout: Duration,
    pub expires_at: DateTime<Utc>,
}

/// Why a session ended, as stored and as shown on the sign-in page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    SignOut,
    Idle,
    Expired,
    AccountDisabled,
    SignedOutElsewhere,
    /// A clinic admin deactivated or changed one of the person's memberships.
    AccessChanged,
    /// The password was reset by email.
    PasswordReset,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::SignOut => "sign_out",
            EndReason::Idle => "idle",
            EndReason::Expired => "expired",
            EndReason::AccountDisabled => "account_disabled",
            EndReason::SignedOutElsewhere => "signed_out_elsewhere",
            EndReason::AccessChanged => "access_changed",
            EndReason::PasswordReset => "password_reset",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EndReason::SignOut,
            EndReason::Idle,
            EndReason::Expired,
            EndReason::AccountDisabled,
            EndReason::SignedOutElsewhere,
            EndReason::AccessChanged,
            EndReason::PasswordReset,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

pub async fn open(
    conn: &mut PgConnection,
    user_id: Uuid,
    idle: Duration,
    lifetime: Duration,
    origin: &RequestOrigin,
) -> Result<(Uuid, DateTime<Utc>), sqlx::Error> {
    let idle_secs = i32::try_from(idle.as_secs()).unwrap_or(i32::MAX);
    let lifetime_secs = lifetime.as_secs_f64();
    let row = sqlx::query!(
        r#"
        insert into user_sessions (user_id, expires_at, idle_timeout_secs, client_addr, user_agent)
        values ($1, now() + make_interval(secs => $2), $3, $4, $5)
        returning id, expires_at as "expires_at: DateTime<Utc>"
        "#,
        user_id,
        lifetime_secs,
        idle_secs,
        origin
            .client_addr
            .map(sqlx::types::ipnetwork::IpNetwork::from),
        origin.user_agent_for_storage(),
    )
    .fetch_one(conn)
    .await?;
    Ok((row.id, row.expires_at))
}

/// Marks the session as used now, if it is still alive: not ended, not idle
/// for longer than its timeout, within its lifetime, and its account active.
pub async fn touch(pool: &PgPool, session_id: Uuid) -> Result<Option<LiveSession>, sqlx::Error> {
    // A function of the database's: no context exists yet to see the row by.
    let row = sqlx::query!(
        r#"select user_id as "id!", email as "email!", display_name as "display_name!",
                  is_platform_admin as "is_platform_admin!", idle_timeout_secs as "idle_timeout_secs!",
                  expires_at as "expires_at!: DateTime<Utc>"
           from session_touch($1)"#,
        session_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LiveSession {
        user_id: r.id,
        email: r.email,
        display_name: r.display_name,
        is_platform_admin: r.is_platform_admin,
        idle_timeout: Duration::from_secs(u64::try_from(r.idle_timeout_secs).unwrap_or(0)),
        expires_at: r.expires_at,
    }))
}

/// Ends a session that `touch` found dead, recording why, and returns the reason.
pub async fn end_dead(pool: &PgPool, session_id: Uuid) -> Result<Option<EndReason>, sqlx::Error> {
    let reason = sqlx::query_scalar!(r#"select session_end_dead($1) as "reason""#, session_id)
        .fetch_one(pool)
        .await?;
    Ok(reason.as_deref().and_then(EndReason::parse))
}

pub async fn end(
    conn: &mut PgConnection,
    session_id: Uuid,
    reason: EndReason,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update user_sessions set ended_at = now(), end_reason = $2 where id = $1 and ended_at is null",
        session_id,
        reason.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every open session of a person, at once: their next request finds it ended.
pub async fn end_all_for_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    reason: EndReason,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update user_sessions set ended_at = now(), end_reason = $2
         where user_id = $1 and ended_at is null",
        user_id,
        reason.as_str()
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ends every open session of a person but `keep` (this browser's).
pub async fn end_others(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update user_sessions set ended_at = now(), end_reason = 'signed_out_elsewhere'
         where user_id = $1 and id <> $2 and ended_at is null",
        user_id,
        keep
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// How long ended and expired sessions are kept (for "recent sessions" views
/// and investigations) before the cleanup task removes them.
const KEEP_ENDED: f64 = 30.0 * 86_400.0;

/// Removes expired cookie sessions and old session records, in the system
/// scope (the only one that sees them all). Returns the counts.
pub async fn delete_expired(
    pool: &PgPool,
    scope: &crate::server::tenancy::ScopeToken,
) -> Result<(u64, u64), crate::domain::AppError> {
    let mut tx = crate::server::tenancy::begin_system(pool, scope).await?;
    let cookies = sqlx::query!("delete from tower_sessions.session where expiry_date < now()")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let records = sqlx::query!(
        "delete from user_sessions
         where coalesce(ended_at, expires_at) < now() - make_interval(secs => $1)",
        KEEP_ENDED
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok((cookies, records))
}
