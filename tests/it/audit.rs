//! The audit trail: append-only for the app and the owner, and a hash chain
//! that exposes edits and deletions made behind the application's back.

use crate::common;

use hms::domain::audit::AuditAction;
use hms::domain::role::Role;
use hms::server::audit::{self, NewAuditEvent, RequestOrigin};
use hms::server::tenancy::{self, ClinicScope};
use sqlx::PgPool;
use uuid::Uuid;

async fn clinic_ids(owner: &PgPool) -> (Uuid, Uuid) {
    common::seed_demo_clinics(owner, 10).await
}

async fn staff(owner: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar(
        "insert into users (email, display_name) values ($1, $1)
         on conflict ((lower(email))) do update set display_name = users.display_name returning id",
    )
    .bind(email)
    .fetch_one(owner)
    .await
    .unwrap()
}

/// Records `n` VIEW events in the clinic as the app role would.
async fn record_views(app: &PgPool, clinic: Uuid, user: Uuid, n: usize) {
    for i in 0..n {
        let mut tx = tenancy::begin_clinic(
            app,
            ClinicScope {
                clinic_id: clinic,
                user_id: user,
                role: Role::Doctor,
            },
        )
        .await
        .unwrap();
        let mut e = NewAuditEvent::new(Some(clinic), AuditAction::View);
        e.actor_user_id = Some(user);
        e.actor_role = Some("doctor".into());
        e.entity_type = Some(hms::domain::audit::AuditEntity::Patient);
        e.entity_id = Some(format!("p-{i}"));
        e.origin = RequestOrigin {
            client_addr: Some("192.0.2.7".parse().unwrap()),
            user_agent: Some("Tablet".into()),
            request_id: Some(format!("req-{i}")),
        };
        audit::record(&mut tx, &e).await.unwrap();
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn recorded_events_form_intact_chains_per_clinic() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 5).await;
    record_views(&t.pool, hilltop, user, 3).await;
    let reports = audit::verify(&t.owner_pool, None).await.unwrap();
    assert_eq!(reports.len(), 2);
    assert!(
        reports.iter().all(|r| r.first_broken.is_none()),
        "{reports:?}"
    );
    let total: i64 = reports.iter().map(|r| r.events).sum();
    assert_eq!(total, 8);
    let only_hilltop = audit::verify(&t.owner_pool, Some(hilltop)).await.unwrap();
    assert_eq!(only_hilltop.len(), 1);
    assert_eq!(only_hilltop[0].events, 3);
}

#[tokio::test]
async fn concurrent_writers_keep_the_chain_intact() {
    let t = common::test_db().await;
    let (riverside, _) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let pool = t.pool.clone();
            tokio::spawn(async move { record_views(&pool, riverside, user, 10).await })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let reports = audit::verify(&t.owner_pool, Some(riverside)).await.unwrap();
    assert_eq!(reports[0].events, 80);
    assert_eq!(reports[0].first_broken, None);
}

#[tokio::test]
async fn neither_the_app_nor_the_owner_can_change_or_remove_events() {
    let t = common::test_db().await;
    let (riverside, _) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 2).await;
    let scope = ClinicScope {
        clinic_id: riverside,
        user_id: user,
        role: Role::ClinicAdmin,
    };
    for statement in [
        "update audit_events set entity_id = 'forged'",
        "delete from audit_events",
        "truncate audit_events",
    ] {
        let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
        let app = sqlx::query(statement).execute(&mut *tx).await;
        assert!(app.is_err(), "app role could run {statement}");
        let owner = sqlx::query(statement).execute(&t.owner_pool).await;
        assert!(owner.is_err(), "owner role could run {statement}");
    }
    let reports = audit::verify(&t.owner_pool, None).await.unwrap();
    assert_eq!(reports[0].events, 2);
}

#[tokio::test]
async fn the_app_cannot_read_or_write_another_clinics_trail() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, hilltop, user, 2).await;
    let mut tx = tenancy::begin_clinic(
        &t.pool,
        ClinicScope {
            clinic_id: riverside,
            user_id: user,
            role: Role::ClinicAdmin,
        },
    )
    .await
    .unwrap();
    let seen: i64 = sqlx::query_scalar("select count(*) from audit_events")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0);
    let forged = audit::record(
        &mut tx,
        &NewAuditEvent::new(Some(hilltop), AuditAction::Export),
    )
    .await;
    assert!(forged.is_err(), "an event for another clinic is refused");
}

#[tokio::test]
async fn verify_finds_a_row_edited_by_a_superuser() {
    let t = common::test_db().await;
    let (riverside, _) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 6).await;
    let ids: Vec<i64> = sqlx::query_scalar("select id from audit_events order by id")
        .fetch_all(&t.owner_pool)
        .await
        .unwrap();

    // A superuser can switch the append-only triggers off for the session.
    common::tamper_as_superuser(
        &t,
        "update audit_events set entity_id = 'someone-else' where id = $1",
        ids[3],
    )
    .await;

    let reports = audit::verify(&t.owner_pool, Some(riverside)).await.unwrap();
    assert_eq!(reports[0].first_broken, Some(ids[3]));
}

#[tokio::test]
async fn verify_finds_a_row_deleted_by_a_superuser() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 6).await;
    record_views(&t.pool, hilltop, user, 2).await;
    let ids: Vec<i64> =
        sqlx::query_scalar("select id from audit_events where clinic_id = $1 order by id")
            .bind(riverside)
            .fetch_all(&t.owner_pool)
            .await
            .unwrap();

    common::tamper_as_superuser(&t, "delete from audit_events where id = $1", ids[2]).await;

    let reports = audit::verify(&t.owner_pool, None).await.unwrap();
    let river = reports
        .iter()
        .find(|r| r.clinic_id == Some(riverside))
        .unwrap();
    assert_eq!(
        river.first_broken,
        Some(ids[3]),
        "the event after the gap no longer links"
    );
    let hill = reports
        .iter()
        .find(|r| r.clinic_id == Some(hilltop))
        .unwrap();
    assert_eq!(hill.first_broken, None, "other chains are unaffected");
}

#[tokio::test]
async fn platform_events_chain_without_a_clinic() {
    let t = common::test_db().await;
    let mut conn = t.pool.acquire().await.unwrap();
    for _ in 0..3 {
        let mut e = NewAuditEvent::new(None, AuditAction::LoginFailed);
        e.outcome = hms::domain::audit::AuditOutcome::Failure;
        e.origin.user_agent = Some("x".repeat(2_000));
        audit::record(&mut conn, &e).await.unwrap();
    }
    let reports = audit::verify(&t.owner_pool, None).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].clinic_id, None);
    assert_eq!(reports[0].events, 3);
    assert_eq!(reports[0].first_broken, None);
}

#[tokio::test]
async fn the_log_names_patients_by_number_without_reading_the_register() {
    use hms::domain::audit::AuditFilter;
    use hms::domain::paging::PageRequest;
    use hms::server::audit;

    let t = common::test_db().await;
    let (riverside, _) = common::seed_demo_clinics(&t.owner_pool, 2000).await;
    let doctor = staff(&t.owner_pool, "doctor@riverside.example").await;
    let admin = staff(&t.owner_pool, "admin@riverside.example").await;
    let (patient, number): (Uuid, String) = sqlx::query_as(
        "select id, patient_number from patients where clinic_id = $1 order by patient_number limit 1",
    )
    .bind(riverside)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    // Events naming a patient by a non-uuid id (as `record_views` writes) sit
    // beside a real one; they must not break the list.
    record_views(&t.pool, riverside, doctor, 3).await;
    let scope = ClinicScope {
        clinic_id: riverside,
        user_id: doctor,
        role: Role::Doctor,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let mut e = NewAuditEvent::new(Some(riverside), AuditAction::View);
    e.actor_user_id = Some(doctor);
    e.entity_type = Some(hms::domain::audit::AuditEntity::Patient);
    e.entity_id = Some(patient.to_string());
    audit::record(&mut tx, &e).await.unwrap();
    tx.commit().await.unwrap();

    let scope = ClinicScope {
        clinic_id: riverside,
        user_id: admin,
        role: Role::ClinicAdmin,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let all = audit::log::list(
        &mut tx,
        &AuditFilter::default(),
        None,
        PageRequest::new(1, 20),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(
        all.items[0].patient_number.as_deref(),
        Some(number.as_str())
    );
    assert!(all.items[1..].iter().all(|e| e.patient_number.is_none()));
    let filter = AuditFilter {
        patient_number: Some(number.to_lowercase()),
        ..AuditFilter::default()
    };
    let one = audit::log::list(&mut tx, &filter, None, PageRequest::new(1, 20))
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
    assert_eq!(
        one.items[0].entity_id.as_deref(),
        Some(patient.to_string().as_str())
    );
    // Both lists looked up one patient each (a join on `id::text` read all
    // ~1,200 of the clinic's).
    let read: i64 = sqlx::query_scalar(
        "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
         from pg_stat_xact_user_tables where relname = 'patients'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert!(read <= 10, "read {read} patient rows");
}

/// The database's `audit_patient_id()` (which the audit log and recently
/// viewed lists join patients through) follows the same entity names the
/// server writes: it finds the patient of patient events and of no others.
#[tokio::test]
async fn the_database_reads_a_patient_from_exactly_the_patient_events() {
    use hms::domain::audit::AuditEntity;
    let t = common::test_db().await;
    let id = uuid::Uuid::now_v7();
    for entity in AuditEntity::ALL {
        let found: Option<uuid::Uuid> = sqlx::query_scalar("select audit_patient_id($1, $2)")
            .bind(entity.as_str())
            .bind(id.to_string())
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
        let expected = (entity == AuditEntity::Patient).then_some(id);
        assert_eq!(found, expected, "{entity:?}");
        assert_eq!(AuditEntity::parse(entity.as_str()), Some(entity));
    }
}
