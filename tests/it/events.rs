//! Live updates: committed changes reach the process's listener (and
//! rolled-back ones never do), the pages' event stream is a signed-in
//! member's of their own clinic only, and a check-in made through one
//! server reaches a stream served by another on the same database.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use hms::server::events::{EventHub, Heard};
use http_body_util::BodyExt;
use tower::ServiceExt;
use uuid::Uuid;

use crate::common::{self, Browser, TestDb};

async fn waiting_visit(t: &TestDb, commit: bool) -> (Uuid, Uuid, Uuid) {
    let mut tx = t.owner_pool.begin().await.unwrap();
    let row: (Uuid, Uuid, Uuid) = sqlx::query_as(
        "insert into patient_visits (clinic_id, patient_id, department_id, visit_type, checked_in_by,
                                     visit_date, token)
         select c.id, (select id from patients where clinic_id = c.id and user_id is null
                       order by patient_number limit 1),
                d.id, 'walk_in', u.id, current_date, 1
         from clinics c join departments d on d.clinic_id = c.id and d.code = 'GEN',
              users u
         where c.slug = 'riverside' and u.email = 'reception@riverside.example'
         returning clinic_id, department_id, id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    if commit {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
    row
}

async fn next(rx: &mut tokio::sync::broadcast::Receiver<Heard>) -> Option<Heard> {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .ok()
        .and_then(Result::ok)
}

#[tokio::test]
async fn committed_changes_reach_the_listener_and_rolled_back_ones_never_do() {
    let (t, _app) = common::demo_app().await;
    let hub = EventHub::new(t.pool.clone());
    let mut rx = hub.subscribe();
    // Listening: the first thing heard is "read everything".
    assert_eq!(next(&mut rx).await, Some(Heard::Resync));
    waiting_visit(&t, false).await;
    let (clinic, department, id) = waiting_visit(&t, true).await;
    match next(&mut rx).await {
        Some(Heard::Change(c)) => {
            assert_eq!((c.clinic, c.id), (clinic, id));
            assert_eq!(c.topic, format!("queue:{department}"));
        }
        other => panic!("expected the committed change, heard {other:?}"),
    }
    // The rolled-back insert was never announced: nothing else is waiting.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_dropped_listener_connection_is_reconnected_and_streams_read_again() {
    let (t, _app) = common::demo_app().await;
    let hub = EventHub::new(t.pool.clone());
    let mut rx = hub.subscribe();
    assert_eq!(next(&mut rx).await, Some(Heard::Resync));
    // The database ends the listener's connection, as a restart would.
    use sqlx::Connection;
    let mut su = sqlx::PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    let ended: i64 = sqlx::query_scalar(
        "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
         where datname = current_database() and query like 'LISTEN%'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    assert_eq!(ended, 1);
    assert_eq!(next(&mut rx).await, Some(Heard::Resync));
    let (_, _, id) = waiting_visit(&t, true).await;
    match next(&mut rx).await {
        Some(Heard::Change(c)) => assert_eq!(c.id, id),
        other => panic!("expected a change after reconnecting, heard {other:?}"),
    }
}

/// Opens `/live/{slug}` with the browser's cookie; the status, and the
/// response to read events from.
async fn open_stream(
    app: &axum::Router,
    slug: &str,
    cookie: Option<&str>,
) -> axum::http::Response<Body> {
    open_live(app, &format!("/live/{slug}"), cookie).await
}

/// Opens the event stream at `address` with the browser's cookie.
pub(crate) async fn open_live(
    app: &axum::Router,
    address: &str,
    cookie: Option<&str>,
) -> axum::http::Response<Body> {
    let mut req = Request::get(address);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// Reads the stream until a `data:` line containing `wanted` arrives.
pub(crate) async fn hears(
    res: &mut axum::http::Response<Body>,
    wanted: &str,
    within: Duration,
) -> bool {
    let body = res.body_mut();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            _ => return false,
        };
        if let Some(bytes) = frame.data_ref() {
            seen.push_str(&String::from_utf8_lossy(bytes));
            if seen
                .lines()
                .any(|l| l.starts_with("data:") && l.contains(wanted))
            {
                return true;
            }
        }
    }
}

#[tokio::test]
async fn a_check_in_through_one_server_reaches_a_stream_of_another() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    // Two servers on one database, each with its own listener, as two
    // `hms serve` processes are.
    let (one, two) = (common::app(t.pool.clone()), common::app(t.pool.clone()));
    let mut desk = Browser::new(&one);
    desk.sign_in("reception@riverside.example").await;
    let mut doctor = Browser::new(&two);
    doctor.sign_in("doctor@riverside.example").await;
    let mut stream = open_stream(&two, "riverside", doctor.cookie.as_deref()).await;
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    // The listener is up once it has said so.
    assert!(hears(&mut stream, "resync", Duration::from_secs(5)).await);
    let department: Uuid = sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id
         where c.slug = 'riverside' and d.code = 'GEN'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let patient: Uuid = sqlx::query_scalar(
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = 'riverside' order by p.patient_number limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let res = desk
        .post(
            "/fn/visits/check_in_patient",
            &format!(
                "slug=riverside&patient={patient}&visit%5Bdepartment%5D={department}\
                 &visit%5Bvisit_type%5D=walk_in&visit%5Bpriority%5D=normal&visit%5Breason%5D="
            ),
        )
        .await;
    assert!(res.header("location").ends_with("/slip"), "{}", res.body);
    assert!(
        hears(
            &mut stream,
            &format!("queue:{department}"),
            Duration::from_secs(1)
        )
        .await,
        "the other server's stream heard the check-in within a second"
    );
    eprintln!(
        "check-in heard by the other server after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn streams_are_for_signed_in_staff_of_their_own_clinic() {
    let (_t, app) = common::demo_app().await;
    let res = open_stream(&app, "riverside", None).await;
    assert_eq!(res.status(), 401);
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    for slug in ["hilltop", "no-such-clinic", "..%2F..", "RIVERSIDE"] {
        let res = open_stream(&app, slug, desk.cookie.as_deref()).await;
        assert_eq!(res.status(), 404, "{slug}");
    }
    let forged = open_stream(&app, "riverside", Some("id=forged-session-cookie")).await;
    assert_eq!(forged.status(), 401);
    let mut patient = Browser::new(&app);
    patient.sign_in("patient@riverside.example").await;
    let res = open_stream(&app, "riverside", patient.cookie.as_deref()).await;
    assert_eq!(res.status(), 403);
    let res = open_stream(&app, "riverside", desk.cookie.as_deref()).await;
    assert_eq!(res.status(), 200);
}
