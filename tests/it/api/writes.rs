//! Writing through the API: registering, changing a record, checking in,
//! moving a visit and recording vital signs, each by the pages' rules; safe
//! to retry with `Idempotency-Key`, refused on a lost update (412), and
//! writing nothing when refused.

use serde_json::{Value, json};

use super::{call, error_of, json as body_of, tokens_for};
use crate::common::{self, TestDb, count};

const PATIENTS: &str = "/api/v1/clinics/riverside/patients";
const VISITS: &str = "/api/v1/clinics/riverside/visits";

async fn setup() -> (TestDb, axum::Router) {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app(t.pool.clone());
    (t, app)
}

fn new_patient() -> Value {
    json!({
        "given_name": "Kavya", "family_name": "Iyer", "date_of_birth": "1988-02-03",
        "sex": "female", "phone": "+91 90000 22222", "city": "Bengaluru"
    })
}

async fn patients(t: &TestDb) -> i64 {
    count(t, "select count(*) from patients").await
}

async fn writes(t: &TestDb) -> i64 {
    count(
        t,
        "select count(*) from audit_events where action in ('CREATE', 'UPDATE')",
    )
    .await
}

#[tokio::test]
async fn a_registration_sent_twice_with_one_key_registers_once() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let before = patients(&t).await;
    let key = [("idempotency-key", "tablet-7-req-0001")];
    let first = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let made = body_of(&first);
    let id = made["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        first.header("location"),
        format!("/api/v1/clinics/riverside/patients/{id}")
    );
    assert!(!first.header("etag").is_empty());
    assert!(first.headers.get("idempotent-replayed").is_none());
    // The same request again (the answer was lost on the way): the same
    // patient, registered once.
    let mut reordered = new_patient();
    reordered["city"] = json!("Bengaluru");
    let again = call(&app, "POST", PATIENTS, &token, Some(&reordered), &key).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(body_of(&again)["data"]["id"], id.as_str());
    assert_eq!(patients(&t).await, before + 1);
    // The key for something else: refused, nothing written.
    let mut other = new_patient();
    other["given_name"] = json!("Meera");
    let res = call(&app, "POST", PATIENTS, &token, Some(&other), &key).await;
    let body = error_of(&res, 422);
    assert!(body["errors"]["Idempotency-Key"].is_array(), "{body}");
    assert_eq!(patients(&t).await, before + 1);
    // Another caller's key of the same name (in their clinic) is theirs alone.
    let (other_token, _) = tokens_for(&app, "reception@hilltop.example").await;
    let res = call(
        &app,
        "POST",
        "/api/v1/clinics/hilltop/patients",
        &other_token,
        Some(&other),
        &key,
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_ne!(body_of(&res)["data"]["id"], id.as_str());
    assert!(res.headers.get("idempotent-replayed").is_none());
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where action = 'CREATE' and entity_id = '{id}'"
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn two_requests_racing_with_one_key_register_once() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let before = patients(&t).await;
    let key = [("idempotency-key", "0190f2a4-7c1e-7b3a-9d2e-5f6a7b8c9d0e")];
    let body = new_patient();
    let (a, b) = tokio::join!(
        call(&app, "POST", PATIENTS, &token, Some(&body), &key),
        call(&app, "POST", PATIENTS, &token, Some(&body), &key),
    );
    assert_eq!((a.status, b.status), (201, 201), "{} / {}", a.body, b.body);
    assert_eq!(body_of(&a)["data"]["id"], body_of(&b)["data"]["id"]);
    assert_eq!(patients(&t).await, before + 1);
}

#[tokio::test]
async fn bad_keys_and_bad_bodies_write_nothing() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let (before, events) = (patients(&t).await, writes(&t).await);
    let long = "k".repeat(256);
    for key in [long.as_str(), "two words", ""] {
        let res = call(
            &app,
            "POST",
            PATIENTS,
            &token,
            Some(&new_patient()),
            &[("idempotency-key", key)],
        )
        .await;
        let body = error_of(&res, 422);
        assert!(
            body["errors"]["Idempotency-Key"].is_array(),
            "{key}: {body}"
        );
    }
    let mut unknown = new_patient();
    unknown["nickname"] = json!("K");
    let res = call(&app, "POST", PATIENTS, &token, Some(&unknown), &[]).await;
    error_of(&res, 422);
    let mut wrong_type = new_patient();
    wrong_type["phone"] = json!(9000022222u64);
    error_of(
        &call(&app, "POST", PATIENTS, &token, Some(&wrong_type), &[]).await,
        422,
    );
    let mut invalid = new_patient();
    invalid["date_of_birth"] = json!("2999-01-01");
    invalid["sex"] = json!("x");
    let body = error_of(
        &call(&app, "POST", PATIENTS, &token, Some(&invalid), &[]).await,
        422,
    );
    assert!(body["errors"]["date_of_birth"].is_array(), "{body}");
    assert!(body["errors"]["sex"].is_array(), "{body}");
    let res = common::send(
        &app,
        axum::http::Request::post(PATIENTS)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{\"given_name\": "))
            .unwrap(),
    )
    .await;
    error_of(&res, 400);
    let res = common::send(
        &app,
        axum::http::Request::post(PATIENTS)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/plain")
            .body(axum::body::Body::from(new_patient().to_string()))
            .unwrap(),
    )
    .await;
    error_of(&res, 415);
    let mut huge = new_patient();
    huge["address"] = json!("x".repeat(2 * 1024 * 1024));
    error_of(
        &call(&app, "POST", PATIENTS, &token, Some(&huge), &[]).await,
        413,
    );
    assert_eq!(patients(&t).await, before);
    assert_eq!(writes(&t).await, events);
}

#[tokio::test]
async fn a_possible_duplicate_is_registered_only_with_a_reason() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let first = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &[]).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let first_id = body_of(&first)["data"]["id"].as_str().unwrap().to_owned();
    let before = patients(&t).await;
    let mut sibling = new_patient();
    sibling["given_name"] = json!("Ravi");
    sibling["sex"] = json!("male");
    let res = call(&app, "POST", PATIENTS, &token, Some(&sibling), &[]).await;
    let body = error_of(&res, 409);
    let shown = body["errors"]["possible_duplicates"][0].as_str().unwrap();
    assert!(shown.starts_with(&first_id), "{body}");
    assert!(shown.contains("Same phone number"), "{body}");
    assert_eq!(patients(&t).await, before);
    sibling["register_despite_duplicates"] = json!("x");
    let body = error_of(
        &call(&app, "POST", PATIENTS, &token, Some(&sibling), &[]).await,
        422,
    );
    assert!(
        body["errors"]["register_despite_duplicates"].is_array(),
        "{body}"
    );
    sibling["register_despite_duplicates"] = json!("Her brother; they share a phone.");
    let res = call(&app, "POST", PATIENTS, &token, Some(&sibling), &[]).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = body_of(&res)["data"]["id"].as_str().unwrap().to_owned();
    let reason: String = sqlx::query_scalar(
        "select after_value->'registered_despite_duplicates'->>'reason' from audit_events
         where action = 'CREATE' and entity_id = $1",
    )
    .bind(&id)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(reason, "Her brother; they share a phone.");
}

#[tokio::test]
async fn a_change_needs_the_current_etag_and_a_stale_one_saves_nothing() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let made = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &[]).await;
    let id = body_of(&made)["data"]["id"].as_str().unwrap().to_owned();
    let record = format!("{PATIENTS}/{id}");
    let read = call(&app, "GET", &record, &token, None, &[]).await;
    let etag = read.header("etag").to_owned();
    assert_eq!(etag, made.header("etag"));
    let change = json!({ "city": "Mysuru", "blood_group": "O+" });
    // No If-Match: 428.
    error_of(
        &call(&app, "PATCH", &record, &token, Some(&change), &[]).await,
        428,
    );
    for bad in ["*", "W/\"1\"", "nonsense"] {
        error_of(
            &call(
                &app,
                "PATCH",
                &record,
                &token,
                Some(&change),
                &[("if-match", bad)],
            )
            .await,
            412,
        );
    }
    let events = writes(&t).await;
    let saved = call(
        &app,
        "PATCH",
        &record,
        &token,
        Some(&change),
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let now = body_of(&saved);
    assert_eq!(now["data"]["city"], "Mysuru");
    assert_eq!(now["data"]["blood_group"], "O+");
    // Fields not sent are kept.
    assert_eq!(now["data"]["given_name"], "Kavya");
    let new_etag = saved.header("etag").to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(writes(&t).await, events + 1);
    // A second tablet still holding the first version: 412, nothing saved.
    let stale = json!({ "city": "Hubballi" });
    let res = call(
        &app,
        "PATCH",
        &record,
        &token,
        Some(&stale),
        &[("if-match", &etag)],
    )
    .await;
    error_of(&res, 412);
    let read = call(&app, "GET", &record, &token, None, &[]).await;
    assert_eq!(body_of(&read)["data"]["city"], "Mysuru");
    assert_eq!(read.header("etag"), new_etag);
    // Invalid fields, or a registration's field: 422, nothing saved.
    for body in [
        json!({ "date_of_birth": "yesterday" }),
        json!({ "register_despite_duplicates": "because" }),
        json!({ "city": 7 }),
    ] {
        error_of(
            &call(
                &app,
                "PATCH",
                &record,
                &token,
                Some(&body),
                &[("if-match", &new_etag)],
            )
            .await,
            422,
        );
    }
    assert_eq!(writes(&t).await, events + 1);
}

async fn first_department(t: &TestDb) -> String {
    sqlx::query_scalar(
        "select d.id::text from departments d join clinics c on c.id = d.clinic_id
         where c.slug = 'riverside' order by d.name limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn check_in_is_safe_to_retry_and_the_visit_moves_by_the_rules() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let made = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &[]).await;
    let patient = body_of(&made)["data"]["id"].as_str().unwrap().to_owned();
    let department = first_department(&t).await;
    let visit = json!({ "patient": patient, "department": department, "reason": "Fever" });
    let key = [("idempotency-key", "check-in-1")];
    let first = call(&app, "POST", VISITS, &token, Some(&visit), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let slip = body_of(&first);
    let id = slip["data"]["visit_id"].as_str().unwrap().to_owned();
    assert_eq!(slip["data"]["status"], "waiting");
    let again = call(&app, "POST", VISITS, &token, Some(&visit), &key).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(body_of(&again)["data"]["visit_id"], id.as_str());
    assert_eq!(body_of(&again)["data"]["token"], slip["data"]["token"]);
    let visits = count(
        &t,
        &format!("select count(*) from patient_visits where patient_id = '{patient}'"),
    )
    .await;
    assert_eq!(visits, 1);
    // Without the key it is a second check-in: refused by field.
    let body = error_of(
        &call(&app, "POST", VISITS, &token, Some(&visit), &[]).await,
        422,
    );
    assert!(body["errors"]["department"].is_array(), "{body}");
    // The queue shows it, filtered by department.
    let res = call(
        &app,
        "GET",
        &format!("{VISITS}?department={department}&showing=all&per_page=100"),
        &token,
        None,
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let queue = body_of(&res);
    assert!(
        queue["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["visit_id"] == id.as_str()),
        "{queue}"
    );
    for query in [
        "showing=some",
        "department=nope",
        "awaiting_vitals=maybe",
        "x=1",
    ] {
        error_of(
            &call(&app, "GET", &format!("{VISITS}?{query}"), &token, None, &[]).await,
            400,
        );
    }
    // The front desk's moves only; then only those the state allows.
    let moves = format!("{VISITS}/{id}/transitions");
    let res = call(
        &app,
        "POST",
        &moves,
        &token,
        Some(&json!({ "to": "completed" })),
        &[],
    )
    .await;
    error_of(&res, 403);
    let res = call(
        &app,
        "POST",
        &moves,
        &token,
        Some(&json!({ "to": "waiting" })),
        &[],
    )
    .await;
    error_of(&res, 422);
    let res = call(
        &app,
        "POST",
        &moves,
        &token,
        Some(&json!({ "to": "cancelled" })),
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let moved = body_of(&res);
    assert_eq!(moved["data"]["from"], "waiting");
    assert_eq!(moved["data"]["to"], "cancelled");
    let res = call(
        &app,
        "POST",
        &moves,
        &token,
        Some(&json!({ "to": "left_without_being_seen" })),
        &[],
    )
    .await;
    let body = error_of(&res, 422);
    assert!(body["errors"]["to"].is_array(), "{body}");
    let read = call(&app, "GET", &format!("{VISITS}/{id}"), &token, None, &[]).await;
    assert_eq!(body_of(&read)["data"]["status"], "cancelled");
}

#[tokio::test]
async fn a_doctor_calls_the_next_patient_and_sees_only_their_queue() {
    let (t, app) = setup().await;
    let (desk, _) = tokens_for(&app, "reception@riverside.example").await;
    let (doctor, _) = tokens_for(&app, "doctor@riverside.example").await;
    let (department, department_name): (String, String) = sqlx::query_as(
        "select d.id::text, d.name from memberships m join users u on u.id = m.user_id
         join departments d on d.id = m.department_id
         where u.email = 'doctor@riverside.example' and m.role = 'doctor'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    // A visit in another department, which the doctor's queue leaves out.
    let other = sqlx::query_scalar::<_, String>(
        "select d.id::text from departments d join clinics c on c.id = d.clinic_id
         where c.slug = 'riverside' and d.id::text <> $1 limit 1",
    )
    .bind(&department)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let mut elsewhere = new_patient();
    elsewhere["phone"] = json!("+91 90000 55555");
    elsewhere["given_name"] = json!("Nila");
    let res = call(&app, "POST", PATIENTS, &desk, Some(&elsewhere), &[]).await;
    let elsewhere = body_of(&res)["data"]["id"].as_str().unwrap().to_owned();
    let res = call(
        &app,
        "POST",
        VISITS,
        &desk,
        Some(&json!({ "patient": elsewhere, "department": other })),
        &[],
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let made = call(&app, "POST", PATIENTS, &desk, Some(&new_patient()), &[]).await;
    let patient = body_of(&made)["data"]["id"].as_str().unwrap().to_owned();
    let visit = json!({ "patient": patient, "department": department, "priority": "urgent" });
    let res = call(&app, "POST", VISITS, &desk, Some(&visit), &[]).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = call(&app, "GET", VISITS, &doctor, None, &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let queue = body_of(&res);
    let entries = queue["data"].as_array().unwrap();
    assert!(!entries.is_empty(), "{queue}");
    assert!(
        entries
            .iter()
            .all(|v| v["department"] == department_name.as_str()),
        "{queue}"
    );
    assert!(
        entries
            .iter()
            .all(|v| v["patient_id"] != elsewhere.as_str()),
        "{queue}"
    );
    let res = call(
        &app,
        "GET",
        &format!("{VISITS}?department={other}"),
        &doctor,
        None,
        &[],
    )
    .await;
    assert_eq!(body_of(&res)["meta"]["total"], 0, "{}", res.body);
    let res = call(
        &app,
        "POST",
        &format!("{VISITS}/call-next"),
        &doctor,
        None,
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let called = body_of(&res);
    let id = called["data"]["visit_id"].as_str().unwrap().to_owned();
    let moves = format!("{VISITS}/{id}/transitions");
    for to in ["in_consultation", "completed"] {
        let res = call(
            &app,
            "POST",
            &moves,
            &doctor,
            Some(&json!({ "to": to })),
            &[],
        )
        .await;
        assert_eq!(res.status, 200, "{to}: {}", res.body);
    }
}

#[tokio::test]
async fn vital_signs_are_recorded_once_and_read_with_one_view_event() {
    let (t, app) = setup().await;
    let (desk, _) = tokens_for(&app, "reception@riverside.example").await;
    let (nurse, _) = tokens_for(&app, "nurse@riverside.example").await;
    let (doctor, _) = tokens_for(&app, "doctor@riverside.example").await;
    let made = call(&app, "POST", PATIENTS, &desk, Some(&new_patient()), &[]).await;
    let patient = body_of(&made)["data"]["id"].as_str().unwrap().to_owned();
    let department = first_department(&t).await;
    let res = call(
        &app,
        "POST",
        VISITS,
        &desk,
        Some(&json!({ "patient": patient, "department": department })),
        &[],
    )
    .await;
    let visit = body_of(&res)["data"]["visit_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let vitals = format!("{PATIENTS}/{patient}/vitals");
    let set = json!({ "visit_id": visit, "systolic": 150, "diastolic": 95, "temperature": 38.4 });
    let key = [("idempotency-key", "triage-1")];
    let first = call(&app, "POST", &vitals, &nurse, Some(&set), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let recorded = body_of(&first);
    assert_eq!(recorded["data"]["visit_id"], visit.as_str());
    assert_eq!(recorded["data"]["vitals"]["temperature"], 38.4);
    let again = call(&app, "POST", &vitals, &nurse, Some(&set), &key).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(body_of(&again)["data"]["id"], recorded["data"]["id"]);
    let sets = || count(&t, "select count(*) from vital_signs");
    assert_eq!(sets().await, 1);
    // Impossible values, nothing measured, another patient's visit.
    let before = sets().await;
    for (body, status) in [
        (json!({ "systolic": 400, "diastolic": 95 }), 422),
        (json!({ "systolic": 120 }), 422),
        (json!({}), 422),
        (json!({ "heart_rate": "fast" }), 422),
        (json!({ "heart_rate": 70, "visit_id": "nope" }), 422),
    ] {
        error_of(
            &call(&app, "POST", &vitals, &nurse, Some(&body), &[]).await,
            status,
        );
    }
    let stranger = {
        let mut p = new_patient();
        p["phone"] = json!("+91 90000 44444");
        p["given_name"] = json!("Arjun");
        let res = call(&app, "POST", PATIENTS, &desk, Some(&p), &[]).await;
        body_of(&res)["data"]["id"].as_str().unwrap().to_owned()
    };
    let res = call(
        &app,
        "POST",
        &format!("{PATIENTS}/{stranger}/vitals"),
        &nurse,
        Some(&json!({ "heart_rate": 70, "visit_id": visit })),
        &[],
    )
    .await;
    error_of(&res, 404);
    assert_eq!(sets().await, before);
    // Without a visit: the patient's own.
    let res = call(
        &app,
        "POST",
        &vitals,
        &nurse,
        Some(&json!({ "weight": 61.5 })),
        &[],
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert!(body_of(&res)["data"]["visit_id"].is_null());
    let viewed = format!(
        "select count(*) from audit_events where action = 'VIEW' and entity_id = '{patient}'"
    );
    let views = || count(&t, &viewed);
    let seen = views().await;
    let res = call(
        &app,
        "GET",
        &format!("{vitals}?per_page=1"),
        &doctor,
        None,
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page = body_of(&res);
    assert_eq!(page["meta"]["total"], 2);
    assert_eq!(page["meta"]["total_pages"], 2);
    assert_eq!(page["data"][0]["vitals"]["weight"], 61.5);
    assert_eq!(views().await, seen + 1);
    error_of(
        &call(&app, "GET", &format!("{vitals}?page=0"), &doctor, None, &[]).await,
        422,
    );
}

#[tokio::test]
async fn a_key_is_kept_a_day_and_then_forgotten() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let key = [("idempotency-key", "yesterdays-key")];
    let res = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &key).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let first = body_of(&res)["data"]["id"].as_str().unwrap().to_owned();
    sqlx::query("update api_idempotency_keys set created_at = now() - interval '25 hours'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    // A day on, the key names a new request.
    let mut other = new_patient();
    other["given_name"] = json!("Meera");
    other["phone"] = json!("+91 90000 66666");
    let res = call(&app, "POST", PATIENTS, &token, Some(&other), &key).await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_ne!(body_of(&res)["data"]["id"], first.as_str());
    // The cleanup job removes keys past their day.
    sqlx::query("update api_idempotency_keys set created_at = now() - interval '25 hours'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    hms::server::auth::sessions::delete_expired(&t.pool, &common::scope_token())
        .await
        .unwrap();
    assert_eq!(
        count(&t, "select count(*) from api_idempotency_keys").await,
        0
    );
}

/// A call names no role: a person who is both the front desk and a nurse
/// in one clinic registers as the front desk and takes vital signs as a
/// nurse with one token, each audited under the role that made it.
#[tokio::test]
async fn a_person_with_two_roles_makes_each_call_in_the_role_that_may() {
    let (t, app) = setup().await;
    sqlx::query(
        "insert into memberships (clinic_id, user_id, role)
         select m.clinic_id, m.user_id, 'receptionist' from memberships m
         join users u on u.id = m.user_id join clinics c on c.id = m.clinic_id
         where u.email = 'nurse@riverside.example' and c.slug = 'riverside' and m.role = 'nurse'",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let (token, _) = tokens_for(&app, "nurse@riverside.example").await;
    let made = call(&app, "POST", PATIENTS, &token, Some(&new_patient()), &[]).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let patient = body_of(&made)["data"]["id"].as_str().unwrap().to_owned();
    let vitals = format!("{PATIENTS}/{patient}/vitals");
    let res = call(
        &app,
        "POST",
        &vitals,
        &token,
        Some(&json!({ "heart_rate": 72 })),
        &[],
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let roles: Vec<(String, String)> = sqlx::query_as(
        "select entity_type, actor_role from audit_events
         where action = 'CREATE' and entity_type in ('patient', 'vital_signs')
         order by occurred_at",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        roles,
        [
            ("patient".to_owned(), "receptionist".to_owned()),
            ("vital_signs".to_owned(), "nurse".to_owned())
        ]
    );
    // A call neither role may make is still refused.
    let res = super::get_as(&app, "/api/v1/clinics/riverside/audit-events", &token).await;
    error_of(&res, 403);
}
