//! API tokens in the database (`api_tokens`, migration 38): issued after a
//! sign-in, checked on every request, rotated by refresh. Only their SHA-256
//! is stored.

use base64::Engine;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::errors::ApiError;
use crate::domain::api::tokens::{ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, TokenKind, TokenPair};
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::CurrentUser;
use crate::server::tenancy;

/// A new token of `kind` and the hash it is stored under.
fn generate(kind: TokenKind) -> (String, Vec<u8>) {
    secret_with_prefix(kind.prefix())
}

/// 32 random bytes in base64url after `prefix`, and the hash they are
/// stored under: the shape of every API secret (tokens, device codes).
pub(super) fn secret_with_prefix(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash(&token);
    (token, hash)
}

pub(super) fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub(super) fn pair(access: String, refresh: String) -> TokenPair {
    TokenPair {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.as_secs(),
        refresh_token: refresh,
        refresh_expires_in: REFRESH_TOKEN_TTL.as_secs(),
    }
}

/// A fresh access and refresh token, each with its hash.
pub(super) fn new_pair() -> ((String, Vec<u8>), (String, Vec<u8>)) {
    (generate(TokenKind::Access), generate(TokenKind::Refresh))
}

/// The first pair of a new token family (the API session `session_id`).
/// `conn` must act as the session's person.
pub async fn issue(conn: &mut PgConnection, session_id: Uuid) -> Result<TokenPair, sqlx::Error> {
    let ((access, access_hash), (refresh, refresh_hash)) = new_pair();
    sqlx::query!(
        "insert into api_tokens (token_hash, session_id, kind, expires_at) values
            ($1, $3, 'access', now() + make_interval(secs => $4)),
            ($2, $3, 'refresh', now() + make_interval(secs => $5))",
        access_hash,
        refresh_hash,
        session_id,
        ACCESS_TOKEN_TTL.as_secs_f64(),
        REFRESH_TOKEN_TTL.as_secs_f64(),
    )
    .execute(conn)
    .await?;
    Ok(pair(access, refresh))
}

/// The person behind a live access token, as a signed-in browser's request
/// knows them; `None` when the token is unknown, expired or revoked.
pub async fn touch(pool: &PgPool, token: &str) -> Result<Option<CurrentUser>, sqlx::Error> {
    // A function of the database's: no one is known yet to see the row as.
    let row = sqlx::query!(
        r#"select session_id as "session_id!", user_id as "user_id!", email as "email!",
                  display_name as "display_name!", is_platform_admin as "is_platform_admin!",
                  idle_timeout_secs as "idle_timeout_secs!"
           from api_token_touch($1)"#,
        hash(token),
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| CurrentUser {
        user_id: r.user_id,
        session_id: r.session_id,
        email: r.email,
        display_name: r.display_name,
        is_platform_admin: r.is_platform_admin,
        idle_timeout: std::time::Duration::from_secs(
            u64::try_from(r.idle_timeout_secs).unwrap_or(0),
        ),
        clinic_id: None,
        role: None,
    }))
}

/// Why a refresh was refused, as the client is told.
pub const REFRESH_REFUSED: &str =
    "This refresh token is not valid (unknown, expired, used or revoked). Sign in again.";

/// Spends `presented` for the next pair. A spent token presented again ends
/// its family (someone holds a copy) and is audited; either refusal is a 401.
pub async fn refresh(
    pool: &PgPool,
    presented: &str,
    origin: &RequestOrigin,
) -> Result<TokenPair, ApiError> {
    let ((access, access_hash), (refresh, refresh_hash)) = new_pair();
    // No one is known until the token is: the function finds its row.
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let row = sqlx::query!(
        r#"select outcome as "outcome!", session_id, user_id
           from api_token_refresh($1, $2, $3, $4, $5)"#,
        hash(presented),
        access_hash,
        refresh_hash,
        ACCESS_TOKEN_TTL.as_secs_f64(),
        REFRESH_TOKEN_TTL.as_secs_f64(),
    )
    .fetch_one(&mut *tx)
    .await?;
    // Committed whatever the outcome: a reuse must end the family even
    // though this request fails.
    tx.commit().await?;
    match (row.outcome.as_str(), row.session_id, row.user_id) {
        ("rotated", Some(_), Some(_)) => Ok(pair(access, refresh)),
        ("reused", Some(session_id), Some(user_id)) => {
            tracing::warn!(%session_id, "a spent refresh token was presented; its family is ended");
            let mut tx = tenancy::begin_personal(pool, user_id).await?;
            let mut event = NewAuditEvent::new(None, AuditAction::Logout);
            event.actor_user_id = Some(user_id);
            event.entity_type = Some(AuditEntity::User);
            event.entity_id = Some(user_id.to_string());
            event.outcome = AuditOutcome::Denied;
            event.after = Some(json!({
                "session": session_id,
                "reason": "refresh_token_reused",
                "client": "api",
            }));
            event.origin = origin.clone();
            audit::record(&mut tx, &event).await?;
            tx.commit().await?;
            Err(ApiError::unauthorized(REFRESH_REFUSED))
        }
        _ => Err(ApiError::unauthorized(REFRESH_REFUSED)),
    }
}
