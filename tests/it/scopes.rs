//! The platform and system scopes open only with the server's token (issue
//! 14, finding 4): raw SQL as the application role, which can set any
//! setting it likes, gets nothing by claiming a scope.

use crate::common;

use hms::domain::AppError;
use hms::server::crypto::SecretKey;
use hms::server::mail::compose::OutgoingEmail;
use hms::server::mail::outbox;
use hms::server::tenancy::{self, ScopeToken};
use sqlx::PgPool;

/// Rows of each cross-clinic table the app role sees in a transaction that
/// first runs `claim` (statements an attacker with the app role could run).
async fn seen_after(pool: &PgPool, claim: &[String]) -> (i64, i64) {
    let mut tx = pool.begin().await.unwrap();
    for statement in claim {
        sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let patients: i64 = sqlx::query_scalar("select count(*) from patients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let outbox: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    (patients, outbox)
}

#[tokio::test]
async fn setting_a_scope_by_hand_opens_nothing() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 20).await;
    let admin = common::user_id(&t.owner_pool, "platform@hms.example").await;
    // A password-reset link waiting to be sent: what the outbox guards.
    let mut tx = t.pool.begin().await.unwrap();
    let reset = OutgoingEmail {
        idempotency_key: "password-reset:1".into(),
        clinic_id: None,
        kind: "password_reset",
        to_address: "asha@riverside.example".into(),
        to_name: "Asha Patel".into(),
        subject: "Reset your password".into(),
        body_text: "https://hms.example/reset/secret-token".into(),
        body_html: "<p>https://hms.example/reset/secret-token</p>".into(),
        calendar: None,
    };
    assert!(outbox::enqueue(&mut tx, &reset).await.unwrap());
    tx.commit().await.unwrap();
    let outbox: i64 = common::count(&t, "select count(*) from outbox_emails").await;

    // The real paths see across clinics, and the outbox.
    let mut tx = tenancy::begin_platform(&t.pool, &common::scope_token(), admin)
        .await
        .unwrap();
    let across: i64 = sqlx::query_scalar("select count(distinct clinic_id) from patients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(across, 2);
    // What a proof looks like, copied out for the forgeries below.
    let proof: String = sqlx::query_scalar("select current_setting('hms.scope_proof')")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut tx = tenancy::begin_system(&t.pool, &common::scope_token())
        .await
        .unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(queued, outbox);
    tx.rollback().await.unwrap();

    let set = |name: &str, value: &str| format!("select set_config('{name}', '{value}', true)");
    for claim in [
        vec![set("hms.scope", "platform")],
        vec![set("hms.scope", "system")],
        vec![
            set("hms.user_id", &admin.to_string()),
            set("hms.scope", "platform"),
        ],
        // A proof from another transaction fits no other.
        vec![set("hms.scope", "platform"), set("hms.scope_proof", &proof)],
        vec![set("hms.scope", "system"), set("hms.scope_proof", &proof)],
    ] {
        assert_eq!(seen_after(&t.pool, &claim).await, (0, 0), "{claim:?}");
    }
}

#[tokio::test]
async fn only_the_servers_token_enters_a_scope() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 5).await;
    let admin = common::user_id(&t.owner_pool, "platform@hms.example").await;
    let stranger = ScopeToken::derive(&SecretKey::random());
    assert_eq!(
        tenancy::begin_platform(&t.pool, &stranger, admin)
            .await
            .err(),
        Some(AppError::Unavailable),
        "a server with another key says its database does not know it"
    );
    assert_eq!(
        tenancy::begin_system(&t.pool, &stranger).await.err(),
        Some(AppError::Unavailable)
    );
    // With the right token but as someone who is no platform admin.
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    assert_eq!(
        tenancy::begin_platform(&t.pool, &common::scope_token(), doctor)
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    // enter_scope itself, called as the app role with a guessed token.
    let entered: bool = sqlx::query_scalar("select enter_scope('\\x00'::bytea, 'system')")
        .fetch_one(&t.pool)
        .await
        .unwrap();
    assert!(!entered);
    // Reinstalling under the other key moves the scopes to it.
    tenancy::install_scope_token(&t.owner_pool, &stranger)
        .await
        .unwrap();
    assert!(
        tenancy::begin_system(&t.pool, &stranger).await.is_ok(),
        "the newly installed token opens the scope"
    );
    assert!(
        tenancy::begin_system(&t.pool, &common::scope_token())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_app_role_cannot_read_the_token_digest_or_make_a_proof() {
    let t = common::test_db().await;
    for statement in [
        "select digest from scope_keys",
        "select scope_proof('platform')",
        "insert into scope_keys (digest) values (sha256('\\x00'::bytea))",
    ] {
        let refused = sqlx::query(statement).execute(&t.pool).await.unwrap_err();
        let code = refused.as_database_error().and_then(|e| e.code());
        assert_eq!(code.as_deref(), Some("42501"), "{statement}: {refused}");
    }
}
