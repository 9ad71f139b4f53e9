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

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

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

fn encode(record: &Record) -> Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for PgSessionStore {
    /// Inserts under a fresh id, drawing again on the (astronomically rare) collision.
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let inserted = sqlx::query_scalar!(
                r#"select session_store_create($1, $2, $3) as "inserted!""#,
                key(&record.id),
                encode(record)?,
                expiry(record),
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
            "select session_store_save($1, $2, $3)",
            key(&record.id),
            encode(record)?,
            expiry(record),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let data = sqlx::query_scalar!(r#"select session_store_load($1) as "data""#, key(id))
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        data.map(|d| serde_json::from_slice(&d).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
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
