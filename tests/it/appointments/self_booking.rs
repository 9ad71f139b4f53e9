//! Self-booking suspension, through the sweep and the server functions the
//! pages post to: the clinic's number of no-shows in its window pauses the
//! patient's booking online (once, however often the sweep runs), the
//! database refuses their booking while the desk still books for them, the
//! record says why, and only the clinic admin lifts it, with a reason, after
//! which earlier no-shows do not count again.

use crate::common;

use chrono::Utc;
use common::{TestDb, count, scope_token};
use hms::domain::appointments::MyAppointments;
use hms::domain::self_booking::SuspensionNotice;
use hms::server::appointments::no_shows;
use sqlx::Connection;
use uuid::Uuid;

use super::{book_online, department, loaded, next_weekday, own_patient, signed_in};

async fn sweep(t: &TestDb) -> no_shows::SweepReport {
    no_shows::sweep(&t.pool, &scope_token(), "https://hms.example", Utc::now())
        .await
        .unwrap()
}

async fn pause(b: &mut common::Browser, patient: Uuid) -> (u16, Option<SuspensionNotice>) {
    let res = b
        .post(
            "/fn/appointments/booking_pause",
            &format!("slug=riverside&patient={patient}"),
        )
        .await;
    (res.status, serde_json::from_str(&res.body).ok().flatten())
}

#[tokio::test]
async fn repeated_no_shows_pause_booking_online_until_the_admin_lifts_it() {
    let (t, app) = common::demo_app().await;
    let me = own_patient(&t).await;
    // Two missed: not yet (the demo clinic pauses after 3 in 90 days).
    loaded(&t, &[(me, -3000), (me, -2000)], "routine", "").await;
    assert_eq!(sweep(&t).await.suspended, 0);
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    assert_eq!(pause(&mut desk, me).await, (200, None));
    // The third: paused, once, however often the sweep runs.
    loaded(&t, &[(me, -1000)], "routine", "").await;
    let (a, b) = tokio::join!(sweep(&t), sweep(&t));
    assert_eq!(a.suspended + b.suspended, 1, "{a:?} {b:?}");
    assert_eq!(sweep(&t).await.suspended, 0);
    assert_eq!(
        count(
            &t,
            "select count(*) from self_booking_suspensions where lifted_at is null"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'patient' and actor_role = 'system'
               and after_value->>'self_booking' = 'suspended'"
        )
        .await,
        1
    );
    // The desk sees why (and may not lift it); the admin may.
    let (status, notice) = pause(&mut desk, me).await;
    assert_eq!(status, 200);
    let notice = notice.expect("paused");
    assert_eq!(
        (notice.no_shows, notice.window_days, notice.may_lift),
        (3, 90, false)
    );
    assert!(
        notice
            .sentence()
            .contains("after 3 missed appointments in 90 days")
    );
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    assert!(pause(&mut admin, me).await.1.unwrap().may_lift);

    // The patient sees it and cannot book online; the desk still books.
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    let res = patient
        .post("/fn/appointments/own_appointments", "slug=riverside&page=1")
        .await;
    let mine: MyAppointments = serde_json::from_str(&res.body).unwrap();
    assert!(mine.booking_paused.is_some());
    let day = next_weekday(&t).await;
    let before = count(&t, "select count(*) from appointments").await;
    let res = book_online(&t, &mut patient, &day).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Booking online is paused"),
        "{}",
        res.body
    );
    assert_eq!(count(&t, "select count(*) from appointments").await, before);
    let general = department(&t, "riverside", "GEN").await;
    let res = desk
        .post(
            "/fn/appointments/booking_choices",
            &format!("slug=riverside&patient={me}&department={general}&doctor=&day={day}"),
        )
        .await;
    let page: hms::domain::appointments::BookingPage = serde_json::from_str(&res.body).unwrap();
    let starts = hms::domain::url::encode_query_value(&page.slots.last().unwrap().starts.machine());
    let res = desk
        .post(
            "/fn/appointments/book_appointment",
            &format!(
                "slug=riverside&booking%5Bpatient%5D={me}&booking%5Bdepartment%5D={general}\
                 &booking%5Bdoctor%5D=&booking%5Bstarts_at%5D={starts}\
                 &booking%5Bappointment_type%5D=routine&booking%5Breason%5D="
            ),
        )
        .await;
    assert!(
        res.header("location")
            .starts_with("/c/riverside/appointments/"),
        "{}: {}",
        res.status,
        res.body
    );

    // Lifting: not the desk, not without a reason; the admin with one.
    let lift = |reason: &str| format!("slug=riverside&patient={me}&lift_reason={reason}");
    let res = desk
        .post("/fn/appointments/lift_booking_pause", &lift("Called+us"))
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = admin
        .post("/fn/appointments/lift_booking_pause", &lift("+"))
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("lift_reason"), "{}", res.body);
    let res = admin
        .post(
            "/fn/appointments/lift_booking_pause",
            &lift("Spoke+to+the+patient%3B+transport+sorted"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/patients/{me}")
    );
    assert_eq!(pause(&mut admin, me).await, (200, None));
    // Nothing left to lift.
    let res = admin
        .post("/fn/appointments/lift_booking_pause", &lift("Again"))
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'patient'
               and after_value->>'lift_reason' = 'Spoke to the patient; transport sorted'"
        )
        .await,
        1
    );
    // Booking online works again, and one more no-show starts a new count.
    let res = book_online(&t, &mut patient, &day).await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/my-appointments?booked=1",
        "{}",
        res.body
    );
    loaded(&t, &[(me, -500)], "routine", "").await;
    assert_eq!(sweep(&t).await.suspended, 0);
    // The database itself: nobody edits a lifted suspension, not even a
    // superuser past row-level security.
    let mut su = sqlx::PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    let edit = sqlx::query("update self_booking_suspensions set no_shows = 1")
        .execute(&mut su)
        .await;
    assert!(edit.is_err(), "a lifted suspension was changed");
}
