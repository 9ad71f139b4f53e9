//! A signed-in person's own account: profile, password, and the places they
//! are signed in. Every change is audited in the platform chain (an account
//! belongs to no single clinic).

pub mod status;

use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::domain::AppError;
use crate::domain::accounts::{AccountOverview, SessionInfo, describe_api_client, describe_device};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::throttle::SignInThrottle;
use crate::server::auth::{CurrentUser, password, sessions};

/// The sign-in address of an account the transaction may see (the person's
/// own, or the one signing in).
pub async fn email_of(conn: &mut PgConnection, user_id: uuid::Uuid) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar!("select email from users where id = $1", user_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn overview(
    conn: &mut PgConnection,
    user: &CurrentUser,
) -> Result<AccountOverview, AppError> {
    let me = sqlx::query!(
        r#"select display_name, email, phone, password_hash is not null as "has_password!"
           from users where id = $1"#,
        user.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let sessions = sqlx::query!(
        r#"select id, user_agent, host(client_addr) as client_addr, kind,
                  created_at as "created_at: chrono::DateTime<chrono::Utc>",
                  last_seen_at as "last_seen_at: chrono::DateTime<chrono::Utc>"
           from user_sessions
           where user_id = $1 and ended_at is null and expires_at > now()
           order by last_seen_at desc
           limit 50"#,
        user.user_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| SessionInfo {
        device: if s.kind == "api" {
            describe_api_client(s.user_agent.as_deref().unwrap_or_default())
        } else {
            describe_device(s.user_agent.as_deref().unwrap_or_default())
        },
        client_addr: s.client_addr,
        signed_in_at: s.created_at,
        last_active_at: s.last_seen_at,
        current: s.id == user.session_id,
    })
    .collect();
    Ok(AccountOverview {
        display_name: me.display_name,
        email: me.email,
        phone: me.phone,
        has_password: me.has_password,
        sessions,
        two_factor: crate::server::two_factor::status(
            &mut *conn,
            user.user_id,
            user.is_platform_admin,
        )
        .await?,
    })
}

pub async fn update_profile(
    conn: &mut PgConnection,
    user: &CurrentUser,
    display_name: &str,
    phone: &str,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let before = sqlx::query!(
        "select display_name, phone from users where id = $1 for update",
        user.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "update users set display_name = $2, phone = $3 where id = $1",
        user.user_id,
        display_name,
        phone
    )
    .execute(&mut *conn)
    .await?;
    let mut event = event(user, origin);
    event.before = Some(json!({ "display_name": before.display_name, "phone": before.phone }));
    event.after = Some(json!({ "display_name": display_name, "phone": phone }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Replaces the password after checking the current one, signs out every
/// other session, and forgets the devices trusted to skip the second factor. Attempts count against the sign-in limits, so an
/// unattended session cannot be used to guess the password.
pub async fn change_password(
    pool: &PgPool,
    throttle: &SignInThrottle,
    user: &CurrentUser,
    current: &str,
    new: &str,
    origin: &RequestOrigin,
) -> Result<u64, AppError> {
    if !throttle
        .allow(
            pool,
            origin.client_addr,
            &format!("password:{}", user.user_id),
        )
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let mut tx = crate::server::tenancy::begin_personal(pool, user.user_id).await?;
    let stored = sqlx::query_scalar!(
        "select password_hash from users where id = $1 for update",
        user.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !password::verify(current.to_string(), stored).await {
        let mut refused = event(user, origin);
        refused.action = AuditAction::AccessDenied;
        refused.outcome = crate::domain::audit::AuditOutcome::Denied;
        refused.after = Some(json!({ "password": "change refused: current password wrong" }));
        audit::record(&mut tx, &refused).await?;
        tx.commit().await?;
        throttle.failed(pool, origin.client_addr).await?;
        return Err(AppError::validation(
            "current",
            "That is not your current password.",
        ));
    }
    let hash = password::hash(new.to_string()).await?;
    sqlx::query!(
        "update users set password_hash = $2 where id = $1",
        user.user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    let ended = sessions::end_others(&mut tx, user.user_id, user.session_id).await?;
    let devices = crate::server::two_factor::trusted::forget_all(&mut tx, user.user_id).await?;
    let mut changed = event(user, origin);
    changed.after = Some(json!({
        "password": "changed",
        "other_sessions_ended": ended,
        "trusted_devices_forgotten": devices,
    }));
    audit::record(&mut tx, &changed).await?;
    tx.commit().await?;
    Ok(ended)
}

/// "Sign out other sessions": every session but this browser's ends now.
pub async fn sign_out_others(
    conn: &mut PgConnection,
    user: &CurrentUser,
    origin: &RequestOrigin,
) -> Result<u64, AppError> {
    let ended = sessions::end_others(conn, user.user_id, user.session_id).await?;
    let mut e = event(user, origin);
    e.action = AuditAction::Logout;
    e.after = Some(json!({ "other_sessions_ended": ended }));
    audit::record(conn, &e).await?;
    Ok(ended)
}

fn event(user: &CurrentUser, origin: &RequestOrigin) -> NewAuditEvent {
    let mut e = NewAuditEvent::new(None, AuditAction::Update);
    e.actor_user_id = Some(user.user_id);
    e.entity_type = Some(AuditEntity::User);
    e.entity_id = Some(user.user_id.to_string());
    e.origin = origin.clone();
    e
}
