//! Tenant isolation enforced by PostgreSQL: the app role sees a clinic's rows
//! only inside that clinic's context, and cannot write into another clinic.

use crate::common;

use hms::domain::role::Role;
use hms::server::tenancy::{self, ClinicScope};
use sqlx::PgPool;
use uuid::Uuid;

struct Clinics {
    riverside: Uuid,
    hilltop: Uuid,
}

async fn seeded(owner: &PgPool) -> Clinics {
    let (riverside, hilltop) = common::seed_demo_clinics(owner, 100).await;
    Clinics { riverside, hilltop }
}

async fn add_user(owner: &PgPool, email: &str, platform_admin: bool) -> Uuid {
    sqlx::query_scalar(
        "insert into users (email, display_name, is_platform_admin) values ($1, $1, $2) returning id",
    )
    .bind(email)
    .bind(platform_admin)
    .fetch_one(owner)
    .await
    .unwrap()
}

async fn add_membership(owner: &PgPool, clinic: Uuid, user: Uuid, role: Role) {
    sqlx::query("insert into memberships (clinic_id, user_id, role) values ($1, $2, $3)")
        .bind(clinic)
        .bind(user)
        .bind(role.as_str())
        .execute(owner)
        .await
        .unwrap();
}

/// Makes a patient of the clinic `user`'s own record (the portal's link);
/// returns the record.
async fn link_patient(owner: &PgPool, clinic: Uuid, user: Uuid) -> Uuid {
    sqlx::query_scalar(
        "update patients set user_id = $2
         where id = (select id from patients where clinic_id = $1 and user_id is null limit 1)
         returning id",
    )
    .bind(clinic)
    .bind(user)
    .fetch_one(owner)
    .await
    .unwrap()
}

fn scope(clinic_id: Uuid, user_id: Uuid, role: Role) -> ClinicScope {
    ClinicScope {
        clinic_id,
        user_id,
        role,
    }
}

#[tokio::test]
async fn without_a_tenant_context_the_app_role_sees_no_clinic_rows() {
    let t = common::test_db().await;
    seeded(&t.owner_pool).await;
    for table in ["patients", "departments", "memberships"] {
        let owner_sees: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&t.owner_pool)
                .await
                .unwrap();
        let app_sees: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&t.pool)
                .await
                .unwrap();
        assert_eq!(app_sees, 0, "{table} leaks without a context");
        if table != "memberships" {
            assert!(owner_sees > 0, "{table} has seed rows to hide");
        }
    }
}

#[tokio::test]
async fn inside_a_clinic_only_that_clinics_rows_are_visible() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let user = add_user(&t.owner_pool, "reception@riverside.test", false).await;

    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, user, Role::Receptionist))
        .await
        .unwrap();
    let clinics: Vec<Uuid> = sqlx::query_scalar("select distinct clinic_id from patients")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(clinics, vec![c.riverside]);
    let hilltop_patient: Option<Uuid> =
        sqlx::query_scalar("select id from patients where clinic_id = $1 limit 1")
            .bind(c.hilltop)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
    assert_eq!(
        hilltop_patient, None,
        "asking by the other clinic's id finds nothing"
    );
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn writes_into_another_clinic_are_refused_and_change_nothing() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let user = add_user(&t.owner_pool, "reception@riverside.test", false).await;
    let hilltop_patient: Uuid =
        sqlx::query_scalar("select id from patients where clinic_id = $1 limit 1")
            .bind(c.hilltop)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();

    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, user, Role::Receptionist))
        .await
        .unwrap();
    let updated = sqlx::query("update patients set given_name = 'Hacked' where id = $1")
        .bind(hilltop_patient)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 0);
    let insert = sqlx::query(
        "insert into patients (clinic_id, patient_number, given_name, family_name, date_of_birth, sex)
         values ($1, 'X-1', 'Eve', 'Intruder', '1990-01-01', 'female')",
    )
    .bind(c.hilltop)
    .execute(&mut *tx)
    .await;
    let err = insert.expect_err("inserting into another clinic is refused");
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(tx);

    let name: String = sqlx::query_scalar("select given_name from patients where id = $1")
        .bind(hilltop_patient)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_ne!(name, "Hacked");
}

#[tokio::test]
async fn the_context_ends_with_its_transaction() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let user = add_user(&t.owner_pool, "nurse@riverside.test", false).await;
    let mut conn = t.pool.acquire().await.unwrap();
    {
        let mut tx = sqlx::Acquire::begin(&mut *conn).await.unwrap();
        sqlx::query("select set_config('hms.clinic_id', $1, true)")
            .bind(c.riverside.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let after: i64 = sqlx::query_scalar("select count(*) from patients")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        after, 0,
        "a pooled connection carries no context into the next request"
    );
    let _ = user;
}

#[tokio::test]
async fn a_person_sees_their_own_memberships_in_every_clinic_and_nothing_else() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let doctor = add_user(&t.owner_pool, "doctor@both.example", false).await;
    let other = add_user(&t.owner_pool, "other@riverside.test", false).await;
    add_membership(&t.owner_pool, c.riverside, doctor, Role::Doctor).await;
    add_membership(&t.owner_pool, c.hilltop, doctor, Role::Doctor).await;
    add_membership(&t.owner_pool, c.riverside, other, Role::Nurse).await;

    let mut tx = tenancy::begin_personal(&t.pool, doctor).await.unwrap();
    let mut clinics: Vec<Uuid> = sqlx::query_scalar("select clinic_id from memberships")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    clinics.sort();
    let mut expected = vec![c.riverside, c.hilltop];
    expected.sort();
    assert_eq!(clinics, expected);
    let patients: i64 = sqlx::query_scalar("select count(*) from patients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(patients, 0);
}

#[tokio::test]
async fn only_platform_admins_get_the_cross_clinic_path() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let admin = add_user(&t.owner_pool, "platform@hms.test", true).await;
    let clinic_admin = add_user(&t.owner_pool, "admin@riverside.test", false).await;
    add_membership(&t.owner_pool, c.riverside, clinic_admin, Role::ClinicAdmin).await;

    let mut tx = tenancy::begin_platform(&t.pool, &common::scope_token(), admin)
        .await
        .unwrap();
    let clinics: i64 = sqlx::query_scalar("select count(distinct clinic_id) from patients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(clinics, 2);
    tx.rollback().await.unwrap();

    assert_eq!(
        tenancy::begin_platform(&t.pool, &common::scope_token(), clinic_admin)
            .await
            .err(),
        Some(hms::domain::AppError::Forbidden)
    );
    sqlx::query("update users set status = 'disabled' where id = $1")
        .bind(admin)
        .execute(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(
        tenancy::begin_platform(&t.pool, &common::scope_token(), admin)
            .await
            .err(),
        Some(hms::domain::AppError::Forbidden),
        "a disabled platform admin loses the path at once"
    );
    // The platform role is not a clinic role.
    assert_eq!(
        tenancy::begin_clinic(&t.pool, scope(c.riverside, admin, Role::PlatformAdmin))
            .await
            .err(),
        Some(hms::domain::AppError::Forbidden)
    );
}

#[tokio::test]
async fn a_membership_cannot_point_at_another_clinics_department() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let user = add_user(&t.owner_pool, "doctor@riverside.test", false).await;
    let hilltop_cardiology: Uuid =
        sqlx::query_scalar("select id from departments where clinic_id = $1 and code = 'CARD'")
            .bind(c.hilltop)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let result = sqlx::query(
        "insert into memberships (clinic_id, user_id, role, department_id) values ($1, $2, 'doctor', $3)",
    )
    .bind(c.riverside)
    .bind(user)
    .bind(hilltop_cardiology)
    .execute(&t.owner_pool)
    .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn emails_are_unique_whatever_their_case() {
    let t = common::test_db().await;
    add_user(&t.owner_pool, "Asha.Patel@Example.org", false).await;
    let dup = sqlx::query(
        "insert into users (email, display_name) values ('asha.patel@example.org', 'A')",
    )
    .execute(&t.owner_pool)
    .await;
    assert!(dup.is_err());
    for bad in [
        "no-at-sign",
        "two@@example.org",
        "a@b",
        "spaces in@example.org",
    ] {
        let r = sqlx::query("insert into users (email, display_name) values ($1, 'X')")
            .bind(bad)
            .execute(&t.owner_pool)
            .await;
        assert!(r.is_err(), "accepted {bad:?}");
    }
}

#[tokio::test]
async fn a_patient_sees_their_own_record_and_nothing_of_anyone_else_even_by_asking() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let patient = add_user(&t.owner_pool, "maya@portal.test", false).await;
    add_membership(&t.owner_pool, c.riverside, patient, Role::Patient).await;
    let own = link_patient(&t.owner_pool, c.riverside, patient).await;
    let other: Uuid =
        sqlx::query_scalar("select id from patients where clinic_id = $1 and id <> $2 limit 1")
            .bind(c.riverside)
            .bind(own)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();

    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, patient, Role::Patient))
        .await
        .unwrap();
    let seen: Vec<Uuid> = sqlx::query_scalar("select id from patients")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec![own], "one record: their own");
    let by_id: Option<Uuid> = sqlx::query_scalar("select id from patients where id = $1")
        .bind(other)
        .fetch_optional(&mut *tx)
        .await
        .unwrap();
    assert_eq!(by_id, None);
    for (table, expected) in [
        ("memberships", 1),
        ("invitations", 0),
        ("clinic_sso_settings", 0),
        ("sso_identities", 0),
        ("sso_access_requests", 0),
        ("audit_events", 0),
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        assert_eq!(n, expected, "{table}");
    }
    // Another's record is not there to change; their own is read-only
    // from the portal; none can be made.
    let updated = sqlx::query("update patients set given_name = 'Changed' where id = $1")
        .bind(other)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 0);
    let own_update = sqlx::query("update patients set given_name = 'Changed' where id = $1")
        .bind(own)
        .execute(&mut *tx)
        .await
        .expect_err("their own record is read-only");
    assert!(
        own_update.to_string().contains("row-level security"),
        "{own_update}"
    );
    drop(tx);
    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, patient, Role::Patient))
        .await
        .unwrap();
    let insert = sqlx::query(
        "insert into patients (clinic_id, patient_number, given_name, family_name, date_of_birth, sex)
         values ($1, 'X-2', 'Eve', 'Intruder', '1990-01-01', 'female')",
    )
    .bind(c.riverside)
    .execute(&mut *tx)
    .await;
    let err = insert.expect_err("a patient cannot register patients");
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(tx);

    // The same person as staff of the clinic would see the register.
    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, patient, Role::Receptionist))
        .await
        .unwrap();
    let all: i64 = sqlx::query_scalar("select count(*) from patients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(all > 1, "the restriction follows the role, not the person");
}

#[tokio::test]
async fn entering_a_clinic_takes_the_preferred_role_else_the_first_and_sets_its_context() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let both = add_user(&t.owner_pool, "doctor.nurse@riverside.test", false).await;
    add_membership(&t.owner_pool, c.riverside, both, Role::Nurse).await;
    add_membership(&t.owner_pool, c.riverside, both, Role::Doctor).await;
    add_membership(&t.owner_pool, c.riverside, both, Role::LabTechnician).await;
    sqlx::query(
        "update memberships set active = false where user_id = $1 and role = 'lab_technician'",
    )
    .bind(both)
    .execute(&t.owner_pool)
    .await
    .unwrap();
    for (preferred, expected) in [
        (None, Role::Doctor),
        (Some(Role::Nurse), Role::Nurse),
        (Some(Role::Receptionist), Role::Doctor),
        (Some(Role::LabTechnician), Role::Doctor),
    ] {
        let (mut tx, m) = tenancy::enter_clinic(&t.pool, both, "riverside", preferred)
            .await
            .unwrap();
        assert_eq!(
            (m.role, m.clinic_id),
            (expected, c.riverside),
            "{preferred:?}"
        );
        let (clinic, role, scope): (Option<Uuid>, String, String) = sqlx::query_as(
            "select app_clinic_id(), current_setting('hms.role'), current_setting('hms.scope')",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        assert_eq!(clinic, Some(c.riverside));
        assert_eq!(
            (role.as_str(), scope.as_str()),
            (expected.as_str(), "clinic")
        );
    }
    // No role in hilltop, and no such clinic, are the same answer.
    for slug in ["hilltop", "nowhere"] {
        assert_eq!(
            tenancy::enter_clinic(&t.pool, both, slug, None).await.err(),
            Some(hms::domain::AppError::NotFound),
            "{slug}"
        );
    }
}

#[tokio::test]
async fn entering_a_clinic_gives_its_date_in_its_own_time_zone() {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let doctor = add_user(&t.owner_pool, "doctor@riverside.test", false).await;
    add_membership(&t.owner_pool, c.riverside, doctor, Role::Doctor).await;
    // Fourteen hours either side of UTC: the two dates differ from each
    // other whatever the time of day, so a date taken in UTC (or in the
    // other clinic's zone) is caught.
    for zone in ["Pacific/Kiritimati", "Etc/GMT+12"] {
        sqlx::query("update clinics set timezone = $1 where id = $2")
            .bind(zone)
            .bind(c.riverside)
            .execute(&t.owner_pool)
            .await
            .unwrap();
        let (mut tx, m) = tenancy::enter_clinic(&t.pool, doctor, "riverside", None)
            .await
            .unwrap();
        let expected: chrono::NaiveDate =
            sqlx::query_scalar("select (now() at time zone $1)::date")
                .bind(zone)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        assert_eq!(m.today, expected, "{zone}");
    }
}

#[tokio::test]
async fn a_patient_sees_their_own_visits_and_vital_signs_and_a_patient_context_without_a_record_sees_none()
 {
    let t = common::test_db().await;
    let c = seeded(&t.owner_pool).await;
    let patient = add_user(&t.owner_pool, "ravi@portal.test", false).await;
    add_membership(&t.owner_pool, c.riverside, patient, Role::Patient).await;
    let receptionist = add_user(&t.owner_pool, "desk@portal.test", false).await;
    add_membership(&t.owner_pool, c.riverside, receptionist, Role::Receptionist).await;
    let own = link_patient(&t.owner_pool, c.riverside, patient).await;
    // A visit and a set of vital signs for them and for someone else.
    let visits: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "with chosen as (
             select id, row_number() over () as n from patients
             where clinic_id = $1 and (id = $2 or user_id is null) order by id = $2 desc limit 2),
         made as (
             insert into patient_visits (clinic_id, patient_id, department_id, visit_type,
                                         visit_date, token, checked_in_by)
             select $1, chosen.id, (select id from departments where clinic_id = $1 limit 1),
                    'walk_in', current_date, chosen.n, $3
             from chosen
             returning id, patient_id)
         insert into vital_signs (clinic_id, patient_id, visit_id, recorded_by, heart_rate_per_min)
         select $1, made.patient_id, made.id, $3, 72 from made
         returning visit_id, patient_id",
    )
    .bind(c.riverside)
    .bind(own)
    .bind(receptionist)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(visits.len(), 2);
    let own_visit = visits.iter().find(|(_, p)| *p == own).unwrap().0;

    async fn seen(tx: &mut sqlx::PgConnection) -> (Vec<Uuid>, Vec<Uuid>) {
        let visits = sqlx::query_scalar("select id from patient_visits")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        let vitals = sqlx::query_scalar("select visit_id from vital_signs")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        (visits, vitals)
    }
    // Entering as pages and the API do, and as the tests' scope does.
    let (mut tx, membership) = tenancy::enter_clinic(&t.pool, patient, "riverside", None)
        .await
        .unwrap();
    assert_eq!(membership.role, Role::Patient);
    assert_eq!(seen(&mut tx).await, (vec![own_visit], vec![own_visit]));
    drop(tx);
    let mut tx = tenancy::begin_clinic(&t.pool, scope(c.riverside, patient, Role::Patient))
        .await
        .unwrap();
    assert_eq!(seen(&mut tx).await, (vec![own_visit], vec![own_visit]));
    drop(tx);
    // Staff see both; a patient context set by hand, with no patient
    // record noted, sees neither.
    let mut tx = tenancy::begin_clinic(
        &t.pool,
        scope(c.riverside, receptionist, Role::Receptionist),
    )
    .await
    .unwrap();
    assert_eq!(seen(&mut tx).await.0.len(), 2);
    sqlx::query("select set_config('hms.role', 'patient', true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen(&mut tx).await, (vec![], vec![]));
}
