//! The background sender: claims due messages one at a time, delivers each,
//! and records what happened.
//!
//! What it guarantees (tests/it/mail.rs shows each):
//! - Two senders (two server processes) never send the same message: a claim
//!   locks the row, skips rows others hold, and commits `sending` first.
//! - A message whose attempt was cut short by a crash, after the SMTP server
//!   may have taken it but before `sent` was recorded, is never sent again by
//!   a sender: when its lease runs out it becomes `unknown` and waits for a
//!   platform admin. So HMS itself sends each message at most once.
//! - SMTP itself can still deliver twice: if the connection drops after the
//!   server took the message but before its answer arrives, the attempt looks
//!   failed and is retried (RFC 1047). Both copies carry the same Message-ID.
//! - A mail server that is down delays messages (retries back off from 30 s
//!   to an hour) and they are delivered once it is back.

use std::time::Duration;

use lettre::message::Mailbox;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::task::JoinHandle;

use super::compose::mime_message;
use super::outbox::{self, ClaimedEmail};
use super::transport::Transport;
use crate::domain::AppError;
use crate::domain::outbox::OutboxStatus;
use crate::server::tenancy;

#[derive(Clone)]
pub struct Sender {
    pub pool: PgPool,
    pub transport: Transport,
    pub from: Mailbox,
    /// How long a claim holds a message: longer than one delivery can take.
    pub lease: Duration,
    /// Opens the system scope, the only one that reads the outbox.
    pub scope: tenancy::ScopeToken,
}

/// What one pass delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
    /// Interrupted attempts found and set aside.
    pub unknown: u64,
}

impl Sender {
    /// Delivers every message due now, then returns.
    pub async fn deliver_due(&self) -> Result<Pass, AppError> {
        let mut pass = Pass::default();
        let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
        pass.unknown = outbox::expire_leases(&mut tx).await?;
        tx.commit().await?;
        while let Some(email) = self.claim().await? {
            match self.deliver(&email).await {
                Ok(()) => {
                    let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
                    outbox::mark_sent(&mut tx, email.id).await?;
                    tx.commit().await?;
                    pass.sent += 1;
                }
                Err((permanent, reason)) => {
                    let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
                    let status =
                        outbox::mark_attempt_failed(&mut tx, &email, permanent, &reason).await?;
                    tx.commit().await?;
                    tracing::warn!(id = %email.id, attempts = email.attempts, status = status.as_str(), cause = %reason, "email not delivered");
                    if status == OutboxStatus::Failed {
                        pass.failed += 1;
                    } else {
                        pass.retrying += 1;
                    }
                }
            }
        }
        Ok(pass)
    }

    /// Claims the next due message in a transaction of its own, committed
    /// before anything is sent.
    pub async fn claim(&self) -> Result<Option<ClaimedEmail>, AppError> {
        let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
        let claimed = outbox::claim_next(&mut tx, self.lease.as_secs() as i64).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    /// Sends a claimed message; the error says whether retrying can help.
    pub async fn deliver(&self, email: &ClaimedEmail) -> Result<(), (bool, String)> {
        let message = mime_message(&self.from, email).map_err(|reason| (true, reason))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| (e.permanent, e.reason))
    }

    /// Runs for the life of the server: a pass when a message is enqueued
    /// (PostgreSQL NOTIFY) and every `poll` for retries that come due.
    pub fn spawn(self, poll: Duration) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut listener = match PgListener::connect_with(&self.pool).await {
                Ok(mut l) => match l.listen("hms_outbox").await {
                    Ok(()) => Some(l),
                    Err(e) => {
                        tracing::warn!(cause = %e, "mail sender cannot listen; polling only");
                        None
                    }
                },
                Err(e) => {
                    tracing::warn!(cause = %e, "mail sender cannot listen; polling only");
                    None
                }
            };
            loop {
                match self.deliver_due().await {
                    Ok(p) if p == Pass::default() => {}
                    Ok(p) => tracing::info!(
                        sent = p.sent,
                        retrying = p.retrying,
                        failed = p.failed,
                        unknown = p.unknown,
                        "mail sender pass"
                    ),
                    Err(e) => tracing::warn!(cause = %e, "mail sender pass failed; will retry"),
                }
                match listener.as_mut() {
                    // A notification or the poll interval, whichever is
                    // first. A lost connection is re-established by the
                    // next recv; until then, wait out the interval.
                    Some(l) => {
                        if let Ok(Err(e)) = tokio::time::timeout(poll, l.recv()).await {
                            tracing::debug!(cause = %e, "mail sender lost its notifications");
                            tokio::time::sleep(poll).await;
                        }
                    }
                    None => tokio::time::sleep(poll).await,
                }
            }
        })
    }
}
