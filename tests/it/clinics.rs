//! Demo data and the clinic directory's SQL, through the functions the UI calls.

use crate::common;

use hms::domain::clinics::{ClinicSort, ClinicSortKey};
use hms::domain::paging::{PageRequest, SortDirection};
use hms::server::clinics;
use hms::server::db::seed;

#[tokio::test]
async fn demo_data_loads_both_clinics_with_realistic_patients() {
    let t = common::test_db().await;
    let report = seed::seed_demo(&t.owner_pool, 2_000).await.unwrap();
    assert_eq!(report.clinics, 2);
    assert_eq!(report.patients, 2_000);

    let per_clinic: Vec<(String, i64)> = sqlx::query_as(
        "select c.slug, count(p.id) from clinics c
         left join patients p on p.clinic_id = c.id and p.user_id is null
         group by c.slug order by c.slug",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        per_clinic,
        vec![
            ("hilltop".to_string(), 800),
            ("riverside".to_string(), 1_200)
        ]
    );
    let (distinct_names, adults, with_email): (i64, i64, i64) = sqlx::query_as(
        "select count(distinct (given_name, family_name)),
                count(*) filter (where date_of_birth < current_date - interval '18 years'),
                count(email)
         from patients",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(
        distinct_names > 500,
        "names too repetitive: {distinct_names}"
    );
    assert!((1_200..1_900).contains(&adults), "age mix off: {adults}");
    assert!(
        (1_000..1_500).contains(&with_email),
        "email share off: {with_email}"
    );

    // Seeding again adds patients with fresh numbers instead of clashing.
    let again = seed::seed_demo(&t.owner_pool, 10).await.unwrap();
    assert_eq!(again.patients, 10);
    let numbers: i64 = sqlx::query_scalar("select count(distinct patient_number) from patients")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    // 2,010 generated patients and the two demo patients linked to portal accounts.
    assert_eq!(numbers, 2_012);
}

#[tokio::test]
async fn seeding_if_empty_happens_once() {
    let t = common::test_db().await;
    assert!(
        seed::seed_if_empty(&t.owner_pool, 20)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        seed::seed_if_empty(&t.owner_pool, 20)
            .await
            .unwrap()
            .is_none()
    );
    assert!(seed::has_demo_clinics(&t.owner_pool).await.unwrap());
}

async fn add_clinics(pool: &sqlx::PgPool, n: usize) {
    for i in 0..n {
        sqlx::query("insert into clinics (slug, name, address, status) values ($1, $2, $3, $4)")
            .bind(format!("clinic-{i:02}"))
            .bind(format!("Clinic {i:02}"))
            .bind(format!("{} Long Road", 100 - i))
            .bind(if i == 7 { "suspended" } else { "active" })
            .execute(pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_directory_pages_sorts_and_hides_inactive_clinics() {
    let t = common::test_db().await;
    add_clinics(&t.owner_pool, 25).await;

    let first = clinics::list_active(
        &t.pool,
        None,
        ClinicSort::default(),
        PageRequest::new(1, 10),
    )
    .await
    .unwrap();
    assert_eq!(first.total, 24, "the suspended clinic is not listed");
    assert_eq!(first.items.len(), 10);
    assert_eq!(first.items[0].name, "Clinic 00");
    assert_eq!(first.total_pages(), 3);

    let last = clinics::list_active(
        &t.pool,
        None,
        ClinicSort::default(),
        PageRequest::new(3, 10),
    )
    .await
    .unwrap();
    assert_eq!(last.items.len(), 4);
    assert!(last.items.iter().all(|c| c.name != "Clinic 07"));

    let beyond = clinics::list_active(
        &t.pool,
        None,
        ClinicSort::default(),
        PageRequest::new(9, 10),
    )
    .await
    .unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(
        beyond.total, 24,
        "the total is still known past the last page"
    );

    let by_address_desc = ClinicSort {
        key: ClinicSortKey::Address,
        direction: SortDirection::Desc,
    };
    let page = clinics::list_active(&t.pool, None, by_address_desc, PageRequest::new(1, 3))
        .await
        .unwrap();
    let addresses: Vec<&str> = page.items.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(
        addresses,
        vec!["99 Long Road", "98 Long Road", "97 Long Road"]
    );
}

#[tokio::test]
async fn directory_search_matches_literally() {
    let t = common::test_db().await;
    add_clinics(&t.owner_pool, 3).await;
    sqlx::query("insert into clinics (slug, name) values ('pct', '100% Care')")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let found = |q: &'static str| {
        let pool = t.pool.clone();
        async move {
            clinics::list_active(
                &pool,
                Some(q),
                ClinicSort::default(),
                PageRequest::default(),
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("clinic 01").await, vec!["Clinic 01"]);
    assert_eq!(found("%").await, vec!["100% Care"]);
    assert_eq!(found("_").await, Vec::<String>::new());
    assert_eq!(found("long road").await.len(), 3);
}
