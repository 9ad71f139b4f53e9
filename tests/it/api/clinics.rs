//! The clinic's resources through the API: each role gets what its pages
//! would show it, another clinic gets nothing, and reading a record is
//! audited as opening it on its page is.

use serde_json::Value;

use super::{PASSWORD, error_of, get_as, json, post_json, tokens_for};
use crate::common::{self, TestDb, count};

/// Signs in through the API with the second factor the demo admins have.
pub async fn admin_token(app: &axum::Router, email: &str) -> String {
    use hms::server::two_factor::totp;
    let code = totp::code_for_step(
        common::ADMIN_TOTP_SECRET,
        totp::step_at(chrono::Utc::now().timestamp()),
    );
    let res = post_json(
        app,
        "/api/v1/auth/token",
        &serde_json::json!({ "email": email, "password": PASSWORD, "totp_code": code }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    json(&res)["access_token"].as_str().unwrap().to_owned()
}

async fn setup() -> (TestDb, axum::Router) {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app(t.pool.clone());
    (t, app)
}

async fn first_patient(t: &TestDb, slug: &str) -> (String, String) {
    sqlx::query_as(
        "select p.id::text, p.patient_number from patients p join clinics c on c.id = p.clinic_id
         where c.slug = $1 and p.user_id is null order by p.patient_number limit 1",
    )
    .bind(slug)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_role_reads_what_its_pages_show_and_nothing_more() {
    let (t, app) = setup().await;
    let (id, number) = first_patient(&t, "riverside").await;
    let record = format!("/api/v1/clinics/riverside/patients/{id}");
    let reads = [
        "/api/v1/clinics/riverside/patients".to_owned(),
        record.clone(),
        "/api/v1/clinics/riverside/departments".to_owned(),
    ];
    for email in [
        "doctor@riverside.example",
        "nurse@riverside.example",
        "reception@riverside.example",
    ] {
        let (token, _) = tokens_for(&app, email).await;
        for uri in &reads {
            let res = get_as(&app, uri, &token).await;
            assert_eq!(res.status, 200, "{email} {uri}: {}", res.body);
        }
    }
    let admin = admin_token(&app, "admin@riverside.example").await;
    for uri in &reads {
        assert_eq!(get_as(&app, uri, &admin).await.status, 200, "admin {uri}");
    }
    for email in ["lab@riverside.example", "patient@riverside.example"] {
        let (token, _) = tokens_for(&app, email).await;
        for uri in &reads {
            let res = get_as(&app, uri, &token).await;
            let body = error_of(&res, 403);
            assert!(!res.body.contains(&number), "{email} {uri}: {body}");
        }
    }
    // Refusals are audited, as the pages' are.
    assert!(
        count(
            &t,
            "select count(*) from audit_events where action = 'ACCESS_DENIED'"
        )
        .await
            >= 6
    );
}

#[tokio::test]
async fn another_clinics_slug_or_ids_find_nothing() {
    let (t, app) = setup().await;
    let (hilltop_id, hilltop_number) = first_patient(&t, "hilltop").await;
    let (token, _) = tokens_for(&app, "doctor@riverside.example").await;
    for uri in [
        "/api/v1/clinics/hilltop/patients".to_owned(),
        format!("/api/v1/clinics/hilltop/patients/{hilltop_id}"),
        "/api/v1/clinics/hilltop/departments".to_owned(),
        format!("/api/v1/clinics/riverside/patients/{hilltop_id}"),
        format!("/api/v1/clinics/riverside/patients?q={hilltop_number}"),
        "/api/v1/clinics/no-such-clinic/patients".to_owned(),
        "/api/v1/clinics/riverside/patients/not-a-uuid".to_owned(),
    ] {
        let res = get_as(&app, &uri, &token).await;
        assert!(!res.body.contains(&hilltop_number), "{uri}: {}", res.body);
        if !uri.contains("?q=") {
            error_of(&res, 404);
        } else {
            assert_eq!(json(&res)["meta"]["total"], 0, "{uri}");
        }
    }
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'VIEW' and entity_type = 'patient'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_record_read_is_one_view_event_and_search_pages_are_bounded() {
    let (t, app) = setup().await;
    let (id, number) = first_patient(&t, "riverside").await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let res = get_as(
        &app,
        &format!("/api/v1/clinics/riverside/patients/{id}"),
        &token,
    )
    .await;
    let record = json(&res);
    assert_eq!(record["data"]["patient_number"], number.as_str());
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where action = 'VIEW' and entity_id = '{id}'"
            )
        )
        .await,
        1
    );

    let res = get_as(
        &app,
        "/api/v1/clinics/riverside/patients?per_page=3&page=2",
        &token,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let list = json(&res);
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
    assert_eq!(list["meta"]["page"], 2);
    assert_eq!(list["meta"]["per_page"], 3);
    let registered = count(
        &t,
        "select count(*) from patients p join clinics c on c.id = p.clinic_id where c.slug = 'riverside'",
    )
    .await;
    assert_eq!(list["meta"]["total"], registered);
    assert_eq!(list["meta"]["total_pages"], (registered + 2) / 3);
    assert_eq!(list["meta"]["total_capped"], false);
    let by_number = get_as(
        &app,
        &format!("/api/v1/clinics/riverside/patients?q={number}"),
        &token,
    )
    .await;
    let found: Vec<Value> = json(&by_number)["data"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], id.as_str());

    for (query, status, field) in [
        ("page=0", 422, "page"),
        ("per_page=101", 422, "per_page"),
        ("per_page=0", 422, "per_page"),
        ("page=abc", 400, ""),
        ("page=-1", 400, ""),
        ("sort=name", 400, ""),
        (&*format!("q={}", "x".repeat(500)), 422, "q"),
    ] {
        let res = get_as(
            &app,
            &format!("/api/v1/clinics/riverside/patients?{query}"),
            &token,
        )
        .await;
        let body = error_of(&res, status);
        if !field.is_empty() {
            assert!(body["errors"][field].is_array(), "{query}: {body}");
        }
    }
}
