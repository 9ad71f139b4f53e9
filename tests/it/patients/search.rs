//! Finding patients, through the functions the pages call: the front desk's
//! search (what each kind finds) and a doctor's recently viewed patients, and
//! that each reads only the rows it shows, as the application role under
//! row-level security.

use crate::common;

use hms::domain::paging::PageRequest;
use hms::domain::patients::parse_patient_query;
use hms::domain::role::Role;
use hms::server::patients;
use hms::server::tenancy::{self, ClinicScope};
use sqlx::PgPool;
use uuid::Uuid;

fn desk(clinic_id: Uuid, user_id: Uuid) -> ClinicScope {
    ClinicScope {
        clinic_id,
        user_id,
        role: Role::Receptionist,
    }
}

/// Registers (number, given, family, phone) in the scope's clinic.
async fn register(pool: &PgPool, scope: ClinicScope, people: &[(&str, &str, &str, &str)]) {
    let mut tx = tenancy::begin_clinic(pool, scope).await.unwrap();
    for (number, given, family, phone) in people {
        sqlx::query(
            "insert into patients (clinic_id, patient_number, given_name, family_name, date_of_birth, sex, phone)
             values (app_clinic_id(), $1, $2, $3, '1980-05-01', 'female', $4)",
        )
        .bind(number)
        .bind(given)
        .bind(family)
        .bind(phone)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Numbers of the patients a search finds, in the order shown, and how many
/// patient rows PostgreSQL read to find them.
async fn search(pool: &PgPool, scope: ClinicScope, q: &str) -> (Vec<String>, i64) {
    let query = parse_patient_query(q).unwrap();
    let mut tx = tenancy::begin_clinic(pool, scope).await.unwrap();
    let page = patients::search(&mut tx, &query, PageRequest::new(1, 20))
        .await
        .unwrap();
    let numbers = page.items.into_iter().map(|p| p.patient_number).collect();
    (numbers, patient_rows_read(&mut tx).await)
}

/// Patient rows this transaction has read, from PostgreSQL's own counters.
async fn patient_rows_read(tx: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar(
        "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
         from pg_stat_xact_user_tables where relname = 'patients'",
    )
    .fetch_optional(tx)
    .await
    .unwrap()
    .unwrap_or(0)
}

const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("ZZ-0041", "Zelda", "Zyxwv", "+44 7700 955321"),
    ("ZZ-0042", "Zyxa", "Quill", "07700 900999"),
    ("ZZ-0043", "Ada", "O_Neil", "07700 900998"),
    ("ZZ-0044", "Ada", "Oxnard", "07700 900997"),
    ("ZZ-0045", "Perc%y", "Moss", "07700 900996"),
    ("ZZ-0046", "Percival", "Moss", "07700 900995"),
    ("ZZ-0047", "Ottilie", "Ottoway", "07700 900994"),
];

#[tokio::test]
async fn each_kind_of_search_finds_by_the_start_of_its_key() {
    let t = common::test_db().await;
    let (riverside, hilltop) = common::seed_demo_clinics(&t.owner_pool, 200).await;
    let rv = desk(
        riverside,
        common::user_id(&t.owner_pool, "reception@riverside.example").await,
    );
    let ht = desk(
        hilltop,
        common::user_id(&t.owner_pool, "reception@hilltop.example").await,
    );
    register(&t.pool, rv, PEOPLE).await;
    // The same person at the other clinic is never found from this one.
    register(
        &t.pool,
        ht,
        &[("ZZ-0041", "Zelda", "Zyxwv", "+44 7700 955321")],
    )
    .await;

    let found = |q: &'static str| {
        let pool = t.pool.clone();
        async move { search(&pool, rv, q).await.0 }
    };
    // A given or a family name, any case, by family name then given name.
    assert_eq!(found("ZYX").await, ["ZZ-0042", "ZZ-0041"]);
    // Two names in either order.
    assert_eq!(found("zelda zyx").await, ["ZZ-0041"]);
    assert_eq!(found("Zyxwv Zel").await, ["ZZ-0041"]);
    // Found by both names, listed once.
    assert_eq!(found("ott").await, ["ZZ-0047"]);
    assert!(found("zelda quill").await.is_empty());
    // The end of a phone number, written any way.
    assert_eq!(found("955 321").await, ["ZZ-0041"]);
    assert_eq!(found("900999").await, ["ZZ-0042"]);
    // The start of a patient number.
    assert_eq!(found("zz-004").await.len(), 7);
    assert_eq!(found("ZZ-0043").await, ["ZZ-0043"]);
    // `_` and `%` are letters here, not wildcards.
    assert_eq!(found("o_").await, ["ZZ-0043"]);
    assert_eq!(found("perc%").await, ["ZZ-0045"]);
    // Hilltop sees only its own.
    assert_eq!(search(&t.pool, ht, "zyx").await.0, ["ZZ-0041"]);
}

#[tokio::test]
async fn searches_read_only_the_rows_they_find() {
    let t = common::test_db().await;
    // Seeding refreshes the planner's statistics, as `make run` does.
    let (riverside, _) = common::seed_demo_clinics(&t.owner_pool, 3000).await;
    let rv = desk(
        riverside,
        common::user_id(&t.owner_pool, "reception@riverside.example").await,
    );
    register(&t.pool, rv, PEOPLE).await;
    sqlx::query("analyze patients")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    // Row-level security keeps non-leakproof conditions (`lower()`, `like`)
    // off the indexes; a search written that way reads all ~1,800 of the
    // clinic's patients to find these few.
    for q in [
        "zyx",
        "ott",
        "zelda zyxwv",
        "zyxwv zelda",
        "955321",
        "zz-0043",
    ] {
        let (numbers, read) = search(&t.pool, rv, q).await;
        assert!(!numbers.is_empty(), "{q} found nothing");
        assert!(
            read <= numbers.len() as i64 + 10,
            "{q}: read {read} patient rows to find {}",
            numbers.len()
        );
    }
}

#[tokio::test]
async fn recently_viewed_reads_only_the_patients_viewed() {
    let t = common::test_db().await;
    let (riverside, _) = common::seed_demo_clinics(&t.owner_pool, 3000).await;
    let viewed: Vec<Uuid> = sqlx::query_scalar(
        "select id from patients where clinic_id = $1 order by patient_number limit 3",
    )
    .bind(riverside)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    let app = common::app(t.pool.clone());
    let mut doctor = common::Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    for id in viewed.iter().rev() {
        let page = doctor.get(&format!("/c/riverside/patients/{id}")).await;
        assert_eq!(page.status, 200);
    }
    // What someone else opened is not the doctor's.
    let other: Uuid = sqlx::query_scalar(
        "select id from patients where clinic_id = $1 order by patient_number offset 3 limit 1",
    )
    .bind(riverside)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let mut reception = common::Browser::new(&app);
    reception.sign_in("reception@riverside.example").await;
    let page = reception
        .get(&format!("/c/riverside/patients/{other}"))
        .await;
    assert_eq!(page.status, 200);
    let doctor_id = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    // The statistics know of a clinic where everyone opens about a hundred
    // records…
    sqlx::query(
        "insert into audit_events (clinic_id, actor_user_id, actor_role, action, entity_type,
                                   entity_id, occurred_at)
         select $1, u.id, 'nurse', 'VIEW', 'patient', $3, now() - interval '2 days'
         from users u cross join generate_series(1, 100)
         where u.id <> $2",
    )
    .bind(riverside)
    .bind(doctor_id)
    .bind(other.to_string())
    .execute(&t.owner_pool)
    .await
    .unwrap();
    sqlx::query("analyze audit_events")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    // …and not yet of this doctor's long working history before today's
    // three: 1,000 views of 20 other patients, yesterday. Autovacuum has
    // been through them (the visibility map covers their pages). The card
    // must not read them all to find today's.
    sqlx::query(
        "insert into audit_events (clinic_id, actor_user_id, actor_role, action, entity_type,
                                   entity_id, occurred_at)
         select $1, $2, 'doctor', 'VIEW', 'patient', p.id::text,
                now() - interval '1 day' - n * interval '1 minute'
         from generate_series(1, 1000) n
         join (select id, row_number() over (order by patient_number) - 1 as i
               from patients where clinic_id = $1 order by patient_number offset 10 limit 20) p
           on p.i = n % 20",
    )
    .bind(riverside)
    .bind(doctor_id)
    .execute(&t.owner_pool)
    .await
    .unwrap();
    sqlx::query("vacuum audit_events")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let scope = ClinicScope {
        clinic_id: riverside,
        user_id: doctor_id,
        role: Role::Doctor,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let recent = patients::recently_viewed(&mut tx).await.unwrap();
    // Newest first, ten in all: today's three, then the latest of the rest.
    assert_eq!(recent.len(), 10);
    assert_eq!(recent[..3].iter().map(|p| p.id).collect::<Vec<_>>(), viewed);
    // The newest 200 views, in the index's order, not every view the doctor
    // ever made (on an estimate of a hundred, the planner fetched them all
    // from the table and sorted them).
    let (entries, table_rows): (i64, i64) = sqlx::query_as(
        "select (select coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0)::int8
                 from pg_index where indrelid = 'audit_events'::regclass),
                (select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
                 from pg_stat_xact_user_tables where relname = 'audit_events')",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert!(
        entries <= 210,
        "read {entries} index entries of 1,003 views"
    );
    assert!(
        table_rows <= 10,
        "read {table_rows} audit rows from the table"
    );
    // Joined by key, not by reading the register (a join on `id::text` read
    // every patient of the clinic).
    let read = patient_rows_read(&mut tx).await;
    assert!(read <= 20, "read {read} patient rows to show 10");
    // Planned once for the connection, not on every dashboard: with no
    // parameters PostgreSQL keeps one plan, where with the person as a
    // parameter it judged (on a busy clinic's statistics) that each call
    // deserved its own.
    let (parameters, custom): (Vec<String>, i64) = sqlx::query_as(
        "select parameter_types::text[], custom_plans from pg_prepared_statements
         where statement like '%audit_patient_id(''patient'', entity_id) as patient_id%'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!((parameters, custom), (Vec::<String>::new(), 0));
}

#[tokio::test]
async fn a_broad_name_search_pages_both_names_in_order_reading_only_the_page() {
    let t = common::test_db().await;
    let (riverside, _) = common::seed_demo_clinics(&t.owner_pool, 3000).await;
    let rv = desk(
        riverside,
        common::user_id(&t.owner_pool, "reception@riverside.example").await,
    );
    // 45 people called "Quo…", by family name, by given name or by both.
    let people: Vec<(String, String, String, String)> = (0..45)
        .map(|n| {
            let (given, family) = match n % 3 {
                0 => (format!("Quoin{}", letter(n)), format!("Abbot{}", letter(n))),
                1 => (format!("Ann{}", letter(n)), format!("Quorn{}", letter(n))),
                _ => (format!("Quill{}", letter(n)), format!("Quoll{}", letter(n))),
            };
            (
                format!("QQ-{n:04}"),
                given,
                family,
                format!("07700 91{n:04}"),
            )
        })
        .collect();
    let borrowed: Vec<_> = people
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    register(&t.pool, rv, &borrowed).await;
    sqlx::query("vacuum analyze patients")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let mut expected: Vec<_> = people
        .iter()
        .filter(|(_, g, f, _)| g.starts_with("Quo") || f.starts_with("Quo"))
        .map(|(n, g, f, _)| (f.to_lowercase(), g.to_lowercase(), n.clone()))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, _, n)| n).collect();
    assert_eq!(expected.len(), 45);

    let query = parse_patient_query("quo").unwrap();
    let mut shown = Vec::new();
    for page_no in 1..=3 {
        let mut tx = tenancy::begin_clinic(&t.pool, rv).await.unwrap();
        let page = patients::search(&mut tx, &query, PageRequest::new(page_no, 20))
            .await
            .unwrap();
        assert_eq!(page.total, 45, "page {page_no}");
        let read = patient_rows_read(&mut tx).await;
        // A page's worth of rows, not every match: the count and the order
        // come from the name indexes.
        assert!(
            read <= 20 + 5,
            "page {page_no}: read {read} patient rows to show {}",
            page.items.len()
        );
        shown.extend(page.items.into_iter().map(|p| p.patient_number));
    }
    assert_eq!(shown, expected);
}

/// Letters only, as the name fields accept.
fn letter(n: usize) -> String {
    let a = b'a' + (n / 26) as u8;
    let b = b'a' + (n % 26) as u8;
    String::from_utf8(vec![a, b]).unwrap()
}
