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
    // Sign-in limits, per hashed address or account, before any clinic is known.
    "rate_limit_hits",
    // The digest of the server's scope token; the app role has no grant on it.
    "scope_keys",
    // Devices asking to be signed in (RFC 8628): nobody is known yet.
    "api_device_grants",
    // Audit events waiting for the linker, by id only; the app role has no
    // grant on it.
    "audit_unlinked",
    // Runs of the server's own jobs (counts, never patient data): the
    // system scope and platform admins only.
    "job_runs",
];

/// Tables of one person's own rows, filtered by row-level security to the
/// person the transaction acts as.
const PERSONAL_TABLES: &[&str] = &[
    "user_totp",
    "recovery_codes",
    "trusted_devices",
    "api_tokens",
];

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
        // Audit events (and their links) and emails of the platform itself
        // belong to no clinic; a person's second factor belongs to the
        // person, in every clinic.
        assert!(
            has_clinic
                || ["audit_events", "audit_links", "outbox_emails"].contains(&name.as_str())
                || PERSONAL_TABLES.contains(&name.as_str()),
            "{name} has no non-null clinic_id"
        );
        assert!(
            rls && forced,
            "{name} lacks enabled and forced row-level security"
        );
    }
}

/// What someone acting as a patient (the portal) may do with a clinic-owned
/// table, enforced by restrictive row-level policies on `app_acting_as_patient()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PatientPolicy {
    /// Nothing: no row is visible and none can be written.
    Nothing,
    /// Their own rows only, read-only.
    OwnRows,
    /// Their own rows only; their own acts may add rows (the audit trail).
    OwnRowsAppend,
    /// Every row of their clinic, read-only (reference data such as departments).
    ReadOnly,
    /// Their acts may add rows; they read and change none (the outbox).
    AppendOnly,
    /// Their own rows only; they book their own and cancel them. The
    /// restrictive policy's check and the lifecycle trigger hold what they
    /// may write (tests/it/appointments.rs drives both).
    OwnRowsBooked,
}

/// Every clinic-owned table's patient policy. A new table must be added here
/// (the test below fails until it is), and its migration must carry the
/// policies its class needs.
const PATIENT_POLICIES: &[(&str, PatientPolicy)] = &[
    ("patients", PatientPolicy::OwnRows),
    ("memberships", PatientPolicy::OwnRows),
    ("audit_events", PatientPolicy::OwnRowsAppend),
    ("audit_links", PatientPolicy::Nothing),
    ("departments", PatientPolicy::ReadOnly),
    ("doctor_profiles", PatientPolicy::ReadOnly),
    ("clinic_patient_counts", PatientPolicy::ReadOnly),
    ("patient_number_counters", PatientPolicy::Nothing),
    ("patient_visits", PatientPolicy::OwnRows),
    ("visit_token_counters", PatientPolicy::Nothing),
    ("vital_signs", PatientPolicy::OwnRows),
    ("queue_displays", PatientPolicy::Nothing),
    ("outbox_emails", PatientPolicy::AppendOnly),
    ("invitations", PatientPolicy::Nothing),
    ("clinic_sso_settings", PatientPolicy::Nothing),
    ("sso_identities", PatientPolicy::Nothing),
    ("sso_access_requests", PatientPolicy::Nothing),
    ("api_idempotency_keys", PatientPolicy::Nothing),
    ("clinic_schedule_settings", PatientPolicy::ReadOnly),
    ("clinic_opening_hours", PatientPolicy::ReadOnly),
    ("clinic_holidays", PatientPolicy::ReadOnly),
    ("doctor_office_hours", PatientPolicy::ReadOnly),
    ("doctor_schedule_exceptions", PatientPolicy::Nothing),
    ("appointments", PatientPolicy::OwnRowsBooked),
    ("no_show_penalties", PatientPolicy::OwnRows),
    ("appointment_reminders", PatientPolicy::Nothing),
    ("self_booking_suspensions", PatientPolicy::OwnRows),
    ("notifications", PatientPolicy::OwnRows),
    ("calendar_feeds", PatientPolicy::Nothing),
    ("follow_ups", PatientPolicy::OwnRows),
];

/// The clinic-owned tables that have no patient policy in `classification`.
fn without_patient_policy<'a>(
    tables: &'a [String],
    classification: &[(&str, PatientPolicy)],
) -> Vec<&'a str> {
    tables
        .iter()
        .map(String::as_str)
        .filter(|t| !classification.iter().any(|(name, _)| name == t))
        .collect()
}

#[test]
fn the_patient_policy_classifier_names_a_table_left_out() {
    let tables = vec!["patients".to_string(), "wards".to_string()];
    assert_eq!(
        without_patient_policy(&tables, PATIENT_POLICIES),
        vec!["wards"]
    );
    assert!(without_patient_policy(&tables[..1], PATIENT_POLICIES).is_empty());
}

/// For each command, whether the database closes it to someone acting as a
/// patient: the app role lacks the privilege, or a restrictive policy for it
/// tests `app_acting_as_patient()`.
async fn closed_to_patients(t: &common::TestDb, table: &str) -> [bool; 4] {
    let mut closed = [false; 4];
    for (i, (privilege, cmd)) in [
        ("select", "SELECT"),
        ("insert", "INSERT"),
        ("update", "UPDATE"),
        ("delete", "DELETE"),
    ]
    .into_iter()
    .enumerate()
    {
        closed[i] = sqlx::query_scalar(
            "select not has_table_privilege('hms_app', $1::regclass, $2)
                 or exists (select 1 from pg_policies p
                            where p.schemaname = 'public' and p.tablename = $1
                              and p.permissive = 'RESTRICTIVE' and p.cmd in ('ALL', $3)
                              and coalesce(case when $3 = 'INSERT' then p.with_check
                                                else p.qual end, '')
                                  like '%app_acting_as_patient()%')",
        )
        .bind(table)
        .bind(privilege)
        .bind(cmd)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    }
    closed
}

#[tokio::test]
async fn every_clinic_owned_table_says_what_a_patient_may_do_and_the_database_holds_it() {
    use hms::domain::role::Role;
    use hms::server::tenancy::{self, ClinicScope};
    let t = common::test_db().await;
    let (riverside, _) = common::seed_demo_clinics(&t.owner_pool, 10).await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' order by 1",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    let owned: Vec<String> = tables
        .into_iter()
        .filter(|n| !GLOBAL_TABLES.contains(&n.as_str()) && !PERSONAL_TABLES.contains(&n.as_str()))
        .collect();
    assert_eq!(
        without_patient_policy(&owned, PATIENT_POLICIES),
        Vec::<&str>::new(),
        "classify each new clinic-owned table in PATIENT_POLICIES and give it its policies"
    );
    let patient: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'patient@riverside.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    for &(table, policy) in PATIENT_POLICIES {
        use PatientPolicy::*;
        let [read, insert, update, delete] = closed_to_patients(&t, table).await;
        let (want_read, want_insert) = match policy {
            Nothing | OwnRows | OwnRowsBooked => (true, true),
            OwnRowsAppend | AppendOnly => (true, false),
            ReadOnly => (false, true),
        };
        assert!(
            !want_read || read,
            "{table}: reads are not limited for patients"
        );
        assert!(!want_insert || insert, "{table}: patients could insert");
        assert!(update && delete, "{table}: patients could update or delete");
        // A table the app role may not read at all shows a patient nothing.
        let readable: bool =
            sqlx::query_scalar("select has_table_privilege('hms_app', $1, 'select')")
                .bind(table)
                .fetch_one(&t.owner_pool)
                .await
                .unwrap();
        if readable && (policy == Nothing || policy == AppendOnly) {
            let mut tx = tenancy::begin_clinic(
                &t.pool,
                ClinicScope {
                    clinic_id: riverside,
                    user_id: patient,
                    role: Role::Patient,
                },
            )
            .await
            .unwrap();
            let seen: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            assert_eq!(seen, 0, "{table}: a patient sees rows");
        }
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
