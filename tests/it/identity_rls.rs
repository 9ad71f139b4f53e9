//! Row-level security on the identity tables (issue 14, finding 4): raw SQL
//! as the application role sees accounts, sessions, password resets and
//! hospital registrations only as far as its context allows, and nothing
//! with no context at all.

use crate::common::{self, Browser};

use hms::server::tenancy;
use sqlx::PgConnection;
use uuid::Uuid;

const IDENTITY_TABLES: [&str; 5] = [
    "users",
    "user_sessions",
    "password_resets",
    "clinic_registrations",
    "tower_sessions.session",
];

async fn count(conn: &mut PgConnection, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
        .fetch_one(conn)
        .await
        .unwrap()
}

/// Demo clinics, two signed-in people, a password reset and a hospital
/// waiting to be confirmed: a row of every identity table to hide.
async fn populated() -> (common::TestDb, [u8; 32]) {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 5).await;
    let app = common::app(t.pool.clone());
    for email in ["doctor@riverside.example", "doctor@hilltop.example"] {
        Browser::new(&app).sign_in(email).await;
    }
    let token = [7u8; 32];
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    sqlx::query(
        "insert into password_resets (user_id, token_hash, expires_at)
         values ($1, sha256($2), now() + interval '30 minutes')",
    )
    .bind(doctor)
    .bind(&token[..])
    .execute(&t.owner_pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into clinic_registrations (hospital_name, address, phone, email,
             registration_number, tax_id, admin_name, admin_email, plan, token_hash, verify_by)
         values ('St Mary''s', '1 Road', '+44 20 7946 0000', 'office@stmarys.example', 'R1', 'T1',
                 'Mary', 'mary@stmarys.example', 'basic', sha256($1), now() + interval '1 day')",
    )
    .bind(&token[..])
    .execute(&t.owner_pool)
    .await
    .unwrap();
    for table in IDENTITY_TABLES {
        let mut owner = t.owner_pool.acquire().await.unwrap();
        assert!(
            count(&mut owner, table).await > 0,
            "{table} has rows to hide"
        );
    }
    (t, token)
}

#[tokio::test]
async fn with_no_context_the_app_role_sees_no_identity_rows() {
    let (t, _) = populated().await;
    let mut conn = t.pool.acquire().await.unwrap();
    for table in IDENTITY_TABLES {
        assert_eq!(
            count(&mut conn, table).await,
            0,
            "{table} leaks with no context"
        );
    }
    // Nor can it write sessions of its own making into the store.
    let refused = sqlx::query(
        "insert into tower_sessions.session (id, data, expiry_date)
         values (repeat('a', 64), '{}', now() + interval '1 day')",
    )
    .execute(&mut *conn)
    .await
    .unwrap_err();
    let code = refused.as_database_error().and_then(|e| e.code());
    assert_eq!(code.as_deref(), Some("42501"), "{refused}");
}

#[tokio::test]
async fn a_person_sees_their_own_account_and_sessions_only() {
    let (t, _) = populated().await;
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let mut tx = tenancy::begin_personal(&t.pool, doctor).await.unwrap();
    let accounts: Vec<Uuid> = sqlx::query_scalar("select id from users")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(accounts, vec![doctor]);
    let sessions: Vec<Uuid> = sqlx::query_scalar("select distinct user_id from user_sessions")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(sessions, vec![doctor]);
    assert_eq!(
        count(&mut tx, "password_resets").await,
        1,
        "their own reset"
    );
    assert_eq!(count(&mut tx, "clinic_registrations").await, 0);
    assert_eq!(count(&mut tx, "tower_sessions.session").await, 0);
}

#[tokio::test]
async fn inside_a_clinic_only_its_members_accounts_are_visible() {
    let (t, _) = populated().await;
    let admin = common::user_id(&t.owner_pool, "admin@riverside.example").await;
    let (mut tx, membership) = tenancy::enter_clinic(&t.pool, admin, "riverside", None)
        .await
        .unwrap();
    let seen: Vec<String> = sqlx::query_scalar("select email from users order by email")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let members: Vec<String> = sqlx::query_scalar(
        "select distinct u.email from users u join memberships m on m.user_id = u.id
         where m.clinic_id = $1 order by u.email",
    )
    .bind(membership.clinic_id)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(seen, members);
    assert!(!seen.iter().any(|e| e.ends_with("@hilltop.example")));
    assert!(!seen.contains(&"platform@hms.example".to_string()));
    // Sessions of its members (to end them when access changes), no others.
    let hilltop_doctor = common::user_id(&t.owner_pool, "doctor@hilltop.example").await;
    let others: i64 = sqlx::query_scalar("select count(*) from user_sessions where user_id = $1")
        .bind(hilltop_doctor)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(others, 0);
    assert_eq!(count(&mut tx, "password_resets").await, 0);
}

#[tokio::test]
async fn a_name_or_a_token_shows_exactly_its_own_row() {
    let (t, token) = populated().await;
    let mut tx = tenancy::begin_account_lookup(&t.pool, "doctor@riverside.example")
        .await
        .unwrap();
    let seen: Vec<String> = sqlx::query_scalar("select email from users")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec!["doctor@riverside.example".to_string()]);
    assert_eq!(count(&mut tx, "user_sessions").await, 0);
    assert_eq!(count(&mut tx, "password_resets").await, 0);
    tx.rollback().await.unwrap();

    let hash: [u8; 32] = {
        use sha2::{Digest, Sha256};
        Sha256::digest(token).into()
    };
    let mut tx = tenancy::begin_account_lookup(&t.pool, "nobody@nowhere.example")
        .await
        .unwrap();
    tenancy::name_link_token(&mut tx, &hash).await.unwrap();
    assert_eq!(count(&mut tx, "users").await, 0);
    assert_eq!(count(&mut tx, "password_resets").await, 1);
    assert_eq!(count(&mut tx, "clinic_registrations").await, 1);
    tenancy::name_link_token(&mut tx, &[0u8; 32]).await.unwrap();
    assert_eq!(count(&mut tx, "password_resets").await, 0);
    assert_eq!(count(&mut tx, "clinic_registrations").await, 0);
}
