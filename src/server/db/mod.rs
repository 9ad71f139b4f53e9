//! Database access: the pool, migrations and readiness.

pub mod embedded;
pub mod roles;
pub mod seed;

use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};

use crate::server::config::Secret;

/// The migrations in `migrations/`, compiled into the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a pooled connection may sit unused before it is checked again.
const STALE_AFTER: Duration = Duration::from_secs(1);

/// Opens a lazily-connecting pool: the server starts and answers `/readyz`
/// with 503 while the database is away, and recovers when it returns.
pub fn pool(
    url: &Secret,
    max_connections: u32,
    acquire_timeout: Duration,
) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        // sqlx pings every connection as it goes back to the pool, so one
        // that was in use a moment ago is known good; asking again before
        // each use cost a round trip per transaction (a page makes several).
        // One idle for longer may have outlived a database restart: that
        // one is still pinged, and replaced if the ping fails.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move { Ok(meta.idle_for <= STALE_AFTER || conn.ping().await.is_ok()) })
        })
        .connect_lazy(url.expose())?)
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// The newest migration this binary knows.
pub fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Why the database is not ready, in words fit for a probe's response body.
#[derive(Debug, PartialEq, Eq)]
pub enum NotReady {
    Unreachable,
    MigrationsPending { applied: i64, expected: i64 },
    MigrationFailed(i64),
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotReady::Unreachable => f.write_str("database unreachable"),
            NotReady::MigrationsPending { applied, expected } => {
                write!(f, "migrations pending (at {applied}, need {expected})")
            }
            NotReady::MigrationFailed(v) => write!(f, "migration {v} failed"),
        }
    }
}

/// Reachable and migrated to exactly what this binary expects.
pub async fn readiness(pool: &PgPool) -> Result<(), NotReady> {
    let check = sqlx::query_as::<_, (i64, bool)>(
        "select version, success from _sqlx_migrations order by version",
    )
    .fetch_all(pool);
    let rows = match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(sqlx::Error::Database(e))) if e.code().as_deref() == Some("42P01") => {
            Vec::new() // no migrations table yet
        }
        Ok(Err(_)) | Err(_) => return Err(NotReady::Unreachable),
    };
    if let Some((v, _)) = rows.iter().find(|(_, ok)| !ok) {
        return Err(NotReady::MigrationFailed(*v));
    }
    let applied = rows.last().map(|(v, _)| *v).unwrap_or(0);
    let expected = latest_migration();
    if applied < expected {
        return Err(NotReady::MigrationsPending { applied, expected });
    }
    Ok(())
}
