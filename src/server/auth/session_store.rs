//! The tower-sessions store in PostgreSQL (`tower_sessions.session`, created
//! by our migrations because the application role may not create tables).
//! Written here rather than taken from tower-sessions-sqlx-store so that its
//! SQL is checked at compile time like the rest, and so that the store does
//! not switch sqlx's date types from chrono to `time` crate-wide.

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
            let inserted = sqlx::query!(
                "insert into tower_sessions.session (id, data, expiry_date) values ($1, $2, $3)
                 on conflict (id) do nothing",
                record.id.to_string(),
                encode(record)?,
                expiry(record),
            )
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        sqlx::query!(
            "insert into tower_sessions.session (id, data, expiry_date) values ($1, $2, $3)
             on conflict (id) do update set data = excluded.data, expiry_date = excluded.expiry_date",
            record.id.to_string(),
            encode(record)?,
            expiry(record),
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let data = sqlx::query_scalar!(
            "select data from tower_sessions.session where id = $1 and expiry_date > now()",
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        data.map(|d| serde_json::from_slice(&d).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query!(
            "delete from tower_sessions.session where id = $1",
            id.to_string()
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }
}
