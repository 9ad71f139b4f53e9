//! The audit trail: append-only for the app and the owner, and chains linked
//! under a key outside the database, with checkpoints outside it, that
//! expose edits, re-hashes, deletions and removed tails made behind the
//! application's back.

use crate::common;

use hms::domain::audit::AuditAction;
use hms::domain::role::Role;
use hms::server::audit::chain::{self, ChainKey};
use hms::server::audit::checkpoint::{self, Checkpoint};
use hms::server::audit::{self, Break, BreakReason, ChainReport, NewAuditEvent, RequestOrigin};
use hms::server::tenancy::{self, ClinicScope};
use sqlx::PgPool;
use uuid::Uuid;

/// The chain key of the test apps (from their secret key).
fn key() -> ChainKey {
    ChainKey::derive(&hms::server::crypto::SecretKey::from_hex(common::TEST_SECRET_KEY).unwrap())
}

/// Links what is pending (as the server's linker does, as the app role),
/// then verifies as the owner against `checkpoints`.
async fn link_and_verify(
    t: &common::TestDb,
    clinic: Option<Uuid>,
    checkpoints: &[Checkpoint],
) -> Vec<ChainReport> {
    chain::link_pending(&t.pool, &key()).await.unwrap();
    audit::verify(&t.owner_pool, &key(), clinic, checkpoints)
        .await
        .unwrap()
}

/// Links what is pending and returns checkpoints of the heads, as the
/// server writes them.
async fn link_and_checkpoint(t: &common::TestDb) -> Vec<Checkpoint> {
    let heads = chain::link_pending(&t.pool, &key()).await.unwrap();
    heads.iter().map(|h| Checkpoint::of(h, &key())).collect()
}

fn broken_at(report: &ChainReport) -> Option<(Option<i64>, BreakReason)> {
    report
        .first_broken
        .as_ref()
        .map(|b: &Break| (b.event_id, b.reason))
}

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

/// A transaction of the app role acting in `clinic` as `user` in `role`.
async fn acting(
    app: &PgPool,
    clinic: Uuid,
    user: Uuid,
    role: Role,
) -> sqlx::Transaction<'static, sqlx::Postgres> {
    tenancy::begin_clinic(
        app,
        ClinicScope {
            clinic_id: clinic,
            user_id: user,
            role,
        },
    )
    .await
    .unwrap()
}

/// Records `n` VIEW events in the clinic as the app role would.
async fn record_views(app: &PgPool, clinic: Uuid, user: Uuid, n: usize) {
    for i in 0..n {
        let mut tx = acting(app, clinic, user, Role::Doctor).await;
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
    let reports = link_and_verify(&t, None, &[]).await;
    assert_eq!(reports.len(), 2);
    assert!(
        reports.iter().all(|r| r.first_broken.is_none()),
        "{reports:?}"
    );
    let total: i64 = reports.iter().map(|r| r.events).sum();
    assert_eq!(total, 8);
    let only_hilltop = link_and_verify(&t, Some(hilltop), &[]).await;
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
    let reports = link_and_verify(&t, Some(riverside), &[]).await;
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
    link_and_verify(&t, None, &[]).await;
    for statement in [
        "update audit_events set entity_id = 'forged'",
        "delete from audit_events",
        "truncate audit_events",
        "update audit_links set hash = 'forged'::bytea",
        "delete from audit_links",
        "truncate audit_links",
    ] {
        let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
        let app = sqlx::query(statement).execute(&mut *tx).await;
        assert!(app.is_err(), "app role could run {statement}");
        let owner = sqlx::query(statement).execute(&t.owner_pool).await;
        assert!(owner.is_err(), "owner role could run {statement}");
    }
    let reports = link_and_verify(&t, None, &[]).await;
    assert_eq!(reports[0].events, 2);
}

#[tokio::test]
async fn the_app_cannot_read_or_write_another_clinics_trail() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, hilltop, user, 2).await;
    let mut tx = acting(&t.pool, riverside, user, Role::ClinicAdmin).await;
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

/// The ids of a clinic's linked events, in chain order.
async fn event_ids(t: &common::TestDb, clinic: Uuid) -> Vec<i64> {
    sqlx::query_scalar(
        "select e.id from audit_events e join audit_links l on l.event_id = e.id
         where e.clinic_id = $1 order by l.chain_seq",
    )
    .bind(clinic)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap()
}

/// A fresh database whose riverside chain has `n` linked VIEW events:
/// riverside's id, the events' ids in chain order, and checkpoints of the heads.
async fn linked_riverside_chain(n: usize) -> (common::TestDb, Uuid, Vec<i64>, Vec<Checkpoint>) {
    let t = common::test_db().await;
    let (riverside, _) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, n).await;
    let checkpoints = link_and_checkpoint(&t).await;
    let ids = event_ids(&t, riverside).await;
    (t, riverside, ids, checkpoints)
}

#[tokio::test]
async fn verify_finds_a_row_edited_by_a_superuser() {
    let (t, riverside, ids, _) = linked_riverside_chain(6).await;

    // A superuser can switch the append-only triggers off for the session.
    common::tamper_as_superuser(
        &t,
        "update audit_events set entity_id = 'someone-else' where id = $1",
        ids[3],
    )
    .await;

    let reports = link_and_verify(&t, Some(riverside), &[]).await;
    assert_eq!(
        broken_at(&reports[0]),
        Some((Some(ids[3]), BreakReason::Altered))
    );
}

#[tokio::test]
async fn verify_finds_a_row_deleted_by_a_superuser() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 6).await;
    record_views(&t.pool, hilltop, user, 2).await;
    link_and_checkpoint(&t).await;
    let ids = event_ids(&t, riverside).await;

    common::tamper_as_superuser(&t, "delete from audit_events where id = $1", ids[2]).await;

    let reports = link_and_verify(&t, None, &[]).await;
    let river = reports
        .iter()
        .find(|r| r.clinic_id == Some(riverside))
        .unwrap();
    assert_eq!(
        broken_at(river),
        Some((Some(ids[2]), BreakReason::Removed)),
        "its link names the event deleted"
    );
    let hill = reports
        .iter()
        .find(|r| r.clinic_id == Some(hilltop))
        .unwrap();
    assert_eq!(hill.first_broken, None, "other chains are unaffected");
    // Its link deleted as well, the gap shows.
    common::tamper_as_superuser(&t, "delete from audit_links where event_id = $1", ids[2]).await;
    let reports = link_and_verify(&t, Some(riverside), &[]).await;
    assert_eq!(
        broken_at(&reports[0]),
        Some((Some(ids[3]), BreakReason::OutOfPlace)),
        "the event after the gap no longer links"
    );
}

/// Deleting the newest events leaves a shorter chain that links perfectly;
/// only a checkpoint made before shows what is gone.
#[tokio::test]
async fn a_removed_tail_is_found_by_the_checkpoints() {
    let (t, riverside, ids, checkpoints) = linked_riverside_chain(6).await;

    // Events and their links, by someone who knows where both are kept.
    common::tamper_as_superuser(&t, "delete from audit_links where event_id >= $1", ids[4]).await;
    common::tamper_as_superuser(&t, "delete from audit_events where id >= $1", ids[4]).await;

    let without = link_and_verify(&t, Some(riverside), &[]).await;
    assert_eq!(without[0].first_broken, None, "what is left links");
    let with = link_and_verify(&t, Some(riverside), &checkpoints).await;
    assert_eq!(with[0].events, 4);
    assert_eq!(
        with[0].first_broken,
        Some(Break {
            seq: 5,
            event_id: None,
            reason: BreakReason::Missing { checkpoint_seq: 6 },
        })
    );
    // The same, through the file the server writes.
    let path = std::env::temp_dir().join(format!("hms-cp-{}.jsonl", Uuid::now_v7().simple()));
    let heads: Vec<_> = checkpoints
        .iter()
        .map(|c| chain::Head {
            chain: c.chain,
            seq: c.seq,
            hash: (0..c.hash.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&c.hash[i..i + 2], 16).unwrap())
                .collect(),
        })
        .collect();
    checkpoint::append(&path, &heads, &key()).unwrap();
    let from_file = checkpoint::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let again = link_and_verify(&t, Some(riverside), &from_file).await;
    assert_eq!(again[0].first_broken, with[0].first_broken);
}

/// Someone who edits an event and recomputes every later hash with the
/// database's own functions still cannot produce the keyed links.
#[tokio::test]
async fn a_full_re_hash_after_an_edit_is_found() {
    let (t, riverside, ids, _) = linked_riverside_chain(6).await;

    common::tamper_as_superuser(
        &t,
        "update audit_events set entity_id = 'someone-else' where id = $1",
        ids[2],
    )
    .await;
    // Re-link from the edited event on, in order, each after the last.
    for id in &ids[2..] {
        common::tamper_as_superuser(
            &t,
            "update audit_links l set
                 prev_hash = (select p.hash from audit_links p
                              where p.clinic_id = l.clinic_id and p.chain_seq = l.chain_seq - 1),
                 hash = sha256((select p.hash from audit_links p
                                where p.clinic_id = l.clinic_id and p.chain_seq = l.chain_seq - 1)
                               || (select audit_event_content(e) from audit_events e
                                   where e.id = l.event_id))
             where event_id = $1",
            *id,
        )
        .await;
    }

    let reports = link_and_verify(&t, Some(riverside), &[]).await;
    assert_eq!(
        broken_at(&reports[0]),
        Some((Some(ids[2]), BreakReason::Altered))
    );
}

/// The owner role (what migrations use) may switch the append-only trigger
/// off; the edit it then makes is found all the same (README, operations).
#[tokio::test]
async fn an_owner_edit_with_the_trigger_switched_off_is_found() {
    let (t, riverside, ids, _) = linked_riverside_chain(5).await;

    let mut owner = t.owner_pool.begin().await.unwrap();
    for statement in [
        "alter table audit_events disable trigger audit_events_no_update_or_delete",
        "update audit_events set actor_role = 'nurse' where id = $1",
        "alter table audit_events enable trigger audit_events_no_update_or_delete",
    ] {
        let mut q = sqlx::query(statement);
        if statement.contains("$1") {
            q = q.bind(ids[1]);
        }
        q.execute(&mut *owner).await.unwrap();
    }
    owner.commit().await.unwrap();

    let reports = link_and_verify(&t, Some(riverside), &[]).await;
    assert_eq!(
        broken_at(&reports[0]),
        Some((Some(ids[1]), BreakReason::Altered))
    );
}

/// The app role links through the database's functions: it cannot place an
/// event itself, relink a linked one, or read other clinics' events there.
#[tokio::test]
async fn the_app_role_cannot_forge_links_or_read_content_through_the_linker() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, hilltop, user, 2).await;
    // The linker's view of pending events carries no content.
    let mut tx = tenancy::begin_anonymous(&t.pool).await.unwrap();
    let rows = sqlx::query("select * from audit_pending(10)")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let columns: Vec<&str> = sqlx::Row::columns(&rows[0])
        .iter()
        .map(sqlx::Column::name)
        .collect();
    assert_eq!(columns, ["id", "clinic_id", "content"]);
    tx.rollback().await.unwrap();

    // The links and the queue are out of the app role's reach.
    for statement in [
        "select count(*) from audit_links",
        "insert into audit_links (event_id, clinic_id, chain_seq, prev_hash, hash)
         select id, clinic_id, 1, 'x'::bytea, 'y'::bytea from audit_events",
        "select count(*) from audit_unlinked",
        "delete from audit_unlinked",
        "insert into audit_unlinked (event_id) values (1)",
    ] {
        let mut tx = acting(&t.pool, riverside, user, Role::ClinicAdmin).await;
        let run = sqlx::query(statement).execute(&mut *tx).await;
        assert!(run.is_err(), "the app role could run {statement}");
    }

    let reports = link_and_verify(&t, None, &[]).await;
    assert!(
        reports.iter().all(|r| r.first_broken.is_none()),
        "{reports:?}"
    );
    // Relinking a linked event changes nothing.
    let id = event_ids(&t, hilltop).await[0];
    let mut tx = tenancy::begin_anonymous(&t.pool).await.unwrap();
    let relinked: i64 = sqlx::query_scalar(
        "select audit_link(array[$1::bigint], array[1::bigint], array['x'::bytea], array['y'::bytea])",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(relinked, 0);
}

/// Linking writes beside an event, never over it: each event row stays the
/// one its writer inserted (same place, never updated), so its pages stay
/// all-visible for reads from an index alone.
#[tokio::test]
async fn linking_leaves_each_event_row_as_it_was_written() {
    let t = common::test_db().await;
    let (riverside, hilltop) = clinic_ids(&t.owner_pool).await;
    let user = staff(&t.owner_pool, "doctor@riverside.example").await;
    record_views(&t.pool, riverside, user, 4).await;
    record_views(&t.pool, hilltop, user, 3).await;
    let rows = "select id, ctid::text, xmax::text from audit_events order by id";
    let before: Vec<(i64, String, String)> =
        sqlx::query_as(rows).fetch_all(&t.owner_pool).await.unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from audit_unlinked")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(queued, 7, "each event waits for the linker");

    let reports = link_and_verify(&t, None, &[]).await;
    assert_eq!(reports.iter().map(|r| r.events).sum::<i64>(), 7);
    assert!(reports.iter().all(|r| r.pending == 0), "{reports:?}");
    let after: Vec<(i64, String, String)> =
        sqlx::query_as(rows).fetch_all(&t.owner_pool).await.unwrap();
    assert_eq!(after, before);
    assert!(after.iter().all(|(_, _, xmax)| xmax == "0"), "{after:?}");
    let queued: i64 = sqlx::query_scalar("select count(*) from audit_unlinked")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(queued, 0, "the linker empties the queue");
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
    let reports = link_and_verify(&t, None, &[]).await;
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
