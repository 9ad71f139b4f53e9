//! The job runner in every server process: every half minute it claims
//! the current tick of each recurring job (one process wins each), takes
//! up runs due for another attempt, and runs them. `hms jobs run NAME`
//! runs one at once through the same path.

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use sqlx::PgPool;
use tokio::task::JoinHandle;

use super::runs::{self, ClaimedRun};
use crate::domain::AppError;
use crate::domain::jobs::{JobName, RunStatus, slot};
use crate::server::appointments::{no_shows, reminders};
use crate::server::tenancy::{self, ScopeToken};

/// How often each process looks for work: well inside the shortest period.
const LOOK_EVERY: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct Runner {
    pub pool: PgPool,
    pub scope: ScopeToken,
    /// For the links in the emails jobs send.
    pub base_url: String,
}

/// How a run this process did ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Ran {
    pub job: JobName,
    pub status: RunStatus,
    pub outcome: Value,
}

impl Runner {
    /// One look: the current ticks, then the runs due again. Returns what ran here.
    pub async fn run_due(&self) -> Result<Vec<Ran>, AppError> {
        let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
        runs::expire_leases(&mut tx).await?;
        tx.commit().await?;
        let mut ran = Vec::new();
        let now = Utc::now();
        for job in JobName::ALL {
            let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
            let claimed = runs::claim_tick(&mut tx, job, slot(now, job.every()), None).await?;
            tx.commit().await?;
            if let Some(run) = claimed {
                ran.push(self.execute(job, &run).await?);
            }
        }
        loop {
            let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
            let claimed = runs::claim_due(&mut tx).await?;
            tx.commit().await?;
            let Some(run) = claimed else { break };
            if let Some(job) = JobName::parse(&run.job) {
                ran.push(self.execute(job, &run).await?);
            }
        }
        Ok(ran)
    }

    /// Runs `job` now, out of its schedule (`hms jobs run`), as `who`.
    pub async fn run_now(&self, job: JobName, who: &str) -> Result<Ran, AppError> {
        let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
        let claimed = runs::claim_tick(&mut tx, job, Utc::now(), Some(who)).await?;
        tx.commit().await?;
        let run = claimed.ok_or_else(|| {
            AppError::Conflict("A run of this job was asked for at this very moment.".into())
        })?;
        self.execute(job, &run).await
    }

    /// Does a claimed run and records how it ended.
    async fn execute(&self, job: JobName, run: &ClaimedRun) -> Result<Ran, AppError> {
        let result = self.work(job).await;
        let mut tx = tenancy::begin_system(&self.pool, &self.scope).await?;
        let ran = match result {
            Ok(outcome) => {
                runs::succeed(&mut tx, run.id, &outcome).await?;
                Ran {
                    job,
                    status: RunStatus::Succeeded,
                    outcome,
                }
            }
            Err(e) => {
                // The log has the cause; the table (read by admins) a summary.
                tracing::warn!(job = job.as_str(), attempts = run.attempts, cause = %e, "job run failed");
                let status = runs::fail(&mut tx, run, &e.to_string()).await?;
                Ran {
                    job,
                    status,
                    outcome: Value::Null,
                }
            }
        };
        tx.commit().await?;
        Ok(ran)
    }

    async fn work(&self, job: JobName) -> Result<Value, AppError> {
        match job {
            JobName::NoShowSweep => {
                let report =
                    no_shows::sweep(&self.pool, &self.scope, &self.base_url, Utc::now()).await?;
                Ok(serde_json::to_value(report).unwrap_or(Value::Null))
            }
            JobName::Reminders => {
                let report =
                    reminders::sweep(&self.pool, &self.scope, &self.base_url, Utc::now()).await?;
                Ok(serde_json::to_value(report).unwrap_or(Value::Null))
            }
        }
    }

    /// Looks for work every half minute for the life of the server.
    pub fn spawn(self) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(LOOK_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.run_due().await {
                    Ok(ran) => {
                        for r in ran {
                            tracing::info!(job = r.job.as_str(), status = r.status.as_str(), outcome = %r.outcome, "job run");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(cause = %e, "job runner could not look for work; will retry")
                    }
                }
            }
        })
    }
}
