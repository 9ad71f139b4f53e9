//! Follow-ups: a doctor (or the desk) asks for a patient to be seen again
//! by a date; the desk books it with an appointment, and from then on the
//! database moves it with that appointment: completed with the visit,
//! missed on a no-show, pending again when the appointment is cancelled.
//! The desk marks a due one missed. Bad input writes nothing.

use hms::domain::follow_ups::{
    FollowUpInput, FollowUpItem, FollowUpStatus, FollowUpView, NewFollowUp, parse_follow_up,
};
use hms::domain::ids::{FollowUpId, PatientId, VisitId};
use hms::domain::paging::PageRequest;
use hms::domain::visits::VisitStatus;
use hms::server::appointments::no_shows;
use hms::server::follow_ups;
use hms::server::visits::{self, Mover};

use super::*;

fn new_follow_up(department: Uuid, doctor: Option<Uuid>, due_in: i64) -> NewFollowUp {
    NewFollowUp {
        department_id: department,
        doctor_user_id: doctor,
        // Riverside's today.
        due_on: Utc::now()
            .with_timezone(&chrono_tz::Europe::London)
            .date_naive()
            + Duration::days(due_in),
        reason: "Review blood pressure".into(),
    }
}

async fn add(t: &TestDb, who: &Actor, patient: Uuid, f: &NewFollowUp) -> Result<Uuid, AppError> {
    let mut tx = who.begin(&t.pool).await;
    let out = follow_ups::add(&mut tx, &who.access, PatientId::from(patient), f).await;
    if out.is_ok() {
        tx.commit().await.unwrap();
    }
    out.map(|id| id.as_uuid())
}

async fn follow_up_status(t: &TestDb, id: Uuid) -> (String, Option<Uuid>) {
    sqlx::query_as("select status, appointment_id from follow_ups where id = $1")
        .bind(id)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

async fn listed(t: &TestDb, who: &Actor, view: FollowUpView) -> Vec<FollowUpItem> {
    let mut tx = who.begin(&t.pool).await;
    let page = follow_ups::list(&mut tx, view, PageRequest::new(1, 50))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    page.items
}

/// The desk links a follow-up to an appointment already in the book (as
/// booking from it does), in one transaction.
async fn book_with(t: &TestDb, desk: &Actor, follow_up: Uuid, patient: Uuid, appointment: Uuid) {
    let mut tx = desk.begin(&t.pool).await;
    follow_ups::book_with(&mut tx, &desk.access, follow_up, patient, appointment)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_database_holds_the_follow_up_lifecycle_as_the_domain_states_it() {
    let t = common::test_db().await;
    for &from in FollowUpStatus::ALL {
        for &to in FollowUpStatus::ALL {
            let allowed: bool = sqlx::query_scalar("select follow_up_transition_allowed($1, $2)")
                .bind(from.as_str())
                .bind(to.as_str())
                .fetch_one(&t.pool)
                .await
                .unwrap();
            assert_eq!(allowed, from.can_become(to), "{from:?} -> {to:?}");
        }
    }
}

#[tokio::test]
async fn booking_from_a_follow_up_books_it_and_a_cancellation_puts_it_back_to_book() {
    let s = setting(2).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let id = add(
        &s.t,
        &s.doctor,
        p,
        &new_follow_up(s.general, Some(s.doctor.id()), 3),
    )
    .await
    .unwrap();
    assert_eq!(follow_up_status(&s.t, id).await, ("pending".into(), None));
    let pending = listed(&s.t, &s.desk, FollowUpView::ToBook).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].asked_by, "Dr Amelia Hart");
    assert_eq!(pending[0].doctor.as_deref(), Some("Dr Amelia Hart"));

    let at = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    let mut b = booking(p, s.general, Some(s.doctor.id()), at);
    b.follow_up_id = Some(id);
    let appointment = booked(book(&s.t, &s.desk, &b).await);
    assert_eq!(
        follow_up_status(&s.t, id).await,
        ("booked".into(), Some(appointment.as_uuid()))
    );
    let booked_list = listed(&s.t, &s.desk, FollowUpView::Status(FollowUpStatus::Booked)).await;
    assert_eq!(booked_list[0].appointment_starts.as_ref().unwrap().utc, at);
    assert!(listed(&s.t, &s.desk, FollowUpView::ToBook).await.is_empty());

    // A second booking from the same follow-up books nothing at all.
    let later = slot_ahead(&s.t, &s.desk, s.doctor.id(), 4).await;
    let mut again = booking(p, s.general, Some(s.doctor.id()), later);
    again.follow_up_id = Some(id);
    assert_eq!(field(&book(&s.t, &s.desk, &again).await).0, "form");
    assert_eq!(count(&s.t, "select count(*) from appointments").await, 1);

    // Cancelled: the follow-up is to book again, and can be.
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::cancel(&mut tx, &s.desk.access, appointment, "Unwell", moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(follow_up_status(&s.t, id).await, ("pending".into(), None));
    let rebooked = booked(book(&s.t, &s.desk, &again).await);
    assert_eq!(
        follow_up_status(&s.t, id).await,
        ("booked".into(), Some(rebooked.as_uuid()))
    );
    assert_eq!(
        count(
            &s.t,
            "select count(*) from audit_events where entity_type = 'follow_up'"
        )
        .await,
        3,
        "added, booked, booked again"
    );
    // The audit log names the follow-up's patient.
    assert_eq!(
        count(
            &s.t,
            &format!(
                "select count(*) from audit_events where entity_type = 'follow_up'
                 and audit_event_patient_id(entity_type, entity_id) = '{p}'"
            )
        )
        .await,
        3
    );
}

#[tokio::test]
async fn a_follow_up_is_completed_with_the_visit_and_missed_on_a_no_show() {
    let s = setting(3).await;
    let ps = patients(&s.t, "riverside", 2).await;
    // One appointment now (to be seen), one that ended an hour ago.
    let ids = loaded(&s.t, &[(ps[0], 0), (ps[1], -90)], "follow_up", "Review").await;
    let seen = add(&s.t, &s.desk, ps[0], &new_follow_up(s.general, None, 0))
        .await
        .unwrap();
    let absent = add(&s.t, &s.desk, ps[1], &new_follow_up(s.general, None, 0))
        .await
        .unwrap();
    book_with(&s.t, &s.desk, seen, ps[0], ids[0]).await;
    book_with(&s.t, &s.desk, absent, ps[1], ids[1]).await;

    // Checked in, called, seen, completed: the appointment and the
    // follow-up complete with the visit.
    let mut tx = s.desk.begin(&s.t.pool).await;
    let (visit, _) = appointments::check_in(&mut tx, &s.desk.access, AppointmentId::from(ids[0]))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(follow_up_status(&s.t, seen).await.0, "booked");
    let doctor = Mover::Doctor {
        department_id: Some(s.general),
    };
    for to in [
        VisitStatus::Called,
        VisitStatus::InConsultation,
        VisitStatus::Completed,
    ] {
        let mut tx = s.doctor.begin(&s.t.pool).await;
        visits::move_to(
            &mut tx,
            &s.doctor.access,
            &doctor,
            VisitId::from(visit.as_uuid()),
            to,
        )
        .await
        .unwrap()
        .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(status(&s.t, AppointmentId::from(ids[0])).await, "completed");
    assert_eq!(
        follow_up_status(&s.t, seen).await,
        ("completed".into(), Some(ids[0]))
    );

    // The sweep marks the other a no-show, and its follow-up missed.
    let report = no_shows::sweep(
        &s.t.pool,
        &common::scope_token(),
        "https://hms.example",
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(report.no_shows, 1);
    assert_eq!(
        follow_up_status(&s.t, absent).await,
        ("missed".into(), Some(ids[1]))
    );
}

#[tokio::test]
async fn the_desk_marks_a_due_follow_up_missed_but_not_one_still_ahead_or_booked() {
    let s = setting(3).await;
    let ps = patients(&s.t, "riverside", 3).await;
    let due = add(&s.t, &s.doctor, ps[0], &new_follow_up(s.general, None, 0))
        .await
        .unwrap();
    let ahead = add(&s.t, &s.doctor, ps[1], &new_follow_up(s.general, None, 5))
        .await
        .unwrap();
    let mark = |id: Uuid| {
        let (t, desk) = (&s.t, &s.desk);
        async move {
            let mut tx = desk.begin(&t.pool).await;
            let out = follow_ups::mark_missed(&mut tx, &desk.access, FollowUpId::from(id)).await;
            if out.is_ok() {
                tx.commit().await.unwrap();
            }
            out
        }
    };
    assert_eq!(mark(due).await.unwrap().as_uuid(), ps[0]);
    assert_eq!(follow_up_status(&s.t, due).await.0, "missed");
    let form_error = |out: Result<PatientId, AppError>| match out {
        Err(AppError::Validation(f)) => f[0].field.clone(),
        other => panic!("not refused by its form: {other:?}"),
    };
    assert_eq!(form_error(mark(ahead).await), "form");
    assert_eq!(form_error(mark(due).await), "form", "already missed");
    assert!(matches!(
        mark(Uuid::now_v7()).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(follow_up_status(&s.t, ahead).await.0, "pending");
    assert_eq!(
        count(
            &s.t,
            "select count(*) from audit_events where entity_type = 'follow_up'
             and action = 'UPDATE'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn bad_follow_ups_are_refused_by_their_fields_and_write_nothing() {
    let s = setting(2).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let hilltop_patient = patients(&s.t, "hilltop", 1).await[0];
    let cardio = department(&s.t, "riverside", "CARD").await;
    let hilltop_general = department(&s.t, "hilltop", "GEN").await;
    let field_of = |out: Result<Uuid, AppError>| match out {
        Err(AppError::Validation(f)) => f[0].field.clone(),
        other => panic!("not a field error: {other:?}"),
    };
    // A doctor who does not see patients in the department.
    let out = add(
        &s.t,
        &s.desk,
        p,
        &new_follow_up(cardio, Some(s.doctor.id()), 3),
    )
    .await;
    assert_eq!(field_of(out), "doctor");
    // Another clinic's department, or patient.
    let out = add(&s.t, &s.desk, p, &new_follow_up(hilltop_general, None, 3)).await;
    assert_eq!(field_of(out), "department");
    let out = add(
        &s.t,
        &s.desk,
        hilltop_patient,
        &new_follow_up(s.general, None, 3),
    )
    .await;
    assert!(matches!(out, Err(AppError::NotFound)), "{out:?}");
    // Past the domain's checks, the database still refuses the past and
    // more than two years ahead.
    let out = add(&s.t, &s.desk, p, &new_follow_up(s.general, None, -2)).await;
    assert_eq!(field_of(out), "due_on");
    let out = add(&s.t, &s.desk, p, &new_follow_up(s.general, None, 800)).await;
    assert_eq!(field_of(out), "due_on");
    // What the form sends, checked before anything is written.
    let today = s.desk.access.membership.today;
    let typed = FollowUpInput {
        department: s.general.to_string(),
        doctor: String::new(),
        due_on: "2026-02-30".into(),
        reason: "x".repeat(501),
    };
    assert!(matches!(
        parse_follow_up(&typed, today),
        Err(AppError::Validation(f)) if f.len() == 2
    ));
    assert_eq!(count(&s.t, "select count(*) from follow_ups").await, 0);
    assert_eq!(
        count(
            &s.t,
            "select count(*) from audit_events where entity_type = 'follow_up'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_app_cannot_rewrite_a_follow_up_or_move_a_booked_one_itself() {
    let s = setting(2).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let id = add(&s.t, &s.doctor, p, &new_follow_up(s.general, None, 1))
        .await
        .unwrap();
    let at = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    let mut b = booking(p, s.general, Some(s.doctor.id()), at);
    b.follow_up_id = Some(id);
    booked(book(&s.t, &s.desk, &b).await);
    for (sql, constraint) in [
        (
            "update follow_ups set reason = 'Changed' where id = $1",
            "follow_ups_fixed",
        ),
        (
            "update follow_ups set status = 'completed' where id = $1",
            "follow_ups_transition",
        ),
        (
            "update follow_ups set status = 'pending' where id = $1",
            "follow_ups_transition",
        ),
    ] {
        let mut tx = s.desk.begin(&s.t.pool).await;
        let err = sqlx::query(sql)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap_err();
        assert_eq!(
            err.as_database_error().and_then(|e| e.constraint()),
            Some(constraint),
            "{sql}"
        );
    }
    // Its times are the database's: an update that moves nothing keeps them.
    let mut tx = s.desk.begin(&s.t.pool).await;
    sqlx::query("update follow_ups set missed_at = now(), booked_at = null where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (booked_at, missed_at): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) =
        sqlx::query_as("select booked_at, missed_at from follow_ups where id = $1")
            .bind(id)
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    assert!(booked_at.is_some() && missed_at.is_none());
    // The app role deletes none.
    let mut tx = s.desk.begin(&s.t.pool).await;
    assert!(
        sqlx::query("delete from follow_ups where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .is_err()
    );
    assert_eq!(follow_up_status(&s.t, id).await.0, "booked");
}

#[tokio::test]
async fn a_patient_reads_only_their_own_follow_ups_and_writes_none() {
    let s = setting(2).await;
    let me = own_patient(&s.t).await;
    let other = patients(&s.t, "riverside", 1).await[0];
    add(&s.t, &s.doctor, me, &new_follow_up(s.general, None, 2))
        .await
        .unwrap();
    add(&s.t, &s.doctor, other, &new_follow_up(s.general, None, 2))
        .await
        .unwrap();
    let patient = Actor::of(&s.t, "riverside", "patient", Role::Patient).await;
    let mut tx = patient.begin(&s.t.pool).await;
    let seen: Vec<Uuid> = sqlx::query_scalar("select patient_id from follow_ups")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, [me]);
    let mut tx = patient.begin(&s.t.pool).await;
    let out = follow_ups::add(
        &mut tx,
        &patient.access,
        PatientId::from(me),
        &new_follow_up(s.general, None, 2),
    )
    .await;
    assert!(out.is_err(), "a patient added a follow-up: {out:?}");
}

#[tokio::test]
async fn the_pages_list_to_book_by_due_date_and_refuse_roles_that_may_not() {
    let s = setting(3).await;
    let app = common::app(s.t.pool.clone());
    let ps = patients(&s.t, "riverside", 3).await;
    for (p, days) in [(ps[0], 9), (ps[1], 0), (ps[2], 4)] {
        add(&s.t, &s.doctor, p, &new_follow_up(s.general, None, days))
            .await
            .unwrap();
    }
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let res = desk
        .post(
            "/fn/follow_ups/follow_ups_list",
            "slug=riverside&status=&page=1",
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let list: hms::domain::follow_ups::FollowUpList = serde_json::from_str(&res.body).unwrap();
    let order: Vec<Uuid> = list.items.items.iter().map(|f| f.patient_id).collect();
    assert_eq!(order, [ps[1], ps[2], ps[0]], "by due date");
    assert!(list.may_book);
    // The form as the record page posts it; a bad one is answered by its fields.
    let general = s.general;
    let bad = desk
        .post(
            "/fn/follow_ups/add_follow_up",
            &format!(
                "slug=riverside&patient={}&follow_up%5Bdepartment%5D={general}\
                 &follow_up%5Bdoctor%5D=&follow_up%5Bdue_on%5D=yesterday&follow_up%5Breason%5D=",
                ps[0]
            ),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("due_on") && bad.body.contains("reason"),
        "{}",
        bad.body
    );
    assert_eq!(count(&s.t, "select count(*) from follow_ups").await, 3);
    // A nurse sees the patients but asks for no follow-ups; a lab
    // technician sees neither.
    let mut nurse = signed_in(&app, "nurse@riverside.example").await;
    let res = nurse
        .post(
            "/fn/follow_ups/follow_ups_of_patient",
            &format!("slug=riverside&patient={}", ps[0]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"may_add\":false"), "{}", res.body);
    let res = nurse
        .post(
            "/fn/follow_ups/add_follow_up",
            &format!(
                "slug=riverside&patient={}&follow_up%5Bdepartment%5D={general}\
                 &follow_up%5Bdoctor%5D=&follow_up%5Bdue_on%5D=2030-01-07&follow_up%5Breason%5D=Review",
                ps[0]
            ),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let mut lab = signed_in(&app, "lab@riverside.example").await;
    let res = lab
        .post(
            "/fn/follow_ups/follow_ups_list",
            "slug=riverside&status=&page=1",
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(count(&s.t, "select count(*) from follow_ups").await, 3);
}
