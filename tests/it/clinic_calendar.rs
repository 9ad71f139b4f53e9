//! The clinic's opening hours and holidays through the booking rules
//! page's server functions: only the clinic admin changes them, each change
//! is audited, bad input is refused by its field with nothing written, and
//! the free times the desk and the portal offer follow at once.

use crate::appointments::{book_online, department, next_weekday, patients, signed_in};
use crate::common::{self, Browser, TestDb, count};
use hms::domain::appointments::BookingPage;
use hms::domain::clinic_calendar::ClinicCalendar;

fn hours_body(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut body = "slug=riverside".to_string();
    for (i, (day, opens, closes, room)) in rows.iter().enumerate() {
        body.push_str(&format!(
            "&sessions%5B{i}%5D%5Bweekday%5D={day}&sessions%5B{i}%5D%5Bstarts%5D={opens}\
             &sessions%5B{i}%5D%5Bends%5D={closes}&sessions%5B{i}%5D%5Broom%5D={room}"
        ));
    }
    body
}

fn holiday_body(day: &str, name: &str) -> String {
    format!("slug=riverside&holiday%5Bday%5D={day}&holiday%5Bname%5D={name}")
}

async fn calendar(admin: &mut Browser) -> ClinicCalendar {
    let res = admin
        .post("/fn/schedules/opening_hours_and_holidays", "slug=riverside")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

/// The desk's free General Medicine times on `day`.
async fn desk_times(t: &TestDb, desk: &mut Browser, day: &str) -> BookingPage {
    let general = department(t, "riverside", "GEN").await;
    let p = patients(t, "riverside", 1).await[0];
    let res = desk
        .post(
            "/fn/appointments/booking_choices",
            &format!("slug=riverside&patient={p}&department={general}&doctor=&day={day}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

#[tokio::test]
async fn only_the_admin_reads_or_changes_the_hours_and_holidays() {
    let (t, app) = common::demo_app().await;
    let changes = "select count(*) from audit_events where entity_type = 'clinic'";
    let before = count(&t, changes).await;
    let calendar_rows = rows(&t).await;
    for email in [
        "reception@riverside.example",
        "doctor@riverside.example",
        "hod@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = signed_in(&app, email).await;
        for (endpoint, body) in [
            ("opening_hours_and_holidays", "slug=riverside".to_string()),
            (
                "save_opening_hours",
                hours_body(&[("1", "09%3A00", "17%3A00", "")]),
            ),
            (
                "add_clinic_holiday",
                holiday_body("2099-12-25", "Christmas"),
            ),
            (
                "remove_clinic_holiday",
                "slug=riverside&day=2099-12-25".to_string(),
            ),
        ] {
            let res = b.post(&format!("/fn/schedules/{endpoint}"), &body).await;
            assert_eq!(res.status, 403, "{email} {endpoint}: {}", res.body);
        }
    }
    assert_eq!(count(&t, changes).await, before);
    assert_eq!(rows(&t).await, calendar_rows);
}

/// Every clinic's opening hours and holidays, as text.
async fn rows(t: &TestDb) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(r, ',' order by r), '') from (
           select row(clinic_id, weekday, opens, closes)::text as r from clinic_opening_hours
           union all select row(clinic_id, day, name)::text from clinic_holidays) rows",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_holiday_closes_the_day_and_says_what_is_still_booked() {
    let (t, app) = common::demo_app().await;
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    let day = next_weekday(&t).await;
    assert!(calendar(&mut admin).await.holidays.is_empty());
    assert!(!desk_times(&t, &mut desk, &day).await.slots.is_empty());
    let booked = book_online(&t, &mut patient, &day).await;
    assert!(
        booked.header("location").contains("booked=1"),
        "{} {}",
        booked.status,
        booked.body
    );

    let res = admin
        .post(
            "/fn/schedules/add_clinic_holiday",
            &holiday_body(&day, "Staff+training+day"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("/c/riverside/schedule/settings?saved=holiday&day={day}&booked=1"),
        "{}",
        res.body
    );
    let shown = calendar(&mut admin).await;
    assert_eq!(shown.holidays.len(), 1);
    assert_eq!(shown.holidays[0].day.to_string(), day);
    assert_eq!(shown.holidays[0].name, "Staff training day");
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'clinic' and action = 'CREATE'
               and after_value->'holiday'->>'name' = 'Staff training day'"
        )
        .await,
        1
    );
    // Nothing is offered that day, to the desk or online, and both are
    // told why.
    let closed = desk_times(&t, &mut desk, &day).await;
    assert!(closed.slots.is_empty());
    assert_eq!(closed.closed.as_deref(), Some("Staff training day"));
    let general = department(&t, "riverside", "GEN").await;
    let online = patient
        .post(
            "/fn/appointments/my_booking_choices",
            &format!("slug=riverside&department={general}&doctor=&day={day}"),
        )
        .await;
    let online: BookingPage = serde_json::from_str(&online.body).unwrap();
    assert!(online.slots.is_empty());
    assert_eq!(online.closed.as_deref(), Some("Staff training day"));

    // The same day twice, a day gone by, no name: refused by field.
    let written = count(&t, "select count(*) from audit_events").await;
    for (body, field, says) in [
        (holiday_body(&day, "Again"), "day", "already a holiday"),
        (
            holiday_body("2020-01-01", "Past"),
            "day",
            "today or a later",
        ),
        (holiday_body("2099-02-30", "Nope"), "day", "Enter a date"),
        (holiday_body("2099-12-25", "+"), "name", "Name the holiday"),
        ("slug=riverside".to_string(), "day", "Enter a date"),
    ] {
        let res = admin.post("/fn/schedules/add_clinic_holiday", &body).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        assert!(res.body.contains(field), "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
    }
    for day in ["2099-12-24", "tomorrow"] {
        let res = admin
            .post(
                "/fn/schedules/remove_clinic_holiday",
                &format!("slug=riverside&day={day}"),
            )
            .await;
        assert_eq!(res.status, 404, "{day}: {}", res.body);
    }
    assert_eq!(
        count(&t, "select count(*) from audit_events").await,
        written
    );

    // Reopened: the day's times are offered again, and the removal audited.
    let res = admin
        .post(
            "/fn/schedules/remove_clinic_holiday",
            &format!("slug=riverside&day={day}"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule/settings?saved=reopened"
    );
    assert!(calendar(&mut admin).await.holidays.is_empty());
    let open = desk_times(&t, &mut desk, &day).await;
    assert!(!open.slots.is_empty());
    assert_eq!(open.closed, None);
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'clinic' and action = 'DELETE'
               and before_value->'holiday'->>'name' = 'Staff training day'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn opening_hours_narrow_the_times_offered() {
    let (t, app) = common::demo_app().await;
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let day = next_weekday(&t).await;
    let open_all_week: Vec<(&str, &str, &str, &str)> = ["1", "2", "3", "4", "5"]
        .into_iter()
        .map(|d| (d, "10%3A00", "12%3A00", ""))
        .collect();

    // Bad rows by their field, nothing written.
    let written = count(&t, "select count(*) from audit_events").await;
    for (rows, field) in [
        (
            vec![
                ("1", "09%3A00", "12%3A00", ""),
                ("1", "11%3A00", "13%3A00", ""),
            ],
            "sessions[1][starts]",
        ),
        (vec![("1", "12%3A00", "09%3A00", "")], "sessions[0][ends]"),
        (
            vec![("8", "09%3A00", "12%3A00", "")],
            "sessions[0][weekday]",
        ),
        (vec![("1", "9am", "12%3A00", "")], "sessions[0][starts]"),
        (
            vec![("1", "09%3A00", "12%3A00", "Room+4")],
            "sessions[0][room]",
        ),
    ] {
        let res = admin
            .post("/fn/schedules/save_opening_hours", &hours_body(&rows))
            .await;
        assert_eq!(res.status, 422, "{rows:?}: {}", res.body);
        assert!(res.body.contains(field), "{rows:?}: {}", res.body);
    }
    assert_eq!(
        count(&t, "select count(*) from audit_events").await,
        written
    );
    assert_eq!(
        count(&t, "select count(*) from clinic_opening_hours").await,
        0
    );

    let res = admin
        .post(
            "/fn/schedules/save_opening_hours",
            &hours_body(&open_all_week),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule/settings?saved=hours",
        "{}",
        res.body
    );
    let shown = calendar(&mut admin).await;
    assert_eq!(shown.opening_hours.len(), 5);
    assert_eq!(
        (
            shown.opening_hours[0].starts.as_str(),
            shown.opening_hours[0].ends.as_str()
        ),
        ("10:00", "12:00")
    );
    // The doctors' 09:00–13:00 and 14:00–17:00, inside 10:00–12:00.
    let page = desk_times(&t, &mut desk, &day).await;
    let clocks: Vec<String> = page.slots.iter().map(|s| s.starts.clock()).collect();
    assert_eq!(
        clocks.first().map(String::as_str),
        Some("10:00"),
        "{clocks:?}"
    );
    assert_eq!(
        clocks.last().map(String::as_str),
        Some("11:45"),
        "{clocks:?}"
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where entity_type = 'clinic'
               and before_value->'opening_hours' = '[]'::jsonb
               and jsonb_array_length(after_value->'opening_hours') = 5"
        )
        .await,
        1
    );

    // Cleared: the doctors' own hours alone again.
    let res = admin
        .post("/fn/schedules/save_opening_hours", "slug=riverside")
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/schedule/settings?saved=hours"
    );
    assert!(calendar(&mut admin).await.opening_hours.is_empty());
    let page = desk_times(&t, &mut desk, &day).await;
    assert_eq!(page.slots[0].starts.clock(), "09:00");
}

/// The database holds the line for the other roles of the clinic, whatever
/// the app asks: they read the hours and holidays but change neither.
#[tokio::test]
async fn the_database_lets_only_the_admin_change_them() {
    use crate::appointments::Actor;
    use hms::domain::role::Role;
    let (t, _app) = common::demo_app().await;
    let desk = Actor::of(&t, "riverside", "reception", Role::Receptionist).await;
    let admin = Actor::of(&t, "riverside", "admin", Role::ClinicAdmin).await;
    let add_holiday = "insert into clinic_holidays (clinic_id, day, name)
                       values (app_clinic_id(), date '2099-12-25', 'Christmas')";
    let add_hours = "insert into clinic_opening_hours (clinic_id, weekday, opens, closes)
                     values (app_clinic_id(), 1, '09:00', '17:00')";
    for sql in [add_holiday, add_hours] {
        let mut tx = desk.begin(&t.pool).await;
        let refused = sqlx::query(sql).execute(&mut *tx).await;
        assert!(refused.is_err(), "{sql}");
    }
    let mut tx = admin.begin(&t.pool).await;
    for sql in [add_holiday, add_hours] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = desk.begin(&t.pool).await;
    for (sql, readable) in [
        ("select count(*) from clinic_holidays", 1i64),
        ("select count(*) from clinic_opening_hours", 1),
    ] {
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, readable, "{sql}");
    }
    for sql in [
        "update clinic_holidays set name = 'Boxing Day'",
        "delete from clinic_holidays",
        "update clinic_opening_hours set closes = '18:00'",
        "delete from clinic_opening_hours",
    ] {
        let changed = sqlx::query(sql)
            .execute(&mut *tx)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(changed, 0, "{sql}");
    }
}
