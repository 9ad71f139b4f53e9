//! Safe retries of creating requests: the `Idempotency-Key` a client sends
//! is claimed in the transaction that creates the record, so the two
//! commit together. A request with a key already used gets what the first
//! made (the record as it now is), or 422 when it asked for something else.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::errors::ApiError;
use crate::domain::AppError;
use crate::domain::api::idempotency::{HEADER, IdempotencyKey, KEPT_HOURS};

/// The request's `Idempotency-Key`, if it sent one, and what it asks for.
pub struct Retry {
    key: Option<IdempotencyKey>,
    /// The method and path (a key names one request, not one body).
    target: String,
}

/// What a key says about this request.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// No key sent, or a new one (now held by this transaction): do the work.
    Fresh,
    /// The key made this record already: answer with it again.
    Replay(Uuid),
}

impl<S: Send + Sync> FromRequestParts<S> for Retry {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let mut sent = parts.headers.get_all(HEADER).iter();
        let key = match (sent.next(), sent.next()) {
            (None, _) => None,
            (Some(one), None) => Some(IdempotencyKey::parse(one.as_bytes())?),
            (Some(_), Some(_)) => {
                return Err(AppError::validation("Idempotency-Key", "Send the key once.").into());
            }
        };
        Ok(Retry {
            key,
            target: format!("{} {}", parts.method, parts.uri.path()),
        })
    }
}

impl Retry {
    /// Claims the key for `body` in the caller's clinic (the transaction
    /// entered it). A key in use by a request still running waits for it.
    pub async fn claim(
        &self,
        conn: &mut PgConnection,
        body: &impl Serialize,
    ) -> Result<Claim, AppError> {
        let Some(key) = &self.key else {
            return Ok(Claim::Fresh);
        };
        let hash = self.request_hash(body)?;
        // A key older than it is kept is free again (the cleanup job may not
        // have removed it yet).
        let fresh = sqlx::query_scalar!(
            r#"insert into api_idempotency_keys (clinic_id, user_id, idempotency_key, request_hash)
               values (app_clinic_id(), app_user_id(), $1, $2)
               on conflict (clinic_id, user_id, idempotency_key) do update
                   set request_hash = excluded.request_hash, resource_id = null,
                       created_at = now()
                   where api_idempotency_keys.created_at < now() - make_interval(hours => $3)
               returning true as "fresh!""#,
            key.as_str(),
            &hash[..],
            KEPT_HOURS as i32,
        )
        .fetch_optional(&mut *conn)
        .await?;
        if fresh.is_some() {
            return Ok(Claim::Fresh);
        }
        let held = sqlx::query!(
            "select request_hash, resource_id from api_idempotency_keys
             where clinic_id = app_clinic_id() and user_id = app_user_id()
               and idempotency_key = $1",
            key.as_str(),
        )
        .fetch_one(&mut *conn)
        .await?;
        match held.resource_id {
            Some(id) if held.request_hash == hash => Ok(Claim::Replay(id)),
            _ => Err(AppError::validation(
                "Idempotency-Key",
                "This key was used for a different request in the last 24 hours: \
                 use a new key for a new request.",
            )),
        }
    }

    /// Records what the claimed key made, in the same transaction.
    pub async fn settle(&self, conn: &mut PgConnection, made: Uuid) -> Result<(), AppError> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        sqlx::query!(
            "update api_idempotency_keys set resource_id = $2
             where clinic_id = app_clinic_id() and user_id = app_user_id()
               and idempotency_key = $1",
            key.as_str(),
            made,
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// SHA-256 of the method, the path and the body as JSON (so spacing
    /// and the order of fields in what was sent do not matter).
    fn request_hash(&self, body: &impl Serialize) -> Result<[u8; 32], AppError> {
        let json = serde_json::to_vec(body).map_err(|e| {
            tracing::error!(cause = %e, "request body could not be written as JSON");
            AppError::Internal
        })?;
        let mut h = Sha256::new();
        h.update(self.target.as_bytes());
        h.update(b"\n");
        h.update(&json);
        Ok(h.finalize().into())
    }
}
