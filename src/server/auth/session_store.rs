//! The tower-sessions store in PostgreSQL (`tower_sessions.session`, created
//! by our migrations because the application role may not create tables).
//! Written here rather than taken from tower-sessions-sqlx-store so that its
//! SQL is checked at compile time like the rest, and so that the store does
//! not switch sqlx's date types from chrono to `time` crate-wide.
//!
//! Rows are keyed by the SHA-256 of the cookie's id, never the id itself:
//! whoever reads the table (a backup, a stray query) finds nothing to put
//! in a cookie. The application role reaches a row only through the
//! database's `session_store_*` functions, by its key: it cannot list them.
//!
//! A row notes the sign-in its record carries, so that loading it checks
//! that sign-in in the same call (`session_store_open`): the loaded record
//! carries the result under [`CHECK_KEY`] for `auth::authenticate`. That
//! entry is made by every load and never stored.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use uuid::Uuid;

use super::AUTH_KEY;
use super::sessions::LiveSession;

/// Where a loaded record carries the check of its sign-in.
pub const CHECK_KEY: &str = "hms.sign_in_check";

/// The check of a record's sign-in made as it was loaded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignInCheck {
    /// The sign-in checked (`AuthState::session_id`).
    pub session_id: Uuid,
    /// Who it belongs to, if it is still live.
    pub live: Option<LiveCheck>,
}

/// [`LiveSession`] as a record's data holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LiveCheck {
    user_id: Uuid,
    email: String,
    display_name: String,
    is_platform_admin: bool,
    idle_timeout_secs: u64,
    expires_at: DateTime<Utc>,
}

impl From<LiveCheck> for LiveSession {
    fn from(c: LiveCheck) -> Self {
        LiveSession {
            user_id: c.user_id,
            email: c.email,
            display_name: c.display_name,
            is_platform_admin: c.is_platform_admin,
            idle_timeout: Duration::from_secs(c.idle_timeout_secs),
            expires_at: c.expires_at,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The row key of a session id.
fn key(id: &Id) -> String {
    use sha2::{Digest, Sha256};
    crate::server::crypto::hex(&Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: sqlx::Error) -> Error {
    Error::Backend(e.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

/// The record as stored: without the check its load added.
fn encode(record: &Record) -> Result<Vec<u8>> {
    let encoded = if record.data.contains_key(CHECK_KEY) {
        let mut stored = record.clone();
        stored.data.remove(CHECK_KEY);
        serde_json::to_vec(&stored)
    } else {
        serde_json::to_vec(record)
    };
    encoded.map_err(|e| Error::Encode(e.to_string()))
}

/// The sign-in a record carries, noted beside it for `session_store_open`.
fn signed_in(record: &Record) -> Option<Uuid> {
    record
        .data
        .get(AUTH_KEY)?
        .get("session_id")?
        .as_str()?
        .parse()
        .ok()
}

#[async_trait]
impl SessionStore for PgSessionStore {
    /// Inserts under a fresh id, drawing again on the (astronomically rare) collision.
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let inserted = sqlx::query_scalar!(
                r#"select session_store_create($1, $2, $3, $4) as "inserted!""#,
                key(&record.id),
                encode(record)?,
                expiry(record),
                signed_in(record),
            )
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
            if inserted {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        sqlx::query!(
            "select session_store_save($1, $2, $3, $4)",
            key(&record.id),
            encode(record)?,
            expiry(record),
            signed_in(record),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    /// The record, carrying the check of its sign-in when the row noted one.
    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(row) = sqlx::query!(
            r#"select data as "data!", checked_session, user_id, email, display_name,
                      is_platform_admin, idle_timeout_secs,
                      expires_at as "expires_at: DateTime<Utc>"
               from session_store_open($1)"#,
            key(id)
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        let mut record: Record =
            serde_json::from_slice(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        // Only this load may say how the sign-in stands.
        record.data.remove(CHECK_KEY);
        if let Some(session_id) = row.checked_session {
            let live = match (
                row.user_id,
                row.email,
                row.display_name,
                row.is_platform_admin,
                row.idle_timeout_secs,
                row.expires_at,
            ) {
                (
                    Some(user_id),
                    Some(email),
                    Some(display_name),
                    Some(is_platform_admin),
                    Some(idle),
                    Some(expires_at),
                ) => Some(LiveCheck {
                    user_id,
                    email,
                    display_name,
                    is_platform_admin,
                    idle_timeout_secs: u64::try_from(idle).unwrap_or(0),
                    expires_at,
                }),
                _ => None,
            };
            let check = serde_json::to_value(SignInCheck { session_id, live })
                .map_err(|e| Error::Encode(e.to_string()))?;
            record.data.insert(CHECK_KEY.to_owned(), check);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query!("select session_store_forget($1)", key(id))
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_key_is_a_hash_of_the_id_not_the_id() {
        let id = Id::default();
        let k = key(&id);
        assert_eq!(k.len(), 64);
        assert!(k.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!k.contains(&id.to_string()));
        assert_eq!(k, key(&id));
        assert_ne!(k, key(&Id::default()));
    }
}
