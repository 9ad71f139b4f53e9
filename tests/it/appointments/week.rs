//! The week calendar: the clinic's appointments Monday to Sunday, each on
//! its local day, filtered by department and doctor, without the
//! cancelled ones (their time is free), for the staff who see the day.

use hms::domain::appointments::AppointmentWeek;

use super::*;

async fn week(b: &mut common::Browser, query: &str) -> (u16, Option<AppointmentWeek>) {
    let res = b
        .post(
            "/fn/appointments/appointments_of_week",
            &format!("slug=riverside&{query}"),
        )
        .await;
    (res.status, serde_json::from_str(&res.body).ok())
}

#[tokio::test]
async fn the_desk_sees_the_week_by_local_day_filtered_and_without_cancellations() {
    let (t, app) = common::demo_app().await;
    let people = patients(&t, "riverside", 3).await;
    let base = minutes_to_tomorrow_at(10);
    let ids = loaded(
        &t,
        &[
            (people[0], base),
            (people[1], base + 30),
            (people[2], base + 60),
        ],
        "routine",
        "",
    )
    .await;
    called_off(&t, ids[2]).await;
    let (day, doctor): (NaiveDate, Uuid) = sqlx::query_as(
        "select (lower(during) at time zone 'Europe/London')::date, doctor_user_id
         from appointments where id = $1",
    )
    .bind(ids[0])
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let (status, w) = week(&mut desk, &format!("day={day}&department=&doctor=")).await;
    assert_eq!(status, 200);
    let w = w.unwrap();
    assert_eq!(w.days.len(), 7);
    assert_eq!(w.monday, hms::domain::appointments::monday_of(day));
    assert!(
        w.days
            .windows(2)
            .all(|p| p[1].day == p[0].day + Duration::days(1))
    );
    let that = w.days.iter().find(|d| d.day == day).unwrap();
    let shown: Vec<Uuid> = that.appointments.iter().map(|a| a.id).collect();
    assert!(
        shown.contains(&ids[0]) && !shown.contains(&ids[2]),
        "{shown:?}"
    );
    assert!(
        that.appointments
            .windows(2)
            .all(|p| p[0].starts.utc <= p[1].starts.utc)
    );
    assert_eq!(that.total, that.appointments.len() as i64);
    assert!(
        that.appointments
            .iter()
            .all(|a| a.starts.local_date() == day)
    );
    assert_eq!(
        w.days.iter().map(|d| d.total).sum::<i64>(),
        count(
            &t,
            &format!(
                "select count(*) from appointments a join clinics c on c.id = a.clinic_id
                 where c.slug = 'riverside' and a.status <> 'cancelled'
                   and (lower(a.during) at time zone c.timezone)::date
                       between '{}' and '{}'",
                w.monday,
                w.monday + Duration::days(6)
            )
        )
        .await
    );
    // Filtered to another doctor: none of these.
    let other: Uuid =
        sqlx::query_scalar("select id from users where email = 'gp2@riverside.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let (_, w) = week(&mut desk, &format!("day={day}&department=&doctor={other}")).await;
    assert!(
        w.unwrap()
            .days
            .iter()
            .all(|d| d.appointments.iter().all(|a| a.doctor_user_id == other))
    );
    let (_, w) = week(&mut desk, &format!("day={day}&department=&doctor={doctor}")).await;
    let that = w.unwrap().days.into_iter().find(|d| d.day == day).unwrap();
    assert_eq!(that.appointments.len(), 2);
    // A malformed day is this week; patients have no clinic calendar.
    let (status, w) = week(&mut desk, "day=next+tuesday&department=x&doctor=y").await;
    assert_eq!(status, 200);
    let w = w.unwrap();
    assert_eq!(w.monday, hms::domain::appointments::monday_of(w.today));
    assert_eq!((w.department_id, w.doctor_user_id), (None, None));
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    assert_eq!(week(&mut patient, "day=&department=&doctor=").await.0, 403);
}
