//! Appointments through the API: free times, booking (once per key; a
//! time taken answered 409 with the next free ones), reading, moving,
//! cancelling and checking in, follow-ups and a doctor's schedule, each by
//! the booking pages' rules, and writing nothing when refused.

use serde_json::{Value, json};

use super::{call, error_of, get_as, json as body_of, tokens_for};
use crate::appointments::{department, loaded, next_weekday, patients};
use crate::common::{self, TestDb, count};

const APPOINTMENTS: &str = "/api/v1/clinics/riverside/appointments";

async fn setup() -> (TestDb, axum::Router) {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app(t.pool.clone());
    (t, app)
}

async fn appointments(t: &TestDb) -> i64 {
    count(t, "select count(*) from appointments").await
}

/// The General Medicine doctor's free times on the next weekday.
async fn free_times(t: &TestDb, app: &axum::Router, token: &str) -> (String, String, Vec<Value>) {
    let general = department(t, "riverside", "GEN").await.to_string();
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example")
        .await
        .to_string();
    let day = next_weekday(t).await;
    let res = get_as(
        app,
        &format!("/api/v1/clinics/riverside/slots?department={general}&doctor={doctor}&day={day}"),
        token,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let slots = body_of(&res)["data"].as_array().unwrap().clone();
    assert!(slots.len() > 4, "{slots:?}");
    assert!(
        slots
            .iter()
            .all(|s| s["starts"]["zone"] == "Europe/London" && s["free_doctors"] == 1)
    );
    (general, doctor, slots)
}

#[tokio::test]
async fn the_desk_books_a_free_time_once_and_the_next_booking_of_it_is_a_409() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let (general, doctor, slots) = free_times(&t, &app, &token).await;
    let people = patients(&t, "riverside", 2).await;
    let starts = slots[0]["starts"]["utc"].as_str().unwrap().to_owned();
    let before = appointments(&t).await;
    let booking = json!({
        "patient": people[0], "department": general, "doctor": doctor,
        "starts_at": starts, "reason": "Blood pressure review"
    });
    let key = [("idempotency-key", "kiosk-3-booking-1")];
    let first = call(&app, "POST", APPOINTMENTS, &token, Some(&booking), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let made = body_of(&first)["data"].clone();
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(first.header("location"), format!("{APPOINTMENTS}/{id}"));
    assert_eq!(made["status"], "booked");
    assert_eq!(made["appointment_type"], "routine");
    assert_eq!(made["doctor_user_id"], doctor.as_str());
    assert_eq!(
        made["starts"]["utc"]
            .as_str()
            .map(|s| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap()),
        Some(starts.parse().unwrap())
    );
    // Sent again (the answer was lost): the same appointment, booked once.
    let again = call(&app, "POST", APPOINTMENTS, &token, Some(&booking), &key).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(body_of(&again)["data"]["id"], id.as_str());
    assert_eq!(appointments(&t).await, before + 1);
    // Another patient at that time with that doctor: 409, the next free
    // times named, nothing written.
    let mut other = booking.clone();
    other["patient"] = json!(people[1]);
    let res = call(&app, "POST", APPOINTMENTS, &token, Some(&other), &[]).await;
    let body = error_of(&res, 409);
    let said = body["errors"]["starts_at"][0].as_str().unwrap();
    assert!(
        said.starts_with("That time was just taken. Next free:"),
        "{said}"
    );
    assert_eq!(appointments(&t).await, before + 1);
    // The time is no longer offered.
    let (_, _, now_free) = free_times(&t, &app, &token).await;
    assert!(
        now_free
            .iter()
            .all(|s| s["starts"]["utc"] != slots[0]["starts"]["utc"])
    );

    // The day lists it; reading it is one VIEW of the patient.
    let day = next_weekday(&t).await;
    let res = get_as(
        &app,
        &format!("{APPOINTMENTS}?day={day}&doctor={doctor}"),
        &token,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let listed = body_of(&res);
    assert!(
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id.as_str())
    );
    assert!(listed["meta"]["total"].as_u64().unwrap() >= 1);
    let views = "select count(*) from audit_events where action = 'VIEW'";
    let viewed = count(&t, views).await;
    let res = get_as(&app, &format!("{APPOINTMENTS}/{id}"), &token).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(body_of(&res)["data"]["patient_id"], json!(people[0]));
    assert_eq!(count(&t, views).await, viewed + 1);

    // Moved to the next free time, in one step; then cancelled, once.
    let later = slots[1]["starts"]["utc"].as_str().unwrap();
    let res = call(
        &app,
        "POST",
        &format!("{APPOINTMENTS}/{id}/reschedule"),
        &token,
        Some(&json!({ "starts_at": later })),
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        body_of(&res)["data"]["starts"]["utc"],
        slots[1]["starts"]["utc"]
    );
    let cancel = format!("{APPOINTMENTS}/{id}/cancel");
    let res = call(
        &app,
        "POST",
        &cancel,
        &token,
        Some(&json!({ "reason": "  " })),
        &[],
    )
    .await;
    assert!(error_of(&res, 422)["errors"]["reason"].is_array());
    let reason = json!({ "reason": "The patient is travelling" });
    let res = call(&app, "POST", &cancel, &token, Some(&reason), &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let cancelled = body_of(&res)["data"].clone();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "The patient is travelling");
    let res = call(&app, "POST", &cancel, &token, Some(&reason), &[]).await;
    assert!(error_of(&res, 422)["errors"]["status"].is_array());
    // Each change was audited and the patient was written to each time.
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where entity_id = '{id}'
                 and action in ('CREATE', 'UPDATE')"
            )
        )
        .await,
        3
    );
}

#[tokio::test]
async fn a_patient_is_checked_in_from_todays_appointment_once() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let p = patients(&t, "riverside", 1).await[0];
    let today = loaded(&t, &[(p, 0)], "follow_up", "Review of cough").await[0];
    let uri = format!("{APPOINTMENTS}/{today}/check-in");
    let res = call(&app, "POST", &uri, &token, None, &[]).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let slip = body_of(&res)["data"].clone();
    assert!(slip["token"].as_i64().unwrap() >= 1, "{slip}");
    assert!(
        res.header("location")
            .starts_with("/api/v1/clinics/riverside/visits/")
    );
    let (status, visit_type): (String, String) = sqlx::query_as(
        "select a.status, v.visit_type from appointments a join patient_visits v on v.id = a.visit_id
         where a.id = $1",
    )
    .bind(today)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), visit_type.as_str()),
        ("checked_in", "follow_up")
    );
    let visits = count(&t, "select count(*) from patient_visits").await;
    let res = call(&app, "POST", &uri, &token, None, &[]).await;
    assert!(error_of(&res, 422)["errors"]["status"].is_array());
    assert_eq!(
        count(&t, "select count(*) from patient_visits").await,
        visits
    );
    // Not today's: refused by its state, nothing written.
    let tomorrow = loaded(&t, &[(p, 3 * 24 * 60)], "routine", "").await[0];
    let res = call(
        &app,
        "POST",
        &format!("{APPOINTMENTS}/{tomorrow}/check-in"),
        &token,
        None,
        &[],
    )
    .await;
    let body = error_of(&res, 422);
    assert!(
        body["errors"]["status"][0]
            .as_str()
            .unwrap()
            .contains("not today"),
        "{body}"
    );
    assert_eq!(
        count(&t, "select count(*) from patient_visits").await,
        visits
    );
}

#[tokio::test]
async fn bad_bookings_are_refused_by_field_or_status_and_write_nothing() {
    let (t, app) = setup().await;
    let (token, _) = tokens_for(&app, "reception@riverside.example").await;
    let (general, doctor, slots) = free_times(&t, &app, &token).await;
    let p = patients(&t, "riverside", 1).await[0];
    let hilltop_patient = patients(&t, "hilltop", 1).await[0];
    let starts = slots[0]["starts"]["utc"].clone();
    let good = json!({
        "patient": p, "department": general, "doctor": doctor, "starts_at": starts
    });
    let before = appointments(&t).await;
    // Sign-ins (the nurse's below) aside.
    let written = "select count(*) from audit_events where action <> 'LOGIN'";
    let events = count(&t, written).await;
    let with = |field: &str, value: Value| {
        let mut b = good.clone();
        b[field] = value;
        b
    };
    for (body, field) in [
        (with("starts_at", json!("next tuesday")), "starts_at"),
        (
            with("starts_at", json!("2026-13-40T09:00:00Z")),
            "starts_at",
        ),
        (with("patient", json!("not-an-id")), "patient"),
        (with("department", json!("")), "department"),
        (with("doctor", json!("someone")), "doctor"),
        (
            with("appointment_type", json!("urgent")),
            "appointment_type",
        ),
        (with("reason", json!("x".repeat(501))), "reason"),
        (with("follow_up", json!("nope")), "follow_up"),
    ] {
        let res = call(&app, "POST", APPOINTMENTS, &token, Some(&body), &[]).await;
        let answer = error_of(&res, 422);
        assert!(answer["errors"][field].is_array(), "{field}: {answer}");
    }
    // A time the doctor does not offer (a Sunday night, years ahead):
    // their next free times instead.
    let res = call(
        &app,
        "POST",
        APPOINTMENTS,
        &token,
        Some(&with("starts_at", json!("2030-01-06T23:00:00Z"))),
        &[],
    )
    .await;
    assert!(error_of(&res, 409)["errors"]["starts_at"].is_array());
    // Unknown or missing fields, and another clinic's patient.
    let res = call(
        &app,
        "POST",
        APPOINTMENTS,
        &token,
        Some(&with("room", json!("4"))),
        &[],
    )
    .await;
    assert!([400, 422].contains(&res.status), "{}", res.body);
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("starts_at");
    let res = call(&app, "POST", APPOINTMENTS, &token, Some(&missing), &[]).await;
    assert!([400, 422].contains(&res.status), "{}", res.body);
    let res = call(
        &app,
        "POST",
        APPOINTMENTS,
        &token,
        Some(&with("patient", json!(hilltop_patient))),
        &[],
    )
    .await;
    error_of(&res, 404);
    // A nurse reads the calendar but does not book.
    let (nurse, _) = tokens_for(&app, "nurse@riverside.example").await;
    error_of(
        &call(&app, "POST", APPOINTMENTS, &nurse, Some(&good), &[]).await,
        403,
    );
    assert_eq!(get_as(&app, APPOINTMENTS, &nurse).await.status, 200);
    // A malformed day or page in a list.
    for query in [
        "?day=tomorrow",
        "?department=cardio",
        "?per_page=500",
        "?colour=red",
    ] {
        let res = get_as(&app, &format!("{APPOINTMENTS}{query}"), &token).await;
        assert!([400, 422].contains(&res.status), "{query}: {}", res.body);
    }
    let res = get_as(
        &app,
        &format!(
            "/api/v1/clinics/riverside/slots?department={}",
            uuid::Uuid::new_v4()
        ),
        &token,
    )
    .await;
    assert!(error_of(&res, 422)["errors"]["department"].is_array());
    assert_eq!(appointments(&t).await, before);
    // Only the nurse's refusal was written down.
    assert_eq!(count(&t, written).await, events + 1);
}

#[tokio::test]
async fn a_doctor_asks_for_a_follow_up_and_the_desk_books_it_once() {
    let (t, app) = setup().await;
    let (doctor_token, _) = tokens_for(&app, "doctor@riverside.example").await;
    let (desk, _) = tokens_for(&app, "reception@riverside.example").await;
    let p = patients(&t, "riverside", 1).await[0];
    let general = department(&t, "riverside", "GEN").await;
    let of_patient = format!("/api/v1/clinics/riverside/patients/{p}/follow-ups");
    let due = next_weekday(&t).await;
    let ask = json!({ "department": general, "due_on": due, "reason": "Blood pressure in a week" });
    let key = [("idempotency-key", "ward-tablet-follow-up-1")];
    let follow_ups = "select count(*) from follow_ups";
    let before = count(&t, follow_ups).await;
    let res = call(&app, "POST", &of_patient, &doctor_token, Some(&ask), &key).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let made = body_of(&res)["data"].clone();
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["status"], "pending");
    assert_eq!(made["asked_by"], "Dr Amelia Hart");
    let res = call(&app, "POST", &of_patient, &doctor_token, Some(&ask), &key).await;
    assert_eq!(res.header("idempotent-replayed"), "true");
    assert_eq!(count(&t, follow_ups).await, before + 1);
    // Bad asks: by field, nothing written.
    for (body, field) in [
        (
            json!({ "department": general, "due_on": "2001-01-01", "reason": "x" }),
            "due_on",
        ),
        (
            json!({ "department": general, "due_on": "soon", "reason": "x" }),
            "due_on",
        ),
        (
            json!({ "department": "x", "due_on": due, "reason": "x" }),
            "department",
        ),
        (
            json!({ "department": general, "due_on": due, "reason": "" }),
            "reason",
        ),
    ] {
        let res = call(&app, "POST", &of_patient, &doctor_token, Some(&body), &[]).await;
        assert!(error_of(&res, 422)["errors"][field].is_array(), "{field}");
    }
    assert_eq!(count(&t, follow_ups).await, before + 1);
    // The patient's list is a read of them; the desk's list has it to book.
    let views = "select count(*) from audit_events where action = 'VIEW'";
    let viewed = count(&t, views).await;
    let res = get_as(&app, &of_patient, &desk).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(body_of(&res)["data"][0]["id"], id.as_str());
    assert_eq!(count(&t, views).await, viewed + 1);
    let res = get_as(&app, "/api/v1/clinics/riverside/follow-ups", &desk).await;
    assert!(
        body_of(&res)["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id.as_str())
    );
    // Not due yet: not missed.
    let missed = format!("/api/v1/clinics/riverside/follow-ups/{id}/missed");
    let res = call(&app, "POST", &missed, &desk, None, &[]).await;
    assert!(error_of(&res, 422)["errors"]["status"].is_array());
    // Booked with an appointment, once.
    let (_, doctor, slots) = free_times(&t, &app, &desk).await;
    let booking = json!({
        "patient": p, "department": general, "doctor": doctor,
        "starts_at": slots[0]["starts"]["utc"], "appointment_type": "follow_up",
        "follow_up": id
    });
    let res = call(&app, "POST", APPOINTMENTS, &desk, Some(&booking), &[]).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let appointment = body_of(&res)["data"]["id"].as_str().unwrap().to_owned();
    let res = get_as(
        &app,
        "/api/v1/clinics/riverside/follow-ups?status=booked",
        &desk,
    )
    .await;
    let listed = body_of(&res);
    let booked = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id.as_str())
        .unwrap();
    assert_eq!(booked["appointment_id"], appointment.as_str());
    let before = appointments(&t).await;
    let mut again = booking.clone();
    again["starts_at"] = slots[1]["starts"]["utc"].clone();
    let res = call(&app, "POST", APPOINTMENTS, &desk, Some(&again), &[]).await;
    assert!(error_of(&res, 422)["errors"]["follow_up"].is_array());
    assert_eq!(appointments(&t).await, before);
    // A status the list does not know.
    let res = get_as(
        &app,
        "/api/v1/clinics/riverside/follow-ups?status=lost",
        &desk,
    )
    .await;
    error_of(&res, 400);
}

#[tokio::test]
async fn a_schedule_is_read_by_its_doctor_their_head_and_the_admin_only() {
    let (t, app) = setup().await;
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let uri = format!("/api/v1/clinics/riverside/doctors/{doctor}/schedule");
    let (own, _) = tokens_for(&app, "doctor@riverside.example").await;
    let res = get_as(&app, &uri, &own).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let schedule = body_of(&res)["data"].clone();
    assert_eq!(schedule["doctor"], "Dr Amelia Hart");
    assert_eq!(schedule["zone"], "Europe/London");
    assert!(
        !schedule["week"].as_array().unwrap().is_empty(),
        "{schedule}"
    );
    assert!(schedule["week"][0]["weekday"].as_i64().unwrap() >= 1);
    let admin = super::clinics::admin_token(&app, "admin@riverside.example").await;
    assert_eq!(get_as(&app, &uri, &admin).await.status, 200);
    // Another department's head, another doctor, the desk.
    let (cardiology, _) = tokens_for(&app, "hod@riverside.example").await;
    error_of(&get_as(&app, &uri, &cardiology).await, 404);
    let (gp2, _) = tokens_for(&app, "gp2@riverside.example").await;
    error_of(&get_as(&app, &uri, &gp2).await, 404);
    let (desk, _) = tokens_for(&app, "reception@riverside.example").await;
    error_of(&get_as(&app, &uri, &desk).await, 403);
    let res = get_as(
        &app,
        "/api/v1/clinics/riverside/doctors/not-a-doctor/schedule",
        &own,
    )
    .await;
    error_of(&res, 404);
}
