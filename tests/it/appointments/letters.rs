//! The patient's letters about an appointment, through the same functions
//! the pages call: one when it is booked, moved or cancelled (each with a
//! calendar its SEQUENCE orders), none for what fails; and the reminders,
//! 24 hours and 2 hours before, each exactly once, even with two sweeps at
//! once, again for a moved appointment, and never for a time the patient
//! was only just given.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::{TestDb, count, scope_token};
use hms::domain::ids::AppointmentId;
use hms::server::appointments::{self, Booked, reminders};
use uuid::Uuid;

use super::{Setting, book, booked, booking, moment, patients, setting, slot_ahead};

/// The desk books `patient` with Riverside's doctor at `at`.
async fn desk_books(s: &Setting, patient: Uuid, at: DateTime<Utc>) -> AppointmentId {
    booked(
        book(
            &s.t,
            &s.desk,
            &booking(patient, s.general, Some(s.doctor.id()), at),
        )
        .await,
    )
}

async fn give_email(t: &TestDb, patient: Uuid, email: Option<&str>) {
    sqlx::query("update patients set email = $2 where id = $1")
        .bind(patient)
        .bind(email)
        .execute(&t.owner_pool)
        .await
        .unwrap();
}

/// The letters written about `id`: (kind, subject, calendar), oldest first.
async fn letters(t: &TestDb, id: AppointmentId) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "select kind, subject, calendar from outbox_emails
         where idempotency_key like 'appointment:' || $1 || ':%' order by id",
    )
    .bind(id.as_uuid().to_string())
    .fetch_all(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn booking_moving_and_cancelling_each_write_to_the_patient_once_with_a_calendar() {
    let s = setting(2).await;
    let p = patients(&s.t, "riverside", 2).await;
    give_email(&s.t, p[0], Some("asha@mail.example")).await;
    give_email(&s.t, p[1], None).await;
    let first = slot_ahead(&s.t, &s.desk, s.doctor.id(), 3).await;
    let id = desk_books(&s, p[0], first).await;
    let written = letters(&s.t, id).await;
    assert_eq!(written.len(), 1);
    let (kind, subject, calendar) = &written[0];
    assert_eq!(kind, "appointment_booked");
    assert!(subject.starts_with("Your appointment at "), "{subject}");
    let ics = calendar.as_deref().unwrap();
    assert!(
        ics.contains(&format!("DTSTART:{}", first.format("%Y%m%dT%H%M%SZ"))),
        "{ics}"
    );
    assert!(ics.contains("SEQUENCE:0") && ics.contains("STATUS:CONFIRMED"));
    assert!(ics.contains(&format!("UID:appointment-{}@hms", id.as_uuid())));
    // Nobody else's: without an address, the other patient's booking
    // writes nothing.
    let other = desk_books(&s, p[1], first + Duration::minutes(15)).await;
    assert!(letters(&s.t, other).await.is_empty());

    // A move onto a taken time writes nothing; a move writes the new time
    // with the next SEQUENCE.
    let mut tx = s.desk.begin(&s.t.pool).await;
    let out = appointments::reschedule(
        &mut tx,
        &s.desk.access,
        id,
        first + Duration::minutes(15),
        moment(),
    )
    .await;
    assert!(matches!(out, Ok(Booked::Taken { .. })), "{out:?}");
    drop(tx);
    assert_eq!(letters(&s.t, id).await.len(), 1);
    let later = first + Duration::hours(1);
    let mut tx = s.desk.begin(&s.t.pool).await;
    let moved = appointments::reschedule(&mut tx, &s.desk.access, id, later, moment()).await;
    assert!(matches!(moved, Ok(Booked::Booked(_))), "{moved:?}");
    tx.commit().await.unwrap();
    let written = letters(&s.t, id).await;
    assert_eq!(written.len(), 2);
    assert_eq!(written[1].0, "appointment_moved");
    let ics = written[1].2.as_deref().unwrap();
    assert!(
        ics.contains(&format!("DTSTART:{}", later.format("%Y%m%dT%H%M%SZ"))),
        "{ics}"
    );
    assert!(ics.contains("SEQUENCE:1"), "{ics}");

    // Cancelling writes once; cancelling again is refused and writes
    // nothing.
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::cancel(&mut tx, &s.desk.access, id, "Patient travelling", moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let written = letters(&s.t, id).await;
    assert_eq!(written.len(), 3);
    assert_eq!(written[2].0, "appointment_cancelled");
    let ics = written[2].2.as_deref().unwrap();
    assert!(
        ics.contains("SEQUENCE:2") && ics.contains("STATUS:CANCELLED"),
        "{ics}"
    );
    let mut tx = s.desk.begin(&s.t.pool).await;
    assert!(
        appointments::cancel(&mut tx, &s.desk.access, id, "Twice", moment())
            .await
            .is_err()
    );
    drop(tx);
    assert_eq!(letters(&s.t, id).await.len(), 3);
    // Nothing clinical in what is emailed: not the reason, doctor or
    // department.
    let bodies: Vec<String> = sqlx::query_scalar(
        "select body_text || body_html || subject || coalesce(calendar, '') from outbox_emails",
    )
    .fetch_all(&s.t.owner_pool)
    .await
    .unwrap();
    for b in bodies {
        for secret in ["Blood pressure", "General Medicine", "Dr "] {
            assert!(!b.contains(secret), "{secret:?} in {b}");
        }
    }
    // The revision is the database's: an update naming it is overruled.
    sqlx::query("update appointments set revision = 7 where id = $1")
        .bind(id.as_uuid())
        .execute(&s.t.owner_pool)
        .await
        .unwrap();
    let revision: i32 = sqlx::query_scalar("select revision from appointments where id = $1")
        .bind(id.as_uuid())
        .fetch_one(&s.t.owner_pool)
        .await
        .unwrap();
    assert_eq!(revision, 2);
}

async fn sweep(t: &TestDb, now: DateTime<Utc>) -> reminders::ReminderReport {
    reminders::sweep(&t.pool, &scope_token(), "https://hms.example", now)
        .await
        .unwrap()
}

/// The reminder letters about `id`, by kind in the outbox.
async fn reminded(t: &TestDb, id: AppointmentId) -> Vec<String> {
    sqlx::query_scalar(
        "select split_part(idempotency_key, ':', 3) from outbox_emails
         where idempotency_key like 'appointment:' || $1 || ':%'
           and kind = 'appointment_reminder' order by id",
    )
    .bind(id.as_uuid().to_string())
    .fetch_all(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_reminder_goes_once_even_with_two_sweeps_at_once_and_again_after_a_move() {
    let s = setting(3).await;
    let p = patients(&s.t, "riverside", 3).await;
    for patient in &p {
        give_email(&s.t, *patient, Some("patient@mail.example")).await;
    }
    let starts = slot_ahead(&s.t, &s.desk, s.doctor.id(), 3).await;
    let id = desk_books(&s, p[0], starts).await;
    // A cancelled one is never reminded.
    let gone = desk_books(&s, p[1], starts + Duration::minutes(15)).await;
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::cancel(&mut tx, &s.desk.access, gone, "Travelling", moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // 25 hours before: nothing is due yet.
    assert_eq!(sweep(&s.t, starts - Duration::hours(25)).await.reminders, 0);
    // 23 hours before, two sweeps at once: one reminder, one email.
    let now = starts - Duration::hours(23);
    let (a, b) = tokio::join!(sweep(&s.t, now), sweep(&s.t, now));
    assert_eq!(a.emails + b.emails, 1, "{a:?} {b:?}");
    assert_eq!(reminded(&s.t, id).await, ["day_before"]);
    // Run again: nothing more.
    assert_eq!(sweep(&s.t, now + Duration::minutes(5)).await.reminders, 0);
    // Two hours before: the second, once.
    assert_eq!(sweep(&s.t, starts - Duration::minutes(110)).await.emails, 1);
    assert_eq!(sweep(&s.t, starts - Duration::minutes(100)).await.emails, 0);
    assert_eq!(reminded(&s.t, id).await, ["day_before", "two_hours"]);
    assert!(reminded(&s.t, gone).await.is_empty());
    assert_eq!(
        count(&s.t, "select count(*) from appointment_reminders").await,
        2
    );

    // Moved a day later: reminded again for the new time.
    let moved_to = starts + Duration::days(1);
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::reschedule(&mut tx, &s.desk.access, id, moved_to, moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sweep(&s.t, moved_to - Duration::hours(23)).await.emails, 1);
    assert_eq!(
        reminded(&s.t, id).await,
        ["day_before", "two_hours", "day_before"]
    );
    let subjects: Vec<String> = sqlx::query_scalar(
        "select subject from outbox_emails where kind = 'appointment_reminder' order by id",
    )
    .fetch_all(&s.t.owner_pool)
    .await
    .unwrap();
    assert!(
        subjects
            .iter()
            .all(|s| s.starts_with("Reminder: your appointment at "))
    );
}

#[tokio::test]
async fn a_time_given_inside_a_window_is_not_reminded_in_it_and_a_late_sweep_sends_one() {
    let s = setting(2).await;
    let p = patients(&s.t, "riverside", 2).await;
    for patient in &p {
        give_email(&s.t, *patient, Some("patient@mail.example")).await;
    }
    // Booked now for ten hours ahead: the confirmation is the day-before
    // letter; the two-hour reminder still goes.
    let soon = {
        let mut tx = s.desk.begin(&s.t.pool).await;
        let from = Utc::now() + Duration::hours(10);
        hms::server::schedules::next_free_slots(&mut tx, s.doctor.id(), from, 3, 1)
            .await
            .unwrap()[0]
            .span
            .starts
    };
    let near = desk_books(&s, p[0], soon).await;
    assert_eq!(sweep(&s.t, Utc::now()).await.reminders, 0);
    assert_eq!(sweep(&s.t, soon - Duration::minutes(90)).await.emails, 1);
    assert_eq!(reminded(&s.t, near).await, ["two_hours"]);

    // Booked days ahead but first swept an hour before (the server was
    // down): only the two-hour reminder, not both.
    let far = slot_ahead(&s.t, &s.desk, s.doctor.id(), 4).await;
    let late = desk_books(&s, p[1], far).await;
    assert_eq!(sweep(&s.t, far - Duration::hours(1)).await.emails, 1);
    assert_eq!(reminded(&s.t, late).await, ["two_hours"]);
    // After the start: nothing.
    assert_eq!(sweep(&s.t, far + Duration::minutes(1)).await.reminders, 0);
}
