//! The platform admin's outbox through its server functions, as the page
//! calls them: listing by status, sending a failed message again (audited),
//! and every kind of bad request refused without changing anything.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// A message in `status`, written as a superuser (as the sender would have
/// left it).
async fn message(db: &str, status: &str) -> Uuid {
    let mut su = PgConnection::connect(&common::url_for(db)).await.unwrap();
    sqlx::query_scalar(
        "insert into outbox_emails (idempotency_key, kind, to_address, subject, body_text, body_html,
                                    status, attempts, last_error, sent_at)
         values (gen_random_uuid()::text, 'invitation', 'asha@riverside.example', 'Your invitation',
                 't', 'h', $1, 3, '552 message too large',
                 case when $1 = 'sent' then now() end)
         returning id",
    )
    .bind(status)
    .fetch_one(&mut su)
    .await
    .unwrap()
}

async fn status_of(db: &str, id: Uuid) -> String {
    let mut su = PgConnection::connect(&common::url_for(db)).await.unwrap();
    sqlx::query_scalar("select status from outbox_emails where id = $1")
        .bind(id)
        .fetch_one(&mut su)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_platform_admin_lists_by_status_and_sends_a_failed_message_again() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let failed = message(&t.name, "failed").await;
    let sent = message(&t.name, "sent").await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("platform@hms.example").await;

    let list = admin
        .post("/fn/platform/platform_outbox", "status=failed&page=1")
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&failed.to_string()), "{}", list.body);
    assert!(!list.body.contains(&sent.to_string()), "{}", list.body);
    assert!(list.body.contains("552 message too large"));

    let res = admin
        .post("/fn/platform/retry_email", &format!("id={failed}"))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(status_of(&t.name, failed).await, "pending");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_events
         where action = 'UPDATE' and entity_type = 'outbox_email' and entity_id = $1
           and before_value ->> 'status' = 'failed' and after_value ->> 'status' = 'pending'",
    )
    .bind(failed.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn bad_requests_are_refused_and_change_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let failed = message(&t.name, "failed").await;
    let sent = message(&t.name, "sent").await;
    let app = app(t.pool.clone());

    // Nobody signed in; then a clinic admin, who has no platform rights.
    let mut anonymous = Browser::new(&app);
    let res = anonymous
        .post("/fn/platform/retry_email", &format!("id={failed}"))
        .await;
    assert_eq!(res.status, 401, "{}", res.body);
    let mut clinic_admin = Browser::new(&app);
    clinic_admin.sign_in("admin@riverside.example").await;
    let res = clinic_admin
        .post("/fn/platform/retry_email", &format!("id={failed}"))
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = clinic_admin
        .post("/fn/platform/platform_outbox", "status=&page=1")
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert!(!res.body.contains("asha@"), "{}", res.body);

    let mut admin = Browser::new(&app);
    admin.sign_in("platform@hms.example").await;
    for (body, status, says) in [
        ("id=not-a-uuid".to_string(), 404, "NotFound"),
        (format!("id={}", Uuid::now_v7()), 409, "not waiting"),
        (format!("id={sent}"), 409, "not waiting"),
        (String::new(), 400, ""),
    ] {
        let res = admin.post("/fn/platform/retry_email", &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
    }
    let res = admin
        .post("/fn/platform/platform_outbox", "status=lost&page=1")
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("Choose a status"), "{}", res.body);
    assert_eq!(status_of(&t.name, failed).await, "failed");
    assert_eq!(status_of(&t.name, sent).await, "sent");
}
