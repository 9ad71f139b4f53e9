//! Migrations against a real, empty PostgreSQL database.

use crate::common;

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

/// Tables that belong to no single clinic. Anything else is clinic-owned.
const GLOBAL_TABLES: &[&str] = &[
    "_sqlx_migrations",
    "clinics",
    "users",
    "user_sessions",
    "password_resets",
    // Hospitals asking to join: no clinic exists for them yet.
    "clinic_registrations",
];

/// Tables of one person's own rows, filtered by row-level security to the
/// person the transaction acts as.
const PERSONAL_TABLES: &[&str] = &["user_totp", "recovery_codes", "trusted_devices"];

#[tokio::test]
async fn every_clinic_owned_table_has_a_clinic_id_and_forced_row_level_security() {
    let t = common::test_db().await;
    let tables: Vec<(String, bool, bool, bool)> = sqlx::query_as(
        "select c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                exists(select 1 from information_schema.columns col
                       where col.table_schema = 'public' and col.table_name = c.relname
                         and col.column_name = 'clinic_id' and col.is_nullable = 'NO')
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r'",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    let owned: Vec<_> = tables
        .iter()
        .filter(|(name, ..)| !GLOBAL_TABLES.contains(&name.as_str()))
        .collect();
    assert!(owned.len() >= 3, "{tables:?}");
    for &(ref name, rls, forced, has_clinic) in owned {
        // Audit events and emails of the platform itself belong to no clinic;
        // a person's second factor belongs to the person, in every clinic.
        assert!(
            has_clinic
                || ["audit_events", "outbox_emails"].contains(&name.as_str())
                || PERSONAL_TABLES.contains(&name.as_str()),
            "{name} has no non-null clinic_id"
        );
        assert!(
            rls && forced,
            "{name} lacks enabled and forced row-level security"
        );
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
