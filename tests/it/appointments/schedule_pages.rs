//! The schedule page's server functions: a doctor changes their own week
//! and leave (the head of their department and the clinic's admin may
//! too, no one else), every change is audited, bad rows are refused by
//! their field with nothing written, and the free times offered follow.

use crate::common;

use common::{Browser, TestDb, count};
use hms::domain::appointments::BookingPage;
use hms::domain::schedules::ScheduleEditor;
use uuid::Uuid;

use super::{department, next_weekday, patients, signed_in};

async fn editor(b: &mut Browser, doctor: &str) -> (u16, Option<ScheduleEditor>) {
    let res = b
        .post(
            "/fn/schedules/doctor_schedule_page",
            &format!("slug=riverside&doctor={doctor}"),
        )
        .await;
    (res.status, serde_json::from_str(&res.body).ok())
}

/// A week form's body: (weekday, starts, ends, room) per row.
fn week_body(doctor: Uuid, rows: &[(&str, &str, &str, &str)]) -> String {
    let mut body = format!("slug=riverside&doctor={doctor}");
    for (i, (day, starts, ends, room)) in rows.iter().enumerate() {
        body.push_str(&format!(
            "&sessions%5B{i}%5D%5Bweekday%5D={day}&sessions%5B{i}%5D%5Bstarts%5D={starts}\
             &sessions%5B{i}%5D%5Bends%5D={ends}&sessions%5B{i}%5D%5Broom%5D={room}"
        ));
    }
    body
}

fn leave_body(doctor: Uuid, from: &str, to: &str) -> String {
    format!(
        "slug=riverside&exception%5Bdoctor%5D={doctor}&exception%5Bkind%5D=leave\
         &exception%5Bfrom_date%5D={from}&exception%5Bfrom_time%5D=\
         &exception%5Bto_date%5D={to}&exception%5Bto_time%5D=\
         &exception%5Broom%5D=&exception%5Breason%5D=Conference"
    )
}

/// Office hours and schedule audit events: what a refusal must not add.
async fn written(t: &TestDb, doctor: Uuid) -> (i64, i64, i64) {
    (
        count(
            t,
            &format!("select count(*) from doctor_office_hours where doctor_user_id = '{doctor}'"),
        )
        .await,
        count(
            t,
            &format!(
                "select count(*) from doctor_schedule_exceptions where doctor_user_id = '{doctor}'"
            ),
        )
        .await,
        count(
            t,
            "select count(*) from audit_events where entity_type = 'doctor_schedule'",
        )
        .await,
    )
}

#[tokio::test]
async fn a_doctor_changes_their_week_through_the_form_and_bad_rows_change_nothing() {
    let (t, app) = common::demo_app().await;
    let me = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    // Their own schedule by default: the demo week.
    let (status, page) = editor(&mut doctor, "").await;
    let page = page.unwrap_or_else(|| panic!("{status}"));
    assert_eq!((page.doctor_user_id, page.doctors.len()), (me, 1));
    assert_eq!(page.week.len(), 11);
    assert_eq!(page.week[0].starts, "09:00");
    let before = written(&t, me).await;
    for (rows, field) in [
        (
            vec![("2", "09:00", "12:00", ""), ("2", "11:00", "13:00", "")],
            "sessions[1][starts]",
        ),
        (vec![("3", "", "12:00", "")], "sessions[0][starts]"),
        (vec![("3", "12:00", "09:00", "")], "sessions[0][ends]"),
        (vec![("8", "09:00", "12:00", "")], "sessions[0][weekday]"),
    ] {
        let res = doctor
            .post("/fn/schedules/save_week", &week_body(me, &rows))
            .await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(res.body.contains(field), "{field}: {}", res.body);
    }
    let long_room = "R".repeat(51);
    let res = doctor
        .post(
            "/fn/schedules/save_week",
            &week_body(me, &[("1", "09:00", "12:00", &long_room)]),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(written(&t, me).await, before);
    // Spare rows are no sessions.
    let res = doctor
        .post(
            "/fn/schedules/save_week",
            &week_body(
                me,
                &[
                    ("1", "08:00", "12:00", "Room+9"),
                    ("1", "", "", ""),
                    ("2", "", "", ""),
                ],
            ),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/schedule?doctor={me}&saved=week"),
        "{}",
        res.body
    );
    let (_, page) = editor(&mut doctor, "").await;
    let page = page.unwrap();
    assert_eq!(page.week.len(), 1);
    assert_eq!(
        (
            page.week[0].weekday,
            page.week[0].ends.as_str(),
            page.week[0].room.as_str()
        ),
        (1, "12:00", "Room 9")
    );
    assert_eq!(written(&t, me).await, (1, before.1, before.2 + 1));
}

#[tokio::test]
async fn only_the_doctor_their_head_of_department_and_the_admin_change_a_schedule() {
    let (t, app) = common::demo_app().await;
    let gp = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let cardio = common::user_id(&t.owner_pool, "cardio2@riverside.example").await;
    let before = (written(&t, gp).await, written(&t, cardio).await);
    let week = |d| week_body(d, &[("1", "09:00", "10:00", "")]);
    // A doctor sees and changes only their own.
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    assert_eq!(editor(&mut doctor, &cardio.to_string()).await.0, 404);
    let res = doctor.post("/fn/schedules/save_week", &week(cardio)).await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = doctor
        .post(
            "/fn/schedules/add_schedule_exception",
            &leave_body(cardio, "2030-01-07", "2030-01-07"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    // The head of cardiology: their department's doctors, not others.
    let mut hod = signed_in(&app, "hod@riverside.example").await;
    let (status, page) = editor(&mut hod, &cardio.to_string()).await;
    assert_eq!(status, 200);
    assert!(page.unwrap().doctors.iter().all(|(id, _)| *id != gp));
    assert_eq!(editor(&mut hod, &gp.to_string()).await.0, 404);
    let res = hod.post("/fn/schedules/save_week", &week(gp)).await;
    assert_eq!(res.status, 404, "{}", res.body);
    // The front desk, the nurse, the laboratory and patients: none.
    for email in [
        "reception@riverside.example",
        "nurse@riverside.example",
        "lab@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = signed_in(&app, email).await;
        assert_eq!(editor(&mut b, "").await.0, 403, "{email}");
        let res = b.post("/fn/schedules/save_week", &week(gp)).await;
        assert_eq!(res.status, 403, "{email}: {}", res.body);
    }
    assert_eq!((written(&t, gp).await, written(&t, cardio).await), before);
    // The admin may change anyone's; a user who is no doctor here is refused.
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let (_, page) = editor(&mut admin, "").await;
    assert!(page.unwrap().doctors.len() >= 5);
    let res = hod.post("/fn/schedules/save_week", &week(cardio)).await;
    assert!(res.status < 400, "{}", res.body);
    let res = admin.post("/fn/schedules/save_week", &week(gp)).await;
    assert!(res.status < 400, "{}", res.body);
    let nurse = common::user_id(&t.owner_pool, "nurse@riverside.example").await;
    let res = admin.post("/fn/schedules/save_week", &week(nurse)).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Choose one of this clinic's doctors."),
        "{}",
        res.body
    );
    assert_eq!(written(&t, nurse).await.0, 0);
}

/// How many free times the booking page offers for `ask`.
async fn free(desk: &mut Browser, ask: &str) -> usize {
    let res = desk.post("/fn/appointments/booking_choices", ask).await;
    let page: BookingPage = serde_json::from_str(&res.body).unwrap();
    page.slots.len()
}

#[tokio::test]
async fn leave_takes_the_days_free_times_away_until_it_is_removed() {
    let (t, app) = common::demo_app().await;
    let me = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 1).await[0];
    let day = next_weekday(&t).await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let ask = format!("slug=riverside&patient={p}&department={general}&doctor={me}&day={day}");
    assert_eq!(free(&mut desk, &ask).await, 28);
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let before = written(&t, me).await;
    // Bad dates are refused by their field.
    for (from, to, field) in [
        (day.as_str(), "2020-01-01", "to_date"),
        ("", day.as_str(), "from_date"),
        (day.as_str(), "next week", "to_date"),
    ] {
        let res = doctor
            .post(
                "/fn/schedules/add_schedule_exception",
                &leave_body(me, from, to),
            )
            .await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(res.body.contains(field), "{field}: {}", res.body);
    }
    assert_eq!(written(&t, me).await, before);
    let res = doctor
        .post(
            "/fn/schedules/add_schedule_exception",
            &leave_body(me, &day, &day),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/schedule?doctor={me}&saved=exception"),
        "{}",
        res.body
    );
    assert_eq!(free(&mut desk, &ask).await, 0);
    let (_, page) = editor(&mut doctor, "").await;
    let leave = page.unwrap().exceptions;
    assert_eq!(leave.len(), 1);
    assert_eq!(leave[0].reason, "Conference");
    // Another doctor may not remove it; they may.
    let mut other = signed_in(&app, "gp2@riverside.example").await;
    let res = other
        .post(
            "/fn/schedules/remove_schedule_exception",
            &format!("slug=riverside&id={}", leave[0].id),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = doctor
        .post(
            "/fn/schedules/remove_schedule_exception",
            &format!("slug=riverside&id={}", leave[0].id),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(free(&mut desk, &ask).await, 28);
    assert_eq!(written(&t, me).await, (before.0, 0, before.2 + 2));
}

fn settings_body(slot: &str, horizon: &str) -> String {
    format!(
        "slug=riverside&settings%5Bslot_minutes%5D={slot}&settings%5Bcancel_notice_minutes%5D=60\
         &settings%5Bno_show_grace_minutes%5D=10&settings%5Bsuspend_after_no_shows%5D=2\
         &settings%5Bsuspend_window_days%5D=30&settings%5Bbooking_horizon_days%5D={horizon}"
    )
}

#[tokio::test]
async fn the_admin_sets_the_booking_rules_and_the_free_times_follow() {
    let (t, app) = common::demo_app().await;
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let res = admin
        .post("/fn/schedules/booking_rules", "slug=riverside")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let shown: hms::domain::schedule_settings::ScheduleSettings =
        serde_json::from_str(&res.body).unwrap();
    assert_eq!((shown.slot_minutes, shown.booking_horizon_days), (15, 90));
    // Only the admin: the desk, the doctors and the patient are refused.
    for email in [
        "reception@riverside.example",
        "doctor@riverside.example",
        "hod@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = signed_in(&app, email).await;
        for (endpoint, body) in [
            ("booking_rules", "slug=riverside".to_string()),
            ("save_booking_rules", settings_body("30", "60")),
        ] {
            let res = b.post(&format!("/fn/schedules/{endpoint}"), &body).await;
            assert_eq!(res.status, 403, "{email} {endpoint}: {}", res.body);
        }
    }
    // Bad values by their field, nothing written.
    let before = count(&t, "select count(*) from audit_events").await;
    for (body, field) in [
        (settings_body("4", "60"), "slot_minutes"),
        (settings_body("30", "731"), "booking_horizon_days"),
        (settings_body("thirty", "60"), "slot_minutes"),
        ("slug=riverside".to_string(), "slot_minutes"),
    ] {
        let res = admin.post("/fn/schedules/save_booking_rules", &body).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        assert!(res.body.contains(field), "{body}: {}", res.body);
    }
    assert_eq!(count(&t, "select count(*) from audit_events").await, before);
    let res = admin
        .post(
            "/fn/schedules/save_booking_rules",
            &settings_body("30", "60"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule/settings?saved=1"
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'clinic'
               and (before_value->'schedule_settings'->>'slot_minutes')::int = 15
               and (after_value->'schedule_settings'->>'slot_minutes')::int = 30"
        )
        .await,
        1
    );
    // The booking page follows: half-hour times, no further than 60 days.
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let general = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 1).await[0];
    let day = next_weekday(&t).await;
    let res = desk
        .post(
            "/fn/appointments/booking_choices",
            &format!("slug=riverside&patient={p}&department={general}&doctor=&day={day}"),
        )
        .await;
    let page: BookingPage = serde_json::from_str(&res.body).unwrap();
    let gap = page.slots[1].starts.utc - page.slots[0].starts.utc;
    assert_eq!(gap.num_minutes(), 30);
    assert_eq!((page.last_day - page.today).num_days(), 60);
    // The database holds the line for the other roles too.
    let desk_actor = super::Actor::of(
        &t,
        "riverside",
        "reception",
        hms::domain::role::Role::Receptionist,
    )
    .await;
    let mut tx = desk_actor.begin(&t.pool).await;
    let changed = sqlx::query("update clinic_schedule_settings set slot_minutes = 5")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 0);
}
