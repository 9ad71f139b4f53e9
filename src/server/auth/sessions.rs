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

/// What a session is for: a browser's cookie, or an API client's token
/// family (`api_tokens`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
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
    /// A spent API refresh token was presented again: someone holds a copy.
    TokenReused,
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
            EndReason::TokenReused => "token_reused",
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
            EndReason::TokenReused,
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
    kind: SessionKind,
    origin: &RequestOrigin,
) -> Result<(Uuid, DateTime<Utc>), sqlx::Error> {
    let idle_secs = i32::try_from(idle.as_secs()).unwrap_or(i32::MAX);
    let lifetime_secs = lifetime.as_secs_f64();
    let row = sqlx::query!(
        r#"
        insert into user_sessions (user_id, expires_at, idle_timeout_secs, client_addr, user_agent, kind)
        values ($1, now() + make_interval(secs => $2), $3, $4, $5, $6)
        returning id, expires_at as "expires_at: DateTime<Utc>"
        "#,
        user_id,
        lifetime_secs,
        idle_secs,
        origin
            .client_addr
            .map(sqlx::types::ipnetwork::IpNetwork::from),
        origin.user_agent_for_storage(),
        kind.as_str(),
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

/// Ends a session at its person's request (signing out), audited as LOGOUT
/// in their own chain.
pub async fn sign_out(
    pool: &PgPool,
    user_id: Uuid,
    session_id: Uuid,
    kind: SessionKind,
    origin: RequestOrigin,
) -> Result<(), crate::domain::AppError> {
    use crate::domain::audit::{AuditAction, AuditEntity};
    use crate::server::audit::{self, NewAuditEvent};
    let mut tx = crate::server::tenancy::begin_personal(pool, user_id).await?;
    end(&mut tx, session_id, EndReason::SignOut).await?;
    let mut event = NewAuditEvent::new(None, AuditAction::Logout);
    event.actor_user_id = Some(user_id);
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(serde_json::json!({ "session": session_id, "client": kind.as_str() }));
    event.origin = origin;
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
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
    // Expired API tokens are worthless, spent or not (a spent refresh token
    // is kept until then, to catch its reuse).
    sqlx::query!("delete from api_tokens where expires_at < now()")
        .execute(&mut *tx)
        .await?;
    // A device grant is worth nothing once expired (it is answered, and
    // its tokens fetched, within ten minutes or never). A device allowed
    // but never back for its tokens leaves an empty token family: ended.
    sqlx::query!(
        "update user_sessions set ended_at = now(), end_reason = 'expired'
         where ended_at is null and id in (
             select session_id from api_device_grants
             where expires_at < now() and consumed_at is null and session_id is not null)"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from api_device_grants where expires_at < now()")
        .execute(&mut *tx)
        .await?;
    // Idempotency keys are kept a day (domain::api::idempotency).
    sqlx::query!(
        "delete from api_idempotency_keys where created_at < now() - make_interval(hours => $1)",
        crate::domain::api::idempotency::KEPT_HOURS as i32
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((cookies, records))
}
