//! Patient counts kept by triggers (admin and platform dashboards) and the
//! capped totals of broad patient searches, against PostgreSQL.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

async fn counted(t: &common::TestDb, clinic: uuid::Uuid) -> (i64, i64) {
    sqlx::query_as(
        "select (select patients from clinic_patient_counts where clinic_id = $1),
                (select count(*) from patients where clinic_id = $1)",
    )
    .bind(clinic)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn counts_follow_bulk_inserts_deletes_and_moves_between_clinics() {
    let t = test_db().await;
    let (riverside, hilltop) = seed_demo_clinics(&t.owner_pool, 3000).await;
    let (kept, real) = counted(&t, riverside).await;
    assert_eq!(kept, real);
    assert!(real > 1000, "{real}");

    // Statement-level triggers: one statement touching many rows.
    let deleted = sqlx::query(
        "delete from patients where clinic_id = $1 and user_id is null
           and id in (select id from patients where clinic_id = $1 and user_id is null limit 25)",
    )
    .bind(riverside)
    .execute(&t.owner_pool)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(deleted, 25);
    assert_eq!(counted(&t, riverside).await, (real - 25, real - 25));

    let (hill_before, _) = counted(&t, hilltop).await;
    sqlx::query(
        "update patients set clinic_id = $2, patient_number = 'MOVED-' || patient_number
         where id in (select id from patients where clinic_id = $1 and user_id is null limit 10)",
    )
    .bind(riverside)
    .bind(hilltop)
    .execute(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(counted(&t, riverside).await, (real - 35, real - 35));
    let (hill_after, hill_real) = counted(&t, hilltop).await;
    assert_eq!(
        (hill_after, hill_real),
        (hill_before + 10, hill_before + 10)
    );
}

#[tokio::test]
async fn the_application_role_reads_its_clinic_count_and_cannot_write_any() {
    let t = test_db().await;
    let (riverside, _) = seed_demo_clinics(&t.owner_pool, 50).await;
    let mut tx = t.pool.begin().await.unwrap();
    // Without the tenant setting no clinic's count is visible.
    let visible: i64 = sqlx::query_scalar("select count(*) from clinic_patient_counts")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(visible, 0);
    sqlx::query("select set_config('hms.clinic_id', $1, true)")
        .bind(riverside.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let denied = sqlx::query("update clinic_patient_counts set patients = 0")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(denied.to_string().contains("permission denied"), "{denied}");
}

#[tokio::test]
async fn broad_searches_count_to_a_cap_and_say_so() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 6000).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    // No query lists the newest registrations, with the clinic's exact count.
    let registered: i64 = sqlx::query_scalar(
        "select count(*) from patients p join clinics c on c.id = p.clinic_id where c.slug = 'riverside'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(registered > 1000);
    let recent = desk
        .post("/fn/patients/search_patients", "slug=riverside&q=&page=1")
        .await;
    assert_eq!(recent.status, 200, "{}", recent.body);
    assert!(
        recent.body.contains(&format!("\"total\":{registered},"))
            && recent.body.contains("\"total_capped\":false"),
        "{}",
        recent.body
    );
    // A search matching thousands (every riverside number) counts to the cap.
    let broad = desk
        .post(
            "/fn/patients/search_patients",
            "slug=riverside&q=RGH-0&page=1",
        )
        .await;
    assert!(
        broad.body.contains("\"total\":1000") && broad.body.contains("\"total_capped\":true"),
        "{}",
        broad.body
    );
    // A page past the cap still comes back, counted through that page.
    let deep = desk
        .post(
            "/fn/patients/search_patients",
            "slug=riverside&q=RGH-0&page=60",
        )
        .await;
    assert!(deep.body.contains("\"total\":1200"), "{}", deep.body);
    assert!(deep.body.contains("\"page\":60"), "{}", deep.body);
    // A narrow search is counted exactly.
    let narrow = desk
        .post(
            "/fn/patients/search_patients",
            "slug=riverside&q=Oliver+Grant&page=1",
        )
        .await;
    assert!(
        narrow.body.contains("\"total_capped\":false"),
        "{}",
        narrow.body
    );
}
