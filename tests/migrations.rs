#![cfg(feature = "ssr")]
//! Migrations against a real, empty PostgreSQL database.

mod common;

use hms::server::db;

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_are_idempotent() {
    let t = common::empty_db().await;
    assert_eq!(
        db::readiness(&t.pool).await,
        Err(db::NotReady::MigrationsPending {
            applied: 0,
            expected: db::latest_migration()
        })
    );

    db::migrate(&t.owner_pool).await.expect("first run applies");
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(applied as usize, db::MIGRATOR.iter().count());

    db::migrate(&t.owner_pool)
        .await
        .expect("second run is a no-op");
    let again: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations")
        .fetch_one(&t.pool)
        .await
        .unwrap();
    assert_eq!(again, applied);
    assert_eq!(db::readiness(&t.pool).await, Ok(()));
}

#[tokio::test]
async fn every_clinic_owned_table_carries_a_clinic_id() {
    let t = common::test_db().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE'
           and table_name not in ('clinics', '_sqlx_migrations')",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert!(!tables.is_empty());
    for table in tables {
        let has: bool = sqlx::query_scalar(
            "select exists(select 1 from information_schema.columns
             where table_name = $1 and column_name = 'clinic_id' and is_nullable = 'NO')",
        )
        .bind(&table)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
        assert!(has, "{table} has no non-null clinic_id");
    }
}

#[tokio::test]
async fn keys_are_uuid_v7_and_updated_at_is_kept_by_the_database() {
    let t = common::test_db().await;
    let (id, created): (uuid::Uuid, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "insert into clinics (slug, name) values ('test-clinic', 'Test Clinic')
         returning id, updated_at",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(id.get_version_num(), 7);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let updated: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "update clinics set name = 'Renamed' where id = $1 returning updated_at",
    )
    .bind(id)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(updated > created);
}

#[tokio::test]
async fn the_schema_rejects_bad_clinic_rows() {
    let t = common::test_db().await;
    for (slug, name, status) in [
        ("Bad Slug", "Name", "active"),
        ("-edge", "Name", "active"),
        ("ok-slug", "", "active"),
        ("ok-slug", "Name", "deleted"),
    ] {
        let result = sqlx::query("insert into clinics (slug, name, status) values ($1, $2, $3)")
            .bind(slug)
            .bind(name)
            .bind(status)
            .execute(&t.owner_pool)
            .await;
        assert!(result.is_err(), "accepted {slug:?} {name:?} {status:?}");
    }
    sqlx::query("insert into clinics (slug, name) values ('dup', 'One')")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let err = sqlx::query("insert into clinics (slug, name) values ('dup', 'Two')")
        .execute(&t.owner_pool)
        .await
        .unwrap_err();
    // The constraint a user can trip maps to a field message, not an internal error.
    assert_eq!(
        hms::domain::AppError::from(err).field_message("slug"),
        Some("Another clinic already uses this web address.")
    );
}

#[tokio::test]
async fn the_app_role_owns_nothing_and_cannot_change_the_schema_or_clinics() {
    let t = common::test_db().await;
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            .fetch_one(&t.pool)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar(
        "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner
         where r.rolname = current_user",
    )
    .fetch_one(&t.pool)
    .await
    .unwrap();
    assert_eq!(owned, 0, "the app role owns no table");
    for statement in [
        "create table intruder (id int)",
        "insert into clinics (slug, name) values ('x-clinic', 'X')",
        "delete from clinics",
        "drop table patients",
        "alter table patients disable row level security",
    ] {
        assert!(
            sqlx::query(statement).execute(&t.pool).await.is_err(),
            "the app role could run: {statement}"
        );
    }
}
