//! A clinic page's guards share one transaction while it renders, committed
//! only when the render is over, and a page whose transaction a part broke
//! is not committed (`hms::server::page_transaction`).

use crate::common;

use std::time::Duration;

use hms::domain::AppError;
use hms::domain::audit::AuditAction;
use hms::server::audit::{self, NewAuditEvent};
use hms::server::page_transaction::PageTransaction;
use sqlx::PgPool;
use uuid::Uuid;

/// Audit events of the clinic, as the owner sees them (committed ones only).
async fn events(owner: &PgPool, clinic_id: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from audit_events where clinic_id = $1")
        .bind(clinic_id)
        .fetch_one(owner)
        .await
        .unwrap()
}

async fn desk(t: &common::TestDb) -> Uuid {
    common::user_id(&t.owner_pool, "reception@riverside.example").await
}

async fn txid(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar("select txid_current()")
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_pages_guards_share_one_transaction_committed_when_it_has_rendered() {
    let (t, _app) = common::demo_app().await;
    let user = desk(&t).await;
    let page = PageTransaction::default();
    let (mut first, membership) = page
        .enter(&t.pool, user, "riverside", None)
        .await
        .unwrap()
        .expect("the first guard enters the clinic");
    let before = events(&t.owner_pool, membership.clinic_id).await;
    let first_tx = txid(&mut first).await;
    audit::record(
        &mut first,
        &NewAuditEvent::new(Some(membership.clinic_id), AuditAction::View),
    )
    .await
    .unwrap();
    first.commit().await.unwrap();

    let (mut second, again) = page
        .enter(&t.pool, user, "riverside", None)
        .await
        .unwrap()
        .expect("the second guard shares");
    assert_eq!(txid(&mut second).await, first_tx);
    assert_eq!(again.clinic_id, membership.clinic_id);
    second.commit().await.unwrap();
    assert_eq!(
        events(&t.owner_pool, membership.clinic_id).await,
        before,
        "nothing is committed while the page renders"
    );

    page.finish().await.unwrap();
    assert_eq!(
        events(&t.owner_pool, membership.clinic_id).await,
        before + 1
    );
    assert!(
        page.enter(&t.pool, user, "riverside", None)
            .await
            .unwrap()
            .is_none(),
        "after the render a guard works alone"
    );
}

#[tokio::test]
async fn a_part_waits_for_a_slow_part_instead_of_deadlocking_beside_it() {
    let (t, _app) = common::demo_app().await;
    let page = PageTransaction::default();
    let (mut slow, membership) = page
        .enter(&t.pool, desk(&t).await, "riverside", None)
        .await
        .unwrap()
        .unwrap();
    // The slow part has audited: the page's transaction holds the clinic's
    // audit lock until the render is over.
    audit::record(
        &mut slow,
        &NewAuditEvent::new(Some(membership.clinic_id), AuditAction::View),
    )
    .await
    .unwrap();
    let before = events(&t.owner_pool, membership.clinic_id).await;
    // Another part of the page asks meanwhile and audits too. It used to
    // give up after a second and work alone, then wait for the audit lock
    // while the page waited for it, until the request timed out (408).
    let other = {
        let (page, pool, user) = (page.clone(), t.pool.clone(), desk(&t).await);
        tokio::spawn(async move {
            let (mut part, membership) = page
                .enter(&pool, user, "riverside", None)
                .await
                .unwrap()
                .expect("the part shares the page's transaction");
            audit::record(
                &mut part,
                &NewAuditEvent::new(Some(membership.clinic_id), AuditAction::View),
            )
            .await
            .unwrap();
            part.commit().await.unwrap();
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    slow.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), other)
        .await
        .expect("the other part finishes once the slow one has")
        .unwrap();
    page.finish().await.unwrap();
    assert_eq!(
        events(&t.owner_pool, membership.clinic_id).await,
        before + 2
    );
}

#[tokio::test]
async fn a_guard_inside_a_guard_fails_and_another_person_works_alone() {
    let (t, _app) = common::demo_app().await;
    let page = PageTransaction::waiting_at_most(Duration::from_millis(200));
    let (held, _) = page
        .enter(&t.pool, desk(&t).await, "riverside", None)
        .await
        .unwrap()
        .unwrap();
    // The same person while the first part still holds it would wait for
    // itself: it fails instead of hanging the page or working beside it.
    let nested = page
        .enter(&t.pool, desk(&t).await, "riverside", None)
        .await
        .err();
    assert!(matches!(nested, Some(AppError::Unavailable)), "{nested:?}");
    held.commit().await.unwrap();
    // Another person (never on one page, but never in another's transaction).
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let own = page
        .enter(&t.pool, doctor, "riverside", None)
        .await
        .unwrap();
    assert!(own.is_none());
    page.finish().await.unwrap();
}

#[tokio::test]
async fn a_page_whose_transaction_a_part_broke_is_not_committed() {
    let (t, _app) = common::demo_app().await;
    let page = PageTransaction::default();
    let (mut part, membership) = page
        .enter(&t.pool, desk(&t).await, "riverside", None)
        .await
        .unwrap()
        .unwrap();
    let before = events(&t.owner_pool, membership.clinic_id).await;
    audit::record(
        &mut part,
        &NewAuditEvent::new(Some(membership.clinic_id), AuditAction::View),
    )
    .await
    .unwrap();
    part.commit().await.unwrap();
    // A later part fails inside the database and returns its error without
    // committing.
    let (mut broken, _) = page
        .enter(&t.pool, desk(&t).await, "riverside", None)
        .await
        .unwrap()
        .unwrap();
    assert!(
        sqlx::query("select 1 / 0")
            .execute(&mut *broken)
            .await
            .is_err()
    );
    drop(broken);
    assert!(page.finish().await.is_err(), "the page is not sent");
    assert_eq!(events(&t.owner_pool, membership.clinic_id).await, before);
}
