//! No-show metrics: the admin's report over a period, per doctor and per
//! patient, and the dashboard's rate, counted from the appointments as
//! they ended (cancelled and still-booked ones are not due), within the
//! clinic only, for its admin only.

use chrono::{Duration, NaiveDate, Utc};
use hms::domain::no_show_metrics::{NoShowCard, NoShowReport, NoShowView};
use uuid::Uuid;

use crate::appointments::{patients, signed_in};
use crate::common::{self, TestDb, count};

/// Appointments that happened, as an import would load them (the
/// lifecycle's triggers are off: a no-show is otherwise the sweep's):
/// each (clinic, doctor's email, patient, days ago, status).
async fn history(t: &TestDb, rows: &[(&str, &str, Uuid, i64, &str)]) {
    let mut owner = t.owner_pool.begin().await.unwrap();
    sqlx::query("alter table appointments disable trigger user")
        .execute(&mut *owner)
        .await
        .unwrap();
    for (n, (slug, doctor, patient, days_ago, status)) in rows.iter().enumerate() {
        // Each at its own minute, so no two overlap.
        let at = Utc::now() - Duration::days(*days_ago) - Duration::minutes(30 * n as i64 + 60);
        sqlx::query(
            "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id,
                                       during, appointment_type, reason, booked_by, status,
                                       cancel_reason, cancelled_by)
             select c.id, $3, m.department_id, m.user_id,
                    tstzrange($4, $4 + interval '15 minutes'), 'routine', '', m.user_id, $5,
                    case when $5 = 'cancelled' then 'Called off' end,
                    case when $5 = 'cancelled' then m.user_id end
             from clinics c join memberships m on m.clinic_id = c.id
             join users u on u.id = m.user_id
             where c.slug = $1 and u.email = $2",
        )
        .bind(slug)
        .bind(doctor)
        .bind(patient)
        .bind(at)
        .bind(status)
        .execute(&mut *owner)
        .await
        .unwrap();
    }
    sqlx::query("alter table appointments enable trigger user")
        .execute(&mut *owner)
        .await
        .unwrap();
    owner.commit().await.unwrap();
}

async fn report(b: &mut common::Browser, query: &str) -> (u16, Option<NoShowReport>, String) {
    let res = b
        .post(
            "/fn/no_show_metrics/no_show_figures",
            &format!("slug=riverside&{query}"),
        )
        .await;
    (res.status, serde_json::from_str(&res.body).ok(), res.body)
}

const HART: &str = "doctor@riverside.example";
const GP2: &str = "gp2@riverside.example";

#[tokio::test]
async fn the_admin_sees_no_shows_by_doctor_and_patient_over_a_period() {
    let (t, app) = common::demo_app().await;
    let p = patients(&t, "riverside", 3).await;
    let theirs = patients(&t, "hilltop", 1).await[0];
    history(
        &t,
        &[
            ("riverside", HART, p[0], 2, "completed"),
            ("riverside", HART, p[1], 3, "completed"),
            ("riverside", HART, p[0], 4, "no_show"),
            ("riverside", HART, p[2], 5, "cancelled"),
            ("riverside", GP2, p[0], 6, "no_show"),
            ("riverside", GP2, p[1], 7, "no_show"),
            ("riverside", GP2, p[2], 8, "completed"),
            ("riverside", GP2, p[2], 9, "checked_in"),
            // Before the last 30 days, and another clinic's.
            ("riverside", HART, p[2], 40, "no_show"),
            ("hilltop", "doctor@hilltop.example", theirs, 3, "no_show"),
        ],
    )
    .await;
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let (status, r, body) = report(&mut admin, "from=&to=&view=&page=1").await;
    assert_eq!(status, 200, "{body}");
    let r = r.unwrap();
    assert_eq!(r.period.days(), 30);
    assert_eq!(r.period.to, r.today);
    assert_eq!((r.clinic.due, r.clinic.missed), (7, 3));
    assert_eq!(r.clinic.percent(), "42.9%");
    assert_eq!(r.view, NoShowView::Doctors);
    let doctors: Vec<(String, i64, i64)> = r
        .doctors
        .items
        .iter()
        .map(|d| (d.doctor.clone(), d.rate.due, d.rate.missed))
        .collect();
    assert_eq!((doctors[0].1, doctors[0].2), (4, 2), "{doctors:?}");
    assert_ne!(doctors[0].0, "Dr Amelia Hart");
    assert_eq!(
        (doctors[1].0.as_str(), doctors[1].1, doctors[1].2),
        ("Dr Amelia Hart", 3, 1)
    );
    assert_eq!(r.doctors.total, 2);
    // By patient: the most missed first, with the last day missed.
    let (_, r, _) = report(&mut admin, "from=&to=&view=patients&page=1").await;
    let r = r.unwrap();
    let patients: Vec<(Uuid, i64)> = r
        .patients
        .items
        .iter()
        .map(|p| (p.patient_id, p.missed))
        .collect();
    assert_eq!(patients, [(p[0], 2), (p[1], 1)]);
    assert!(r.patients.items.iter().all(|p| !p.booking_paused));
    assert!(r.doctors.items.is_empty());
    // A longer period takes in the older no-show.
    let from = (r.today - Duration::days(44)).to_string();
    let today = r.today;
    let (_, r, _) = report(
        &mut admin,
        &format!("from={from}&to={today}&view=patients&page=1"),
    )
    .await;
    let r = r.unwrap();
    assert_eq!(r.period.from.to_string(), from);
    assert_eq!((r.clinic.due, r.clinic.missed), (8, 4));
    assert!(
        r.patients
            .items
            .iter()
            .any(|x| x.patient_id == p[2] && x.missed == 1)
    );
    // A start alone counts the thirty days from it.
    let (_, r, _) = report(&mut admin, &format!("from={from}&to=&view=&page=1")).await;
    let r = r.unwrap();
    assert_eq!(r.period.days(), 30);
    assert_eq!((r.clinic.due, r.clinic.missed), (1, 1));
    // The dashboard's card: the last 30 days.
    let res = admin
        .post("/fn/no_show_metrics/no_show_rate_card", "slug=riverside")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let card: NoShowCard = serde_json::from_str(&res.body).unwrap();
    assert_eq!((card.rate.due, card.rate.missed), (7, 3));
}

#[tokio::test]
async fn bad_periods_are_refused_by_field_and_only_the_admin_reads_the_report() {
    let (t, app) = common::demo_app().await;
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let today: NaiveDate = sqlx::query_scalar(
        "select (now() at time zone timezone)::date from clinics where slug = 'riverside'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let tomorrow = today + Duration::days(1);
    for (query, field) in [
        ("from=last+month&to=", "from"),
        (&format!("from=&to={tomorrow}") as &str, "to"),
        (
            &format!("from={today}&to={}", today - Duration::days(3)),
            "from",
        ),
        (
            &format!("from={}&to={today}", today - Duration::days(400)),
            "from",
        ),
        ("from=2026-02-30&to=", "from"),
    ] {
        let (status, _, body) = report(&mut admin, &format!("{query}&view=&page=1")).await;
        assert_eq!(status, 422, "{query}: {body}");
        let e: hms::domain::AppError = serde_json::from_str(&body).unwrap();
        assert!(e.field_message(field).is_some(), "{query}: {body}");
    }
    let events = count(
        &t,
        "select count(*) from audit_events where action <> 'LOGIN'",
    )
    .await;
    for who in [
        "reception@riverside.example",
        "doctor@riverside.example",
        "hod@riverside.example",
        "nurse@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = signed_in(&app, who).await;
        let (status, _, body) = report(&mut b, "from=&to=&view=&page=1").await;
        assert_eq!(status, 403, "{who}: {body}");
        let res = b
            .post("/fn/no_show_metrics/no_show_rate_card", "slug=riverside")
            .await;
        assert_eq!(res.status, 403, "{who}");
    }
    // Each refusal is on the trail; nothing else was written.
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action <> 'LOGIN'"
        )
        .await,
        events + 10
    );
    // Another clinic's admin does not reach Riverside's.
    let mut theirs = signed_in(&app, "admin@hilltop.example").await;
    let (status, _, _) = report(&mut theirs, "from=&to=&view=&page=1").await;
    assert_eq!(status, 404);
}
