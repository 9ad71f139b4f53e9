//! The patient's own appointments in the portal, through the server
//! functions its pages post to: a booking is always for the signed-in
//! patient whatever the form says, another patient's appointment is not
//! found, and cancelling online ends at the clinic's notice.

use crate::common;

use common::{Browser, count};
use hms::domain::appointments::{BookingPage, MyAppointments};
use uuid::Uuid;

use super::{department, loaded, next_weekday, own_patient, patients, signed_in};

fn booking_body(patient: &str, department: Uuid, starts: &str) -> String {
    format!(
        "slug=riverside&booking%5Bpatient%5D={patient}&booking%5Bdepartment%5D={department}\
         &booking%5Bdoctor%5D=&booking%5Bstarts_at%5D={}\
         &booking%5Bappointment_type%5D=emergency&booking%5Breason%5D=Knee+pain",
        hms::domain::url::encode_query_value(starts)
    )
}

async fn mine(patient: &mut Browser) -> MyAppointments {
    let res = patient
        .post("/fn/appointments/own_appointments", "slug=riverside&page=1")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

#[tokio::test]
async fn a_patient_books_for_themself_whatever_the_form_says() {
    let (t, app) = common::demo_app().await;
    let me = own_patient(&t).await;
    let someone_else = patients(&t, "riverside", 1).await[0];
    let general = department(&t, "riverside", "GEN").await;
    let day = next_weekday(&t).await;
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    let res = patient
        .post(
            "/fn/appointments/my_booking_choices",
            &format!("slug=riverside&department={general}&doctor=&day={day}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let page: BookingPage = serde_json::from_str(&res.body).unwrap();
    assert_eq!(page.patient.unwrap().id, me);
    let starts = page.slots[0].starts.machine();
    // The form names another patient and an emergency: neither is taken.
    let res = patient
        .post(
            "/fn/appointments/book_my_appointment",
            &booking_body(&someone_else.to_string(), general, &starts),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/my-appointments?booked=1",
        "{}",
        res.body
    );
    let (who, kind, by_patient): (Uuid, String, bool) =
        sqlx::query_as("select patient_id, appointment_type, booked_by_patient from appointments")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!((who, kind.as_str(), by_patient), (me, "routine", true));
    let list = mine(&mut patient).await;
    assert_eq!(list.upcoming.len(), 1);
    assert!(list.upcoming[0].may_cancel);
    assert_eq!(list.upcoming[0].appointment.reason, "Knee pain");
    assert_eq!(list.cancel_notice_minutes, 120);
    // The same time again (for themself): they cannot be in two places.
    let res = patient
        .post(
            "/fn/appointments/book_my_appointment",
            &booking_body("", general, &starts),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("starts_at"), "{}", res.body);
    assert_eq!(count(&t, "select count(*) from appointments").await, 1);
    // Bad input by its field, nothing written.
    for (body, field) in [
        (booking_body("", general, "half past nine"), "starts_at"),
        (booking_body("", Uuid::now_v7(), &starts), "starts_at"),
        (
            booking_body("", general, &starts).replace("Knee+pain", &"x".repeat(501)),
            "reason",
        ),
    ] {
        let res = patient
            .post("/fn/appointments/book_my_appointment", &body)
            .await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(res.body.contains(field), "{field}: {}", res.body);
    }
    assert_eq!(count(&t, "select count(*) from appointments").await, 1);
    // Staff have no "own appointments"; the portal's functions are the patient's.
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    for (endpoint, body) in [
        ("own_appointments", "slug=riverside&page=1".to_string()),
        ("book_my_appointment", booking_body("", general, &starts)),
    ] {
        let res = desk
            .post(&format!("/fn/appointments/{endpoint}"), &body)
            .await;
        assert_eq!(res.status, 403, "{endpoint}: {}", res.body);
    }
}

#[tokio::test]
async fn a_patient_cancels_their_own_until_the_notice_and_never_anothers() {
    let (t, app) = common::demo_app().await;
    let me = own_patient(&t).await;
    let someone_else = patients(&t, "riverside", 1).await[0];
    // Three appointments: theirs in three days and in half an hour
    // (inside the two hours' notice), and another patient's.
    let ids = loaded(
        &t,
        &[(me, 3 * 24 * 60), (me, 30), (someone_else, 4 * 24 * 60)],
        "routine",
        "",
    )
    .await;
    let (ahead, soon, theirs) = (ids[0], ids[1], ids[2]);
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    let list = mine(&mut patient).await;
    assert_eq!(
        list.upcoming
            .iter()
            .map(|m| (m.appointment.id, m.may_cancel))
            .collect::<Vec<_>>(),
        [(soon, false), (ahead, true)]
    );
    // Another patient's appointment is not found, to read or to cancel.
    let res = patient
        .post(
            "/fn/appointments/own_appointment",
            &format!("slug=riverside&id={theirs}"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = patient
        .post(
            "/fn/appointments/cancel_my_appointment",
            &format!("slug=riverside&id={theirs}&cancel_reason=Mine+now"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    // Inside the notice: refused with the clinic's words.
    let res = patient
        .post(
            "/fn/appointments/cancel_my_appointment",
            &format!("slug=riverside&id={soon}&cancel_reason=Running+late"),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("too late to cancel online"),
        "{}",
        res.body
    );
    // A reason is needed.
    let res = patient
        .post(
            "/fn/appointments/cancel_my_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason="),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from appointments where status = 'cancelled'"
        )
        .await,
        0
    );
    let res = patient
        .post(
            "/fn/appointments/cancel_my_appointment",
            &format!("slug=riverside&id={ahead}&cancel_reason=Feeling+better"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/my-appointments?cancelled=1",
        "{}: {}",
        res.status,
        res.body
    );
    let list = mine(&mut patient).await;
    assert_eq!(list.upcoming.len(), 1);
    assert_eq!(list.past.items.len(), 1);
    assert_eq!(
        list.past.items[0].cancel_reason.as_deref(),
        Some("Feeling better")
    );
    let (by, action): (Uuid, String) = sqlx::query_as(
        "select a.cancelled_by, e.action from appointments a
         join audit_events e on e.entity_id = a.id::text and e.entity_type = 'appointment'
         where a.id = $1",
    )
    .bind(ahead)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        (by, action.as_str()),
        (
            common::user_id(&t.owner_pool, "patient@riverside.example").await,
            "UPDATE"
        )
    );
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where action = 'VIEW' and entity_id = '{me}' \
                 and after_value->>'purpose' = 'own_appointments'"
            ),
        )
        .await,
        2
    );
}
