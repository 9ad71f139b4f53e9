//! Live updates: one PostgreSQL listener per server process, passing each
//! committed change (clinic, topic, id: never patient data) to the event
//! streams open on this process. Any process's change reaches every
//! process's streams, since they all listen to the same channel, so the
//! servers stay stateless. A dropped database connection is reconnected,
//! and the streams are told to read everything again, as changes made
//! while it was down were not heard.

use std::sync::{Arc, Once};
use std::time::Duration;

use serde::Deserialize;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use uuid::Uuid;

/// The channel `announce_*_change()` triggers notify (migrations).
pub const CHANNEL: &str = "hms_events";
/// Changes buffered per stream before a slow one is told to read again.
const BUFFER: usize = 1024;

/// What changed, as the database announced it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Change {
    pub clinic: Uuid,
    /// `queue:{department id}`.
    pub topic: String,
    pub id: Uuid,
}

/// What a stream hears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    Change(Change),
    /// Changes may have been missed: read everything again.
    Resync,
}

/// The process's listener and the streams' channel. The listener starts
/// with the first subscriber (a process nobody watches holds no extra
/// connection).
pub struct EventHub {
    tx: broadcast::Sender<Heard>,
    pool: PgPool,
    started: Once,
}

impl EventHub {
    pub fn new(pool: PgPool) -> Arc<Self> {
        let (tx, _) = broadcast::channel(BUFFER);
        Arc::new(Self {
            tx,
            pool,
            started: Once::new(),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Heard> {
        self.started.call_once(|| {
            tokio::spawn(listen(self.pool.clone(), self.tx.clone()));
        });
        self.tx.subscribe()
    }
}

/// Listens for as long as the process runs, reconnecting after a failure
/// with a growing pause (1 s to 30 s).
async fn listen(pool: PgPool, tx: broadcast::Sender<Heard>) {
    let mut pause = Duration::from_secs(1);
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    pause = Duration::from_secs(1);
                    // Whatever happened before this connection was not heard.
                    let _ = tx.send(Heard::Resync);
                    hear(&mut listener, &tx).await;
                }
                Err(e) => tracing::warn!(cause = %e, "could not listen for changes"),
            },
            Err(e) => tracing::warn!(cause = %e, "could not connect to listen for changes"),
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// Passes on notifications until the connection is lost.
async fn hear(listener: &mut PgListener, tx: &broadcast::Sender<Heard>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => match serde_json::from_str::<Change>(n.payload()) {
                // No receivers is not an error: nobody is watching.
                Ok(change) => {
                    let _ = tx.send(Heard::Change(change));
                }
                Err(e) => tracing::warn!(cause = %e, "an unreadable change notification"),
            },
            Ok(None) => {
                tracing::warn!("the change listener lost its connection");
                return;
            }
            Err(e) => {
                tracing::warn!(cause = %e, "the change listener failed");
                return;
            }
        }
    }
}
