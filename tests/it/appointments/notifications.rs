//! The notification centre: the database tells a doctor of each booking,
//! move and cancellation of theirs made by someone else (and the front desk
//! of a patient's own cancellation), each person reads and marks only their
//! own, the bell counts them, and the person's own stream hears them live
//! while no one else's does.

use std::time::Duration as StdDuration;

use hms::domain::ids::{NotificationId, PatientId};
use hms::domain::notifications::{NotificationItem, NotificationKind};
use hms::domain::paging::PageRequest;
use hms::domain::session::ClinicFrame;
use hms::server::notifications;

use super::*;
use crate::events::{hears, open_live};

/// The person's notifications, newest first: (kind, by the patient, read).
async fn inbox(t: &TestDb, who: &Actor) -> Vec<NotificationItem> {
    let mut tx = who.begin(&t.pool).await;
    let page = notifications::page(&mut tx, &who.access.scope(), PageRequest::new(1, 50))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    page.items
}

fn kinds(items: &[NotificationItem]) -> Vec<(NotificationKind, bool, bool)> {
    items
        .iter()
        .map(|n| (n.kind, n.by_patient, n.read))
        .collect()
}

#[tokio::test]
async fn doctors_hear_of_changes_others_make_and_the_desk_of_a_patients_cancellation() {
    use NotificationKind::*;
    let s = setting(2).await;
    let patient = Actor::of(&s.t, "riverside", "patient", Role::Patient).await;
    let me = own_patient(&s.t).await;
    let other = patients(&s.t, "riverside", 1).await[0];
    // The desk books and moves: the doctor hears of both, the desk of neither.
    let first = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    let id = booked(
        book(
            &s.t,
            &s.desk,
            &booking(other, s.general, Some(s.doctor.id()), first),
        )
        .await,
    );
    let later = slot_ahead(&s.t, &s.desk, s.doctor.id(), 3).await;
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::reschedule(&mut tx, &s.desk.access, id, later, moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // The doctor's own booking and cancelling tells no one.
    let own = slot_ahead(&s.t, &s.doctor, s.doctor.id(), 5).await;
    let theirs = booked(
        book(
            &s.t,
            &s.doctor,
            &booking(
                other,
                s.general,
                Some(s.doctor.id()),
                own + Duration::days(1),
            ),
        )
        .await,
    );
    let mut tx = s.doctor.begin(&s.t.pool).await;
    appointments::cancel(&mut tx, &s.doctor.access, theirs, "Clinic closed", moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // The patient books and cancels in the portal: the doctor hears both,
    // the desk the cancellation (the time is free again).
    let mine = booked(
        book(
            &s.t,
            &patient,
            &booking(
                me,
                s.general,
                Some(s.doctor.id()),
                first + Duration::days(2),
            ),
        )
        .await,
    );
    let mut tx = patient.begin(&s.t.pool).await;
    appointments::cancel_own(
        &mut tx,
        &patient.access,
        PatientId::from(me),
        mine,
        "Feeling better",
        moment(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let doctor = inbox(&s.t, &s.doctor).await;
    assert_eq!(
        kinds(&doctor),
        [
            (Cancelled, true, false),
            (Booked, true, false),
            (Moved, false, false),
            (Booked, false, false),
        ]
    );
    assert!(doctor.iter().all(|n| n.appointment_id != theirs.as_uuid()));
    let desk_name: String = sqlx::query_scalar(
        "select display_name from users where email = 'reception@riverside.example'",
    )
    .fetch_one(&s.t.owner_pool)
    .await
    .unwrap();
    let moved = &doctor[2];
    assert_eq!(moved.previous.as_ref().map(|p| p.utc), Some(first));
    assert_eq!(moved.starts.utc, later);
    assert_eq!(moved.actor.as_deref(), Some(desk_name.as_str()));
    assert!(
        moved.headline().starts_with(&format!("{desk_name} moved ")),
        "{}",
        moved.headline()
    );
    assert_eq!(doctor[0].cancel_reason.as_deref(), Some("Feeling better"));
    assert!(
        doctor[0]
            .headline()
            .contains(" cancelled their appointment on "),
        "{}",
        doctor[0].headline()
    );
    let desk = inbox(&s.t, &s.desk).await;
    assert_eq!(kinds(&desk), [(Cancelled, true, false)]);
    assert!(inbox(&s.t, &s.admin).await.is_empty());
    assert!(inbox(&s.t, &patient).await.is_empty());

    // Marking read: one, then the rest; a notification stays read from the
    // first time, and another's is not found.
    let mut tx = s.doctor.begin(&s.t.pool).await;
    let scope = s.doctor.access.scope();
    assert_eq!(notifications::unread(&mut tx, &scope).await.unwrap(), 4);
    let last = NotificationId::from(doctor[3].id);
    notifications::mark_read(&mut tx, &scope, last)
        .await
        .unwrap();
    assert_eq!(notifications::unread(&mut tx, &scope).await.unwrap(), 3);
    let desks = NotificationId::from(desk[0].id);
    assert!(matches!(
        notifications::mark_read(&mut tx, &scope, desks).await,
        Err(AppError::NotFound)
    ));
    tx.commit().await.unwrap();
    let first_read: DateTime<Utc> =
        sqlx::query_scalar("select read_at from notifications where id = $1")
            .bind(last.as_uuid())
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    let mut tx = s.doctor.begin(&s.t.pool).await;
    assert_eq!(
        notifications::mark_all_read(&mut tx, &scope).await.unwrap(),
        3
    );
    notifications::mark_read(&mut tx, &scope, last)
        .await
        .unwrap();
    assert_eq!(notifications::unread(&mut tx, &scope).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let read_again: DateTime<Utc> =
        sqlx::query_scalar("select read_at from notifications where id = $1")
            .bind(last.as_uuid())
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    assert_eq!(read_again, first_read);
    assert_eq!(
        kinds(&inbox(&s.t, &s.desk).await),
        [(Cancelled, true, false)],
        "the desk's own stay unread"
    );

    // The application role writes only `read_at`, and only its own rows.
    for sql in [
        "insert into notifications (clinic_id, recipient_id, kind, appointment_id, starts_at, by_patient)
         select clinic_id, recipient_id, kind, appointment_id, starts_at, by_patient from notifications",
        "update notifications set recipient_id = app_user_id()",
        "delete from notifications",
    ] {
        let mut tx = s.desk.begin(&s.t.pool).await;
        let refused = sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("permission denied"),
            "{sql}: {refused}"
        );
    }
    let mut tx = s.desk.begin(&s.t.pool).await;
    let seen: i64 = sqlx::query_scalar("select count(*) from notifications")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 1, "the desk sees its own only");
}

async fn frame(b: &mut common::Browser) -> ClinicFrame {
    let res = b.post("/fn/frame/clinic_context", "slug=riverside").await;
    assert_eq!(res.status, 200, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

#[tokio::test]
async fn the_bell_counts_and_only_the_doctors_own_stream_hears_a_booking() {
    let (t, app) = common::demo_app().await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let mut patient = signed_in(&app, "patient@riverside.example").await;
    assert_eq!(frame(&mut doctor).await.unread_notifications, Some(0));
    assert_eq!(
        frame(&mut patient).await.unread_notifications,
        None,
        "patients are told by email"
    );
    let mut own = open_live(
        &app,
        "/live/riverside/notifications",
        doctor.cookie.as_deref(),
    )
    .await;
    assert_eq!(own.status(), 200);
    assert!(hears(&mut own, "resync", StdDuration::from_secs(5)).await);
    let mut desks = open_live(
        &app,
        "/live/riverside/notifications",
        desk.cookie.as_deref(),
    )
    .await;
    let mut clinic = open_live(&app, "/live/riverside", desk.cookie.as_deref()).await;
    // Subscribed once the handler answers; the listener is already up.
    assert_eq!(
        (desks.status().as_u16(), clinic.status().as_u16()),
        (200, 200)
    );

    let day = next_weekday(&t).await;
    let res = book_online(&t, &mut patient, &day).await;
    assert!(
        res.header("location").contains("booked"),
        "{}: {}",
        res.status,
        res.body
    );
    assert!(
        hears(&mut own, "notifications:", StdDuration::from_secs(2)).await,
        "the doctor's stream hears of the booking"
    );
    assert!(!hears(&mut desks, "notifications:", StdDuration::from_millis(300)).await);
    assert!(
        !hears(&mut clinic, "notifications:", StdDuration::from_millis(300)).await,
        "the clinic's stream carries no one's own topics"
    );
    assert_eq!(frame(&mut doctor).await.unread_notifications, Some(1));
    let page = doctor.get("/c/riverside/doctor").await;
    assert!(
        page.body.contains("Notifications, 1 unread"),
        "the bell in the header"
    );

    let res = doctor
        .post(
            "/fn/notifications/my_notifications",
            "slug=riverside&page=1",
        )
        .await;
    let list: hms::app::notifications::NotificationList = serde_json::from_str(&res.body).unwrap();
    assert_eq!((list.unread, list.page.items.len()), (1, 1));
    let n = &list.page.items[0];
    assert!(
        n.headline().contains(" booked an appointment for "),
        "{}",
        n.headline()
    );
    let page = doctor.get("/c/riverside/notifications").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mark all as read"));

    // Bad and others' ids: not found, nothing marked.
    let res = desk
        .post(
            "/fn/notifications/mark_notification_read",
            &format!("slug=riverside&id={}&page=1", n.id),
        )
        .await;
    assert_eq!(res.status, 404, "another's: {}", res.body);
    for body in [
        "slug=riverside&id=not-an-id&page=1".to_string(),
        format!("slug=riverside&id={}&page=1", n.appointment_id),
        format!("slug=hilltop&id={}&page=1", n.id),
    ] {
        let res = doctor
            .post("/fn/notifications/mark_notification_read", &body)
            .await;
        assert_eq!(res.status, 404, "{body}: {}", res.body);
    }
    assert_eq!(
        count(
            &t,
            "select count(*) from notifications where read_at is not null"
        )
        .await,
        0
    );
    let res = doctor
        .post(
            "/fn/notifications/mark_notification_read",
            &format!("slug=riverside&id={}&page=2", n.id),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/notifications?page=2",
        "{}",
        res.body
    );
    assert!(
        hears(&mut own, "notifications:", StdDuration::from_secs(2)).await,
        "reading it is heard on the doctor's other pages"
    );
    assert_eq!(frame(&mut doctor).await.unread_notifications, Some(0));
    let anonymous = common::Browser::new(&app)
        .post(
            "/fn/notifications/my_notifications",
            "slug=riverside&page=1",
        )
        .await;
    assert_eq!(anonymous.status, 401);
}
