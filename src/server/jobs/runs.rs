//! The `job_runs` table: claiming a recurring job's tick (once across all
//! processes), taking up runs due for another attempt or left by a
//! process that stopped, and recording how each ended. Every statement
//! runs in the system scope (see migrations/*_jobs.sql for the states).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::jobs::{JobName, JobRunEntry, MAX_ATTEMPTS, RunStatus, retry_delay};
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};

/// A run this process has claimed: it is `running` here until its lease ends.
#[derive(Clone, Debug)]
pub struct ClaimedRun {
    pub id: Uuid,
    pub job: String,
    pub slot: DateTime<Utc>,
    /// Including this one.
    pub attempts: i32,
}

fn lease_secs(job: JobName) -> f64 {
    job.lease().num_seconds() as f64
}

/// Claims `job`'s tick at `slot` unless a process has: the run is then
/// this process's to do. `requested_by` names who asked, for a run out of
/// the schedule.
pub async fn claim_tick(
    conn: &mut PgConnection,
    job: JobName,
    slot: DateTime<Utc>,
    requested_by: Option<&str>,
) -> Result<Option<ClaimedRun>, sqlx::Error> {
    sqlx::query_as!(
        ClaimedRun,
        r#"insert into job_runs (job, slot, status, attempts, lease_until, started_at, requested_by)
           values ($1, $2, 'running', 1, now() + make_interval(secs => $3), now(), $4)
           on conflict (job, slot) do nothing
           returning id, job, slot, attempts"#,
        job.as_str(),
        slot,
        lease_secs(job),
        requested_by,
    )
    .fetch_optional(conn)
    .await
}

/// Runs whose process stopped mid-run (the lease ran out) wait for another
/// attempt, or fail once out of attempts. Returns how many.
pub async fn expire_leases(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        r#"update job_runs
           set status = case when attempts >= $1 then 'failed' else 'pending' end,
               finished_at = case when attempts >= $1 then now() end,
               lease_until = null, run_at = now(),
               last_error = 'the process running it stopped before it ended'
           where status = 'running' and lease_until < now()"#,
        MAX_ATTEMPTS,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Claims the next run due for another attempt, if any (skipping those
/// another process holds).
pub async fn claim_due(conn: &mut PgConnection) -> Result<Option<ClaimedRun>, sqlx::Error> {
    let Some(due) = sqlx::query!(
        r#"select id, job from job_runs
           where status = 'pending' and run_at <= now()
           order by run_at, id
           limit 1
           for update skip locked"#
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    // A run of a job this build does not know (a newer server's) is left
    // for a process that does.
    let Some(job) = JobName::parse(&due.job) else {
        return Ok(None);
    };
    sqlx::query_as!(
        ClaimedRun,
        r#"update job_runs
           set status = 'running', attempts = attempts + 1, started_at = now(),
               lease_until = now() + make_interval(secs => $2)
           where id = $1
           returning id, job, slot, attempts"#,
        due.id,
        lease_secs(job),
    )
    .fetch_optional(conn)
    .await
}

/// The run ended well: what it did, for the platform's jobs page.
pub async fn succeed(
    conn: &mut PgConnection,
    id: Uuid,
    outcome: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update job_runs
           set status = 'succeeded', finished_at = now(), lease_until = null, outcome = $2,
               last_error = null
           where id = $1 and status = 'running'"#,
        id,
        outcome,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The run failed: it waits and is tried again, or fails for good once out
/// of attempts. Returns its new status.
pub async fn fail(
    conn: &mut PgConnection,
    run: &ClaimedRun,
    reason: &str,
) -> Result<RunStatus, sqlx::Error> {
    let status = if run.attempts >= MAX_ATTEMPTS {
        RunStatus::Failed
    } else {
        RunStatus::Pending
    };
    let reason: String = reason.chars().take(500).collect();
    sqlx::query!(
        r#"update job_runs
           set status = $2, lease_until = null, last_error = $3,
               run_at = now() + make_interval(secs => $4),
               finished_at = case when $2 = 'failed' then now() end
           where id = $1 and status = 'running'"#,
        run.id,
        status.as_str(),
        reason,
        retry_delay(run.attempts).num_seconds() as f64,
    )
    .execute(conn)
    .await?;
    Ok(status)
}

/// Runs, newest first, optionally of one status: the platform's jobs page.
pub async fn list(
    conn: &mut PgConnection,
    status: Option<RunStatus>,
    page: PageRequest,
) -> Result<Page<JobRunEntry>, sqlx::Error> {
    let window = count_window(page);
    let rows = sqlx::query!(
        r#"with matches as (
               select id, job, slot, status, attempts, started_at, finished_at, outcome,
                      last_error, requested_by, created_at
               from job_runs
               where ($1::text is null or status = $1)
               order by created_at desc, id desc
               limit $4)
           select m.id, m.job, m.slot, m.status, m.attempts, m.started_at, m.finished_at,
                  m.outcome, m.last_error, m.requested_by,
                  (select count(*) from matches) as "total!"
           from matches m
           order by m.created_at desc, m.id desc
           limit $2 offset $3"#,
        status.map(RunStatus::as_str),
        page.limit(),
        page.offset(),
        window,
    )
    .fetch_all(conn)
    .await?;
    let (total, total_capped) = capped_total(rows.first().map(|r| r.total).unwrap_or(0), window);
    Ok(Page::new(
        rows.into_iter()
            .map(|r| JobRunEntry {
                id: r.id,
                job: r.job,
                slot: r.slot,
                status: RunStatus::parse(&r.status).unwrap_or(RunStatus::Failed),
                attempts: r.attempts,
                started_at: r.started_at,
                finished_at: r.finished_at,
                outcome: r.outcome.map(|o| o.to_string()),
                last_error: r.last_error,
                requested_by: r.requested_by,
            })
            .collect(),
        page,
        total,
        total_capped,
    ))
}
