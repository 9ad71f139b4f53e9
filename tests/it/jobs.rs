//! Durable jobs on PostgreSQL: a recurring job's tick runs in one process
//! however many look at once; a failed run waits and is tried again, one
//! whose process stopped is taken up again; and the no-show sweep marks
//! each overdue appointment once, with one penalty and one email, even
//! when two sweeps run at once or one is run again.

use crate::appointments::{loaded, patients};
use crate::common;

use chrono::Utc;
use common::{TestDb, count, scope_token};
use hms::domain::jobs::{JobName, MAX_ATTEMPTS, RunStatus, slot};
use hms::server::appointments::no_shows;
use hms::server::jobs::runner::Runner;
use hms::server::jobs::runs;
use hms::server::tenancy;
use uuid::Uuid;

fn runner(t: &TestDb) -> Runner {
    Runner {
        pool: t.pool.clone(),
        scope: scope_token(),
        base_url: "https://hms.example".into(),
    }
}

async fn status(t: &TestDb, id: Uuid) -> String {
    sqlx::query_scalar("select status from appointments where id = $1")
        .bind(id)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_sweep_marks_each_overdue_appointment_once_even_two_at_once() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 20).await;
    let p = patients(&t, "riverside", 5).await;
    // Two with email, one without.
    sqlx::query("update patients set email = 'p' || left(id::text, 8) || '@mail.example' where id = any($1)")
        .bind(&p[..2])
        .execute(&t.owner_pool)
        .await
        .unwrap();
    sqlx::query("update patients set email = null where id = $1")
        .bind(p[2])
        .execute(&t.owner_pool)
        .await
        .unwrap();
    // Ended an hour ago (three patients), ended 5 minutes ago (within the
    // 15 minutes' grace), and still to come.
    let ids = loaded(
        &t,
        &[
            (p[0], -75),
            (p[1], -90),
            (p[2], -120),
            (p[3], -20),
            (p[4], 60),
        ],
        "routine",
        "",
    )
    .await;
    // One that ended long ago but was cancelled stays cancelled.
    sqlx::query(
        "update appointments set status = 'cancelled', cancel_reason = 'Travel', cancelled_by = booked_by
         where id = $1",
    )
    .bind(ids[2])
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let scope = scope_token();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        no_shows::sweep(&t.pool, &scope, "https://hms.example", now),
        no_shows::sweep(&t.pool, &scope, "https://hms.example", now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.no_shows + b.no_shows, 2, "{a:?} {b:?}");
    assert_eq!(a.emails + b.emails, 2, "{a:?} {b:?}");
    assert_eq!(
        [
            status(&t, ids[0]).await,
            status(&t, ids[1]).await,
            status(&t, ids[2]).await,
            status(&t, ids[3]).await,
            status(&t, ids[4]).await
        ],
        ["no_show", "no_show", "cancelled", "booked", "booked"]
    );
    // Run again: nothing more.
    let again = no_shows::sweep(&t.pool, &scope, "https://hms.example", Utc::now())
        .await
        .unwrap();
    assert_eq!((again.no_shows, again.emails), (0, 0));
    assert_eq!(count(&t, "select count(*) from no_show_penalties").await, 2);
    assert_eq!(
        count(
            &t,
            "select count(*) from outbox_emails where kind = 'no_show'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'appointment' \
             and after_value->>'status' = 'no_show' and actor_role = 'system'"
        )
        .await,
        2
    );
    // The email names the time, not the doctor.
    let body: String =
        sqlx::query_scalar("select body_text from outbox_emails where kind = 'no_show' limit 1")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert!(
        body.contains("We missed you at your appointment on "),
        "{body}"
    );
    assert!(
        body.contains("https://hms.example/c/riverside/my-appointments"),
        "{body}"
    );
    assert!(
        !body.contains("Dr") && !body.contains("General Medicine"),
        "{body}"
    );
    // Nobody but the sweep marks a no-show or adds a penalty: not the
    // front desk, not the clinic's admin.
    let riverside: Uuid = sqlx::query_scalar("select id from clinics where slug = 'riverside'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let desk = common::user_id(&t.owner_pool, "reception@riverside.example").await;
    let mut tx = tenancy::begin_clinic(
        &t.pool,
        tenancy::ClinicScope {
            clinic_id: riverside,
            user_id: desk,
            role: hms::domain::role::Role::Receptionist,
        },
    )
    .await
    .unwrap();
    let penalty = sqlx::query(
        "insert into no_show_penalties (appointment_id, clinic_id, patient_id)
         values ($1, $2, $3)",
    )
    .bind(ids[3])
    .bind(riverside)
    .bind(p[3])
    .execute(&mut *tx)
    .await;
    assert!(penalty.is_err(), "the desk added a penalty");
}

#[tokio::test]
async fn a_tick_runs_in_one_process_however_many_look() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 5).await;
    let (one, two, three) = (runner(&t), runner(&t), runner(&t));
    let (a, b, c) = tokio::join!(one.run_due(), two.run_due(), three.run_due());
    let ran: Vec<_> = [a.unwrap(), b.unwrap(), c.unwrap()].concat();
    // Each job once, among the three processes.
    assert_eq!(ran.len(), JobName::ALL.len(), "{ran:?}");
    for job in JobName::ALL {
        let run = ran.iter().find(|r| r.job == job).expect("each job ran");
        assert_eq!(run.status, RunStatus::Succeeded);
        assert!(
            run.outcome["clinics"].as_u64().unwrap() >= 2,
            "{:?}",
            run.outcome
        );
    }
    let (job, tick, status): (String, chrono::DateTime<Utc>, String) =
        sqlx::query_as("select job, slot, status from job_runs where job = 'no_show_sweep'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!(
        (job.as_str(), status.as_str()),
        ("no_show_sweep", "succeeded")
    );
    // Looking again within the period runs nothing (unless the clock just
    // passed into the next one).
    let again = runner(&t).run_due().await.unwrap();
    if slot(Utc::now(), JobName::NoShowSweep.every()) == tick {
        assert!(
            again.iter().all(|r| r.job != JobName::NoShowSweep),
            "{again:?}"
        );
    }
    // Run now (`hms jobs run`): a run of its own, beside the schedule's.
    let now = runner(&t)
        .run_now(JobName::NoShowSweep, "hms jobs run")
        .await
        .unwrap();
    assert_eq!(now.status, RunStatus::Succeeded);
    assert_eq!(
        count(
            &t,
            "select count(*) from job_runs where requested_by = 'hms jobs run'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_failed_run_waits_and_a_stopped_one_is_taken_up_again() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 5).await;
    let scope = scope_token();
    // A run whose process stopped: running, its lease over.
    let stopped: Uuid = sqlx::query_scalar(
        "insert into job_runs (job, slot, status, attempts, lease_until, started_at)
         values ('no_show_sweep', now() - interval '1 day', 'running', 1,
                 now() - interval '1 minute', now() - interval '6 minutes')
         returning id",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let ran = runner(&t).run_due().await.unwrap();
    // This period's ticks (one per job) and the stopped run, each done once.
    assert_eq!(ran.len(), JobName::ALL.len() + 1, "{ran:?}");
    let (status, attempts): (String, i32) =
        sqlx::query_as("select status, attempts from job_runs where id = $1")
            .bind(stopped)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("succeeded", 2));
    // A failure waits (30 s after the first attempt), then fails for good
    // once the attempts are used up.
    let mut tx = tenancy::begin_system(&t.pool, &scope).await.unwrap();
    let run = runs::claim_tick(&mut tx, JobName::NoShowSweep, Utc::now(), Some("test"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        runs::fail(&mut tx, &run, "the mail server said no")
            .await
            .unwrap(),
        RunStatus::Pending
    );
    tx.commit().await.unwrap();
    let wait: f64 = sqlx::query_scalar(
        "select extract(epoch from run_at - now())::float8 from job_runs where id = $1",
    )
    .bind(run.id)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!((25.0..=31.0).contains(&wait), "{wait}");
    // Not due yet: nothing to take up.
    let mut tx = tenancy::begin_system(&t.pool, &scope).await.unwrap();
    assert!(runs::claim_due(&mut tx).await.unwrap().is_none());
    tx.commit().await.unwrap();
    sqlx::query("update job_runs set run_at = now(), attempts = $2 where id = $1")
        .bind(run.id)
        .bind(MAX_ATTEMPTS - 1)
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let mut tx = tenancy::begin_system(&t.pool, &scope).await.unwrap();
    let last = runs::claim_due(&mut tx).await.unwrap().unwrap();
    assert_eq!((last.id, last.attempts), (run.id, MAX_ATTEMPTS));
    assert_eq!(
        runs::fail(&mut tx, &last, "still no").await.unwrap(),
        RunStatus::Failed
    );
    tx.commit().await.unwrap();
    let (status, error): (String, String) =
        sqlx::query_as("select status, last_error from job_runs where id = $1")
            .bind(run.id)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), error.as_str()), ("failed", "still no"));
    // A clinic's staff see no runs.
    let riverside: Uuid = sqlx::query_scalar("select id from clinics where slug = 'riverside'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let admin = common::user_id(&t.owner_pool, "admin@riverside.example").await;
    let mut tx = tenancy::begin_clinic(
        &t.pool,
        tenancy::ClinicScope {
            clinic_id: riverside,
            user_id: admin,
            role: hms::domain::role::Role::ClinicAdmin,
        },
    )
    .await
    .unwrap();
    let seen: i64 = sqlx::query_scalar("select count(*) from job_runs")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0);
}

#[tokio::test]
async fn the_platform_admin_sees_the_runs_and_their_failures_and_no_one_else_does() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 5).await;
    runner(&t).run_due().await.unwrap();
    sqlx::query(
        "insert into job_runs (job, slot, status, attempts, finished_at, last_error)
         values ('no_show_sweep', now() - interval '1 day', 'failed', 5, now(),
                 'the database went away')",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let app = common::app(t.pool.clone());
    let mut admin = common::Browser::new(&app);
    admin.sign_in("platform@hms.example").await;
    let res = admin
        .post("/fn/platform/platform_jobs", "status=&page=1")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let runs: hms::domain::paging::Page<hms::domain::jobs::JobRunEntry> =
        serde_json::from_str(&res.body).unwrap();
    assert_eq!(runs.total, JobName::ALL.len() as u64 + 1);
    assert!(runs.items.iter().any(|r| {
        r.status == RunStatus::Succeeded
            && r.outcome
                .as_deref()
                .is_some_and(|o| o.contains("\"no_shows\":0"))
    }));
    let res = admin
        .post("/fn/platform/platform_jobs", "status=failed&page=1")
        .await;
    let failed: hms::domain::paging::Page<hms::domain::jobs::JobRunEntry> =
        serde_json::from_str(&res.body).unwrap();
    assert_eq!(failed.items.len(), 1);
    assert_eq!(
        failed.items[0].last_error.as_deref(),
        Some("the database went away")
    );
    let res = admin
        .post("/fn/platform/platform_jobs", "status=exploded&page=1")
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Choose a status from the list."),
        "{}",
        res.body
    );
    for email in ["admin@riverside.example", "doctor@riverside.example"] {
        let mut b = common::Browser::new(&app);
        b.sign_in(email).await;
        let res = b.post("/fn/platform/platform_jobs", "status=&page=1").await;
        assert_eq!(res.status, 403, "{email}: {}", res.body);
    }
}

#[tokio::test]
async fn a_sweep_cut_off_between_marking_and_emailing_leaves_nothing_half_done() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let p = patients(&t, "riverside", 1).await[0];
    sqlx::query("update patients set email = 'missed@mail.example' where id = $1")
        .bind(p)
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let id = loaded(&t, &[(p, -60)], "routine", "").await[0];
    // The outbox refuses the sweep's email, as a crash after the marking
    // and before the email would cut the sweep off.
    sqlx::raw_sql(
        "create function refuse_no_show_mail() returns trigger language plpgsql as $$
         begin
             if new.kind = 'no_show' then raise exception 'the mail store is unavailable'; end if;
             return new;
         end $$;
         create trigger refuse_no_show_mail before insert on outbox_emails
             for each row execute function refuse_no_show_mail();",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let scope = scope_token();
    let cut = no_shows::sweep(&t.pool, &scope, "https://hms.example", Utc::now()).await;
    assert!(cut.is_err(), "{cut:?}");
    // Nothing of it stays: the appointment is still booked, with no
    // penalty, no event and no email, so the next sweep loses nothing.
    assert_eq!(status(&t, id).await, "booked");
    let written = |sql: &'static str| count(&t, sql);
    assert_eq!(written("select count(*) from no_show_penalties").await, 0);
    assert_eq!(
        written("select count(*) from audit_events where entity_type = 'appointment'").await,
        0
    );
    sqlx::raw_sql("drop trigger refuse_no_show_mail on outbox_emails")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let swept = no_shows::sweep(&t.pool, &scope, "https://hms.example", Utc::now())
        .await
        .unwrap();
    assert_eq!((swept.no_shows, swept.emails), (1, 1));
    let again = no_shows::sweep(&t.pool, &scope, "https://hms.example", Utc::now())
        .await
        .unwrap();
    assert_eq!((again.no_shows, again.emails), (0, 0));
    assert_eq!(status(&t, id).await, "no_show");
    assert_eq!(written("select count(*) from no_show_penalties").await, 1);
    assert_eq!(
        written("select count(*) from outbox_emails where kind = 'no_show'").await,
        1
    );
}
