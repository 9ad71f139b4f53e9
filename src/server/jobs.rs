//! Background tasks that run inside the server process.

use std::time::Duration;

use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::server::auth::sessions;

const SESSION_CLEANUP_EVERY: Duration = Duration::from_secs(600);

/// Deletes expired sessions every ten minutes (and once at start-up).
pub fn spawn_session_cleanup(pool: PgPool) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SESSION_CLEANUP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sessions::delete_expired(&pool).await {
                Ok((0, 0)) => {}
                Ok((cookies, records)) => {
                    tracing::info!(cookies, records, "expired sessions removed");
                }
                Err(e) => tracing::warn!(cause = %e, "session cleanup failed; will retry"),
            }
        }
    })
}
