//! Background tasks that run inside the server process: the durable jobs
//! (`runs`, `runner`) and the housekeeping every process does by itself.

pub mod runner;
pub mod runs;

use std::time::Duration;

use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::server::audit::{chain, checkpoint};
use crate::server::auth::sessions;
use crate::server::auth::throttle::SignInThrottle;
use std::sync::Arc;

const SESSION_CLEANUP_EVERY: Duration = Duration::from_secs(600);

/// Deletes expired sessions and rate-limit counts every ten minutes (and
/// once at start-up).
pub fn spawn_session_cleanup(
    pool: PgPool,
    scope: crate::server::tenancy::ScopeToken,
    throttle: Arc<SignInThrottle>,
    api_window: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SESSION_CLEANUP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sessions::delete_expired(&pool, &scope).await {
                Ok((0, 0)) => {}
                Ok((cookies, records)) => {
                    tracing::info!(cookies, records, "expired sessions removed");
                }
                Err(e) => tracing::warn!(cause = %e, "session cleanup failed; will retry"),
            }
            // The API's windows share the table: theirs are kept as long.
            if let Err(e) = throttle.delete_expired(&pool, api_window * 2).await {
                tracing::warn!(cause = %e, "rate-limit cleanup failed; will retry");
            }
        }
    })
}

/// How often pending audit events are linked: the delay before a new event
/// is protected by the chain.
const AUDIT_LINK_EVERY: Duration = Duration::from_secs(1);
/// How often the heads of the chains that moved are checkpointed.
const AUDIT_CHECKPOINT_EVERY: Duration = Duration::from_secs(60);

/// Links pending audit events every second, and every minute appends the
/// heads of the chains it extended to the checkpoint file.
pub fn spawn_audit_linker(
    pool: PgPool,
    key: chain::ChainKey,
    checkpoints: std::path::PathBuf,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(AUDIT_LINK_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut moved = std::collections::BTreeMap::new();
        let mut last_checkpoint = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            match chain::link_pending(&pool, &key).await {
                Ok(heads) => moved.extend(heads.into_iter().map(|h| (h.chain, h))),
                Err(e) => tracing::warn!(cause = %e, "audit linking failed; will retry"),
            }
            if last_checkpoint.elapsed() >= AUDIT_CHECKPOINT_EVERY && !moved.is_empty() {
                let heads: Vec<chain::Head> = std::mem::take(&mut moved).into_values().collect();
                match checkpoint::append(&checkpoints, &heads, &key) {
                    Ok(()) => last_checkpoint = tokio::time::Instant::now(),
                    Err(e) => {
                        tracing::error!(cause = %e, path = %checkpoints.display(), "audit checkpoint not written");
                        moved.extend(heads.into_iter().map(|h| (h.chain, h)));
                    }
                }
            }
        }
    })
}
