//! The operator's way out for someone no clinic admin can reset (a platform
//! admin, or staff of several clinics) who lost both phone and recovery
//! codes: `hms reset-two-factor EMAIL`, run with the owner's connection.

use serde_json::json;
use sqlx::PgPool;

use super::enrolment::remove_all;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::server::audit::{self, NewAuditEvent};
use crate::server::tenancy;

/// Removes the person's authenticator, recovery codes and trusted devices
/// and ends their sessions. `false` when no account has that email.
pub async fn reset(owner: &PgPool, email: &str) -> anyhow::Result<bool> {
    let mut tx = tenancy::begin_anonymous(owner).await?;
    let Some(user_id) = sqlx::query_scalar!(
        "select id from users where lower(email) = lower($1)",
        email.trim()
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    remove_all(&mut tx, user_id).await?;
    let ended = sqlx::query!(
        "update user_sessions set ended_at = now(), end_reason = 'access_changed'
          where user_id = $1 and ended_at is null",
        user_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({ "two_factor": "reset by operator", "sessions_ended": ended }));
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(true)
}
