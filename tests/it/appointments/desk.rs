//! The front desk's appointment pages through the server functions they
//! post to: the free times offered are the ones that book, a time taken
//! meanwhile is answered by its field with the next free times, the day
//! lists what was booked, an appointment is cancelled only with a reason
//! and checked in only on its day, and bad or forbidden input writes
//! nothing.

use crate::common;

use common::{Browser, TestDb, count};
use hms::domain::appointments::{AppointmentDay, BookingPage};
use uuid::Uuid;

use super::{department, loaded, next_weekday, patients, signed_in};

fn choices_body(patient: Uuid, department: Uuid, doctor: &str, day: &str) -> String {
    format!("slug=riverside&patient={patient}&department={department}&doctor={doctor}&day={day}")
}

fn booking_body(
    patient: Uuid,
    department: Uuid,
    doctor: &str,
    starts: &str,
    extra: &str,
) -> String {
    format!(
        "slug=riverside&booking%5Bpatient%5D={patient}&booking%5Bdepartment%5D={department}\
         &booking%5Bdoctor%5D={doctor}&booking%5Bstarts_at%5D={}\
         &booking%5Bappointment_type%5D=routine&booking%5Breason%5D=Blood+pressure+review{extra}",
        hms::domain::url::encode_query_value(starts)
    )
}

async fn choices(desk: &mut Browser, body: &str) -> BookingPage {
    let res = desk.post("/fn/appointments/booking_choices", body).await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

/// Appointments and their audit events: what a refusal must not add.
async fn written(t: &TestDb) -> (i64, i64) {
    (
        count(t, "select count(*) from appointments").await,
        count(
            t,
            "select count(*) from audit_events where entity_type = 'appointment'",
        )
        .await,
    )
}

#[tokio::test]
async fn the_desk_books_an_offered_time_and_a_taken_one_names_the_next() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 2).await;
    let day = next_weekday(&t).await;
    // "First available" merges the department's doctors' free times.
    let page = choices(&mut desk, &choices_body(p[0], general, "", &day)).await;
    assert_eq!(page.patient.as_ref().unwrap().id, p[0]);
    let first = page
        .slots
        .first()
        .expect("the demo doctors have free times");
    assert_eq!(first.starts.clock(), "09:00");
    assert!(first.free_doctors >= 2, "{first:?}");
    let starts = first.starts.machine();
    let res = desk
        .post(
            "/fn/appointments/book_appointment",
            &booking_body(p[0], general, "", &starts, ""),
        )
        .await;
    let location = res.header("location").to_string();
    assert!(
        location.starts_with("/c/riverside/appointments/"),
        "{}: {}",
        res.status,
        res.body
    );
    let id: Uuid = location
        .trim_start_matches("/c/riverside/appointments/")
        .parse()
        .unwrap();
    assert_eq!(written(&t).await, (1, 1));
    // The day lists it; its page reads it (an audited read of the patient).
    let res = desk
        .post(
            "/fn/appointments/appointments_of_day",
            &format!("slug=riverside&day={day}&department=&doctor=&page=1"),
        )
        .await;
    let listed: AppointmentDay = serde_json::from_str(&res.body).unwrap();
    assert!(listed.may_book);
    assert_eq!(listed.appointments.items.len(), 1);
    assert_eq!(listed.appointments.items[0].id, id);
    assert_eq!(listed.appointments.items[0].starts.machine(), starts);
    let res = desk
        .post(
            "/fn/appointments/appointment_details",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"may_cancel\":true"), "{}", res.body);
    assert!(res.body.contains("\"may_check_in\":false"), "{}", res.body);
    // The clinical staff open it to read; only the desk may act on it.
    for (email, status) in [
        ("doctor@riverside.example", 200),
        ("nurse@riverside.example", 200),
        ("lab@riverside.example", 403),
        ("patient@riverside.example", 403),
    ] {
        let mut b = signed_in(&app, email).await;
        let res = b
            .post(
                "/fn/appointments/appointment_details",
                &format!("slug=riverside&id={id}"),
            )
            .await;
        assert_eq!(res.status, status, "{email}: {}", res.body);
        if status == 200 {
            assert!(
                res.body.contains("\"may_cancel\":false"),
                "{email}: {}",
                res.body
            );
        }
    }
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where action = 'VIEW' \
                 and entity_id = '{}' and after_value->>'appointment_id' = '{id}'",
                p[0]
            )
        )
        .await,
        3,
        "one VIEW of the patient per read: the desk's, the doctor's and the nurse's"
    );
    // The same doctor's time, asked for by name, is now taken.
    let doctor: Uuid = sqlx::query_scalar("select doctor_user_id from appointments where id = $1")
        .bind(id)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let res = desk
        .post(
            "/fn/appointments/book_appointment",
            &booking_body(p[1], general, &doctor.to_string(), &starts, ""),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("starts_at")
            && res.body.contains("That time was just taken. Next free: "),
        "{}",
        res.body
    );
    assert_eq!(written(&t).await, (1, 1));
    // The doctor's own free times no longer offer it.
    let page = choices(
        &mut desk,
        &choices_body(p[1], general, &doctor.to_string(), &day),
    )
    .await;
    assert!(page.slots.iter().all(|s| s.starts.machine() != starts));
    assert_eq!(page.slots[0].starts.clock(), "09:15");
}

#[tokio::test]
async fn bad_or_forbidden_bookings_are_refused_by_their_field_and_write_nothing() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 1).await[0];
    let day = next_weekday(&t).await;
    let page = choices(&mut desk, &choices_body(p, general, "", &day)).await;
    let starts = page.slots[0].starts.machine();
    let long = "x".repeat(501);
    for (body, field, message) in [
        (
            booking_body(p, general, "", "tomorrow at nine", ""),
            "starts_at",
            "Choose one of the free times.",
        ),
        (
            booking_body(p, general, "", "2020-01-06T10:00:00Z", ""),
            "starts_at",
            "not free",
        ),
        (
            booking_body(
                p,
                general,
                "",
                &starts,
                &format!("&booking%5Breason%5D={long}"),
            )
            .replace("booking%5Breason%5D=Blood+pressure+review&", ""),
            "reason",
            "Use at most 500 characters.",
        ),
        (
            booking_body(p, general, "", &starts, "").replace("routine", "urgent-ish"),
            "appointment_type",
            "Choose the type of appointment.",
        ),
        (
            booking_body(p, Uuid::now_v7(), "", &starts, ""),
            "starts_at",
            "not free",
        ),
        (
            booking_body(Uuid::now_v7(), general, "", &starts, ""),
            "patient",
            "Choose one of this clinic's patients.",
        ),
    ] {
        let res = desk.post("/fn/appointments/book_appointment", &body).await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(
            res.body.contains(field) && res.body.contains(message),
            "{field}: {}",
            res.body
        );
    }
    // A doctor of another department, asked for by name.
    let cardiology_doctor = common::user_id(&t.owner_pool, "hod@riverside.example").await;
    let res = desk
        .post(
            "/fn/appointments/book_appointment",
            &booking_body(p, general, &cardiology_doctor.to_string(), &starts, ""),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(written(&t).await, (0, 0));
    // Only the front desk books for others.
    for email in [
        "doctor@riverside.example",
        "nurse@riverside.example",
        "lab@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = signed_in(&app, email).await;
        let res = b
            .post(
                "/fn/appointments/book_appointment",
                &booking_body(p, general, "", &starts, ""),
            )
            .await;
        assert_eq!(res.status, 403, "{email}: {}", res.body);
        let res = b
            .post(
                "/fn/appointments/booking_choices",
                &choices_body(p, general, "", &day),
            )
            .await;
        assert_eq!(res.status, 403, "{email}: {}", res.body);
    }
    assert_eq!(written(&t).await, (0, 0));
    // The day is the clinical staff's to read, not the laboratory's or a patient's.
    for (email, status) in [
        ("doctor@riverside.example", 200),
        ("nurse@riverside.example", 200),
        ("admin@riverside.example", 200),
        ("lab@riverside.example", 403),
        ("patient@riverside.example", 403),
    ] {
        let mut b = signed_in(&app, email).await;
        let res = b
            .post(
                "/fn/appointments/appointments_of_day",
                "slug=riverside&day=&department=&doctor=&page=1",
            )
            .await;
        assert_eq!(res.status, status, "{email}: {}", res.body);
    }
}

#[tokio::test]
async fn the_desk_cancels_with_a_reason_and_checks_in_only_the_days_appointments() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 2).await;
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let day = next_weekday(&t).await;
    let page = choices(
        &mut desk,
        &choices_body(p[0], general, &doctor.to_string(), &day),
    )
    .await;
    let res = desk
        .post(
            "/fn/appointments/book_appointment",
            &booking_body(
                p[0],
                general,
                &doctor.to_string(),
                &page.slots[0].starts.machine(),
                "",
            ),
        )
        .await;
    let ahead: Uuid = res
        .header("location")
        .trim_start_matches("/c/riverside/appointments/")
        .parse()
        .unwrap();
    // Not today: no check-in.
    let res = desk
        .post(
            "/fn/appointments/check_in_appointment",
            &format!("slug=riverside&id={ahead}"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("only today's can be checked in"),
        "{}",
        res.body
    );
    // A cancel needs its reason, and a nurse may not cancel.
    let before = written(&t).await;
    let res = desk
        .post(
            "/fn/appointments/cancel_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason=+++"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("cancel_reason"), "{}", res.body);
    let mut nurse = signed_in(&app, "nurse@riverside.example").await;
    let res = nurse
        .post(
            "/fn/appointments/cancel_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason=Unwell"),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(written(&t).await, before);
    let res = desk
        .post(
            "/fn/appointments/cancel_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason=Patient+is+travelling"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/appointments/{ahead}")
    );
    let (status, reason): (String, String) =
        sqlx::query_as("select status, cancel_reason from appointments where id = $1")
            .bind(ahead)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("cancelled", "Patient is travelling")
    );
    // Cancelled once is cancelled: a second cancel is refused.
    let res = desk
        .post(
            "/fn/appointments/cancel_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason=Again"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    // Today's appointment checks in to the doctor's queue, with a token.
    // Today's, begun just now.
    let today = loaded(&t, &[(p[1], 0)], "follow_up", "Review of cough").await[0];
    let res = desk
        .post(
            "/fn/appointments/appointment_details",
            &format!("slug=riverside&id={today}"),
        )
        .await;
    assert!(res.body.contains("\"may_check_in\":true"), "{}", res.body);
    let res = desk
        .post(
            "/fn/appointments/check_in_appointment",
            &format!("slug=riverside&id={today}"),
        )
        .await;
    let slip = res.header("location").to_string();
    assert!(
        slip.starts_with("/c/riverside/visits/") && slip.ends_with("/slip"),
        "{}: {}",
        res.status,
        res.body
    );
    let (status, visit_type, doctor_of_visit): (String, String, Option<Uuid>) = sqlx::query_as(
        "select a.status, v.visit_type, v.doctor_user_id
         from appointments a join patient_visits v on v.id = a.visit_id where a.id = $1",
    )
    .bind(today)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), visit_type.as_str(), doctor_of_visit),
        ("checked_in", "follow_up", Some(doctor))
    );
    assert_eq!(desk.get(&slip).await.status, 200);
}

fn move_body(id: Uuid, starts: &str) -> String {
    format!(
        "slug=riverside&id={id}&booking%5Bstarts_at%5D={}",
        hms::domain::url::encode_query_value(starts)
    )
}

#[tokio::test]
async fn the_desk_moves_an_appointment_to_a_free_time_and_bad_moves_change_nothing() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 2).await;
    let day = next_weekday(&t).await;
    let doctor: Uuid =
        sqlx::query_scalar("select id from users where email = 'doctor@riverside.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let page = choices(
        &mut desk,
        &choices_body(p[0], general, &doctor.to_string(), &day),
    )
    .await;
    let (first, second, third) = (
        page.slots[0].starts.machine(),
        page.slots[1].starts.machine(),
        page.slots[2].starts.machine(),
    );
    for (patient, at) in [(p[0], &first), (p[1], &second)] {
        let res = desk
            .post(
                "/fn/appointments/book_appointment",
                &booking_body(patient, general, &doctor.to_string(), at, ""),
            )
            .await;
        assert!(
            res.header("location")
                .starts_with("/c/riverside/appointments/")
        );
    }
    let id: Uuid = sqlx::query_scalar("select id from appointments where patient_id = $1")
        .bind(p[0])
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    // The page offers the doctor's free times on the appointment's day:
    // not the two booked.
    let res = desk
        .post(
            "/fn/appointments/reschedule_choices",
            &format!("slug=riverside&id={id}&day="),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let moving: hms::domain::appointments::ReschedulePage =
        serde_json::from_str(&res.body).unwrap();
    assert_eq!(moving.choices.day.to_string(), day);
    assert_eq!(moving.choices.doctor_user_id, Some(doctor));
    let offered: Vec<String> = moving
        .choices
        .slots
        .iter()
        .map(|s| s.starts.machine())
        .collect();
    assert!(!offered.contains(&first) && !offered.contains(&second));
    assert_eq!(offered[0], third);

    // Refused, each by its field, nothing changed: no time, a malformed
    // one, the other patient's time, a time in the past.
    let before = count(&t, "select count(*) from audit_events").await;
    for (starts, status, message) in [
        ("", 422, "Choose one of the free times."),
        ("09:30 tomorrow", 422, "Choose one of the free times."),
        (second.as_str(), 422, "That time was just taken"),
        ("2020-01-06T10:00:00Z", 422, "That time was just taken"),
    ] {
        let res = desk
            .post(
                "/fn/appointments/reschedule_appointment",
                &move_body(id, starts),
            )
            .await;
        assert_eq!(res.status, status, "{starts}: {}", res.body);
        assert!(res.body.contains("starts_at"), "{starts}: {}", res.body);
        assert!(res.body.contains(message), "{starts}: {}", res.body);
    }
    // No time chosen at all (the form then sends no `booking[…]`).
    let res = desk
        .post(
            "/fn/appointments/reschedule_appointment",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Choose one of the free times."),
        "{}",
        res.body
    );
    assert_eq!(count(&t, "select count(*) from audit_events").await, before);
    // The clinical staff read appointments but do not move them.
    let mut nurse = signed_in(&app, "nurse@riverside.example").await;
    let res = nurse
        .post(
            "/fn/appointments/reschedule_appointment",
            &move_body(id, &third),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);

    let res = desk
        .post(
            "/fn/appointments/reschedule_appointment",
            &move_body(id, &third),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/appointments/{id}?moved=1")
    );
    let moved: bool = sqlx::query_scalar(
        "select lower(during) = $2::timestamptz and revision = 1 and moved_at is not null
         from appointments where id = $1",
    )
    .bind(id)
    .bind(&third)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(moved);
    // Once cancelled, there is nothing to move.
    let res = desk
        .post(
            "/fn/appointments/cancel_appointment",
            &format!("slug=riverside&id={id}&cancel_reason=Unwell"),
        )
        .await;
    assert!(res.header("location").ends_with(&id.to_string()));
    let res = desk
        .post(
            "/fn/appointments/reschedule_choices",
            &format!("slug=riverside&id={id}&day="),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = desk
        .post(
            "/fn/appointments/reschedule_appointment",
            &move_body(id, &first),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Only a booked appointment can be moved."),
        "{}",
        res.body
    );
}
