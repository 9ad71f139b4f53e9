//! Appointments and schedules through the server functions the pages and
//! the API call: the database keeps a doctor's (and a patient's) time from
//! being booked twice, even by 200 people at once; it refuses bookings out
//! of hours, on holidays, in leave or in the past, holds the lifecycle as
//! the domain states it, lets a patient book and cancel only their own, and
//! keeps each clinic's appointments its own.

use crate::common;

mod desk;
mod follow_ups;
mod letters;
mod notifications;
mod portal;
mod schedule_pages;
mod self_booking;
mod week;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{TestDb, count};
use hms::domain::AppError;
use hms::domain::appointments::{AppointmentStatus, AppointmentType, Booking};
use hms::domain::ids::AppointmentId;
use hms::domain::role::Role;
use hms::domain::schedules::{ExceptionKind, WeeklyHours};
use hms::server::access::ClinicAccess;
use hms::server::appointments::{self, Booked, Moment};
use hms::server::audit::RequestOrigin;
use hms::server::auth::CurrentUser;
use hms::server::schedules;
use hms::server::tenancy::{self, ClinicMembership};
use sqlx::PgPool;
use uuid::Uuid;

type Tx = sqlx::Transaction<'static, sqlx::Postgres>;

/// Someone of a demo clinic, acting in it as the app does.
#[derive(Clone)]
pub(crate) struct Actor {
    access: ClinicAccess,
}

impl Actor {
    pub(crate) async fn of(t: &TestDb, slug: &str, local: &str, role: Role) -> Self {
        let email = format!("{local}@{slug}.example");
        let (user_id, clinic_id, department_id, today): (Uuid, Uuid, Option<Uuid>, NaiveDate) =
            sqlx::query_as(
                "select u.id, c.id, m.department_id, (now() at time zone c.timezone)::date
                 from users u join memberships m on m.user_id = u.id
                 join clinics c on c.id = m.clinic_id
                 where u.email = $1 and c.slug = $2 and m.role = $3",
            )
            .bind(&email)
            .bind(slug)
            .bind(role.as_str())
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
        Actor {
            access: ClinicAccess {
                user: CurrentUser {
                    user_id,
                    session_id: Uuid::now_v7(),
                    email,
                    display_name: local.into(),
                    is_platform_admin: false,
                    idle_timeout: std::time::Duration::from_secs(3600),
                    clinic_id: Some(clinic_id),
                    role: Some(role),
                },
                membership: ClinicMembership {
                    clinic_id,
                    slug: slug.into(),
                    clinic_name: slug.into(),
                    role,
                    department_id,
                    today,
                },
                origin: RequestOrigin::default(),
            },
        }
    }

    fn id(&self) -> Uuid {
        self.access.user.user_id
    }

    pub(crate) async fn begin(&self, pool: &PgPool) -> Tx {
        tenancy::begin_clinic(pool, self.access.scope())
            .await
            .unwrap()
    }
}

pub(crate) async fn department(t: &TestDb, slug: &str, code: &str) -> Uuid {
    sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id
         where c.slug = $1 and d.code = $2",
    )
    .bind(slug)
    .bind(code)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

pub(crate) async fn patients(t: &TestDb, slug: &str, n: i64) -> Vec<Uuid> {
    sqlx::query_scalar(
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = $1 and p.user_id is null order by p.patient_number limit $2",
    )
    .bind(slug)
    .bind(n)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap()
}

/// The portal patient's own record in Riverside.
pub(crate) async fn own_patient(t: &TestDb) -> Uuid {
    sqlx::query_scalar(
        "select p.id from patients p join users u on u.id = p.user_id
         where u.email = 'patient@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// Someone signed in through the app, as the pages' tests post.
pub(crate) async fn signed_in(app: &axum::Router, email: &str) -> common::Browser {
    let mut b = common::Browser::new(app);
    b.sign_in(email).await;
    b
}

/// The patient books their first free General Medicine time on `day`.
pub(crate) async fn book_online(
    t: &TestDb,
    patient: &mut common::Browser,
    day: &str,
) -> common::TestResponse {
    let general = department(t, "riverside", "GEN").await;
    let res = patient
        .post(
            "/fn/appointments/my_booking_choices",
            &format!("slug=riverside&department={general}&doctor=&day={day}"),
        )
        .await;
    let page: hms::domain::appointments::BookingPage = serde_json::from_str(&res.body).unwrap();
    let starts = hms::domain::url::encode_query_value(&page.slots[0].starts.machine());
    patient
        .post(
            "/fn/appointments/book_my_appointment",
            &format!(
                "slug=riverside&booking%5Bpatient%5D=&booking%5Bdepartment%5D={general}\
                 &booking%5Bdoctor%5D=&booking%5Bstarts_at%5D={starts}\
                 &booking%5Bappointment_type%5D=routine&booking%5Breason%5D=Checkup"
            ),
        )
        .await
}

/// The first weekday (the demo doctors' hours) after today in Riverside.
pub(crate) async fn next_weekday(t: &TestDb) -> String {
    sqlx::query_scalar(
        "select d::date::text
         from clinics c,
              generate_series((now() at time zone c.timezone)::date + 1,
                              (now() at time zone c.timezone)::date + 7, interval '1 day') d
         where c.slug = 'riverside' and extract(isodow from d) between 1 and 5
         order by d limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// Riverside appointments with `doctor@riverside.example`, loaded by the
/// owner past the bookable check (as an import would: at any time, even
/// begun or over): each (patient, minutes from now it starts).
pub(crate) async fn loaded(
    t: &TestDb,
    rows: &[(Uuid, i32)],
    kind: &str,
    reason: &str,
) -> Vec<Uuid> {
    let mut owner = t.owner_pool.begin().await.unwrap();
    sqlx::query("alter table appointments disable trigger appointments_bookable")
        .execute(&mut *owner)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (patient, minutes) in rows {
        let id: Uuid = sqlx::query_scalar(
            "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                                       appointment_type, reason, booked_by)
             select c.id, $1, m.department_id, m.user_id,
                    tstzrange(now() + make_interval(mins => $2),
                              now() + make_interval(mins => $2 + 15)),
                    $3, $4, m.user_id
             from clinics c join memberships m on m.clinic_id = c.id
             join users u on u.id = m.user_id
             where c.slug = 'riverside' and u.email = 'doctor@riverside.example'
             returning id",
        )
        .bind(patient)
        .bind(minutes)
        .bind(kind)
        .bind(reason)
        .fetch_one(&mut *owner)
        .await
        .unwrap();
        ids.push(id);
    }
    sqlx::query("alter table appointments enable trigger appointments_bookable")
        .execute(&mut *owner)
        .await
        .unwrap();
    owner.commit().await.unwrap();
    ids
}

/// The doctor calls an appointment off, as the owner writes it (past the
/// lifecycle's server functions, for tests of what reads it).
pub(crate) async fn called_off(t: &TestDb, id: Uuid) {
    sqlx::query(
        "update appointments set status = 'cancelled', cancel_reason = 'Called off',
                cancelled_by = doctor_user_id where id = $1",
    )
    .bind(id)
    .execute(&t.owner_pool)
    .await
    .unwrap();
}

/// Every day of the week, all day: any future slot is in hours.
fn all_week() -> Vec<WeeklyHours> {
    (1..=7)
        .map(|d| WeeklyHours {
            weekday: hms::domain::schedules::weekday_from_iso(d).unwrap(),
            starts: chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
            ends: chrono::NaiveTime::from_hms_opt(23, 45, 0).unwrap(),
            room: "Room 4".into(),
        })
        .collect()
}

/// Riverside's admin gives `doctor` the week.
async fn give_week(t: &TestDb, admin: &Actor, doctor: Uuid, week: &[WeeklyHours]) {
    let mut tx = admin.begin(&t.pool).await;
    schedules::set_week(&mut tx, &admin.access, doctor, week)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The doctor's first free slot from 09:00 UTC `days` ahead (mid-morning
/// in Riverside), so the slots after it are in hours too whatever the
/// time the tests run: from `now + days` late in the afternoon the next
/// free slot is the day's last and the one after it is out of hours.
async fn slot_ahead(t: &TestDb, who: &Actor, doctor: Uuid, days: i64) -> DateTime<Utc> {
    let mut tx = who.begin(&t.pool).await;
    let day = (Utc::now() + Duration::days(days)).date_naive();
    let from = day.and_hms_opt(9, 0, 0).unwrap().and_utc();
    let slots = schedules::next_free_slots(&mut tx, doctor, from, 3, 1)
        .await
        .unwrap();
    slots[0].span.starts
}

/// Minutes from now to `hour`:00 UTC tomorrow, for rows `loaded` at fixed
/// times of one local day (now + 24 h crosses midnight late in the evening).
pub(crate) fn minutes_to_tomorrow_at(hour: u32) -> i32 {
    let at = (Utc::now() + Duration::days(1))
        .date_naive()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_utc();
    (at - Utc::now()).num_minutes() as i32
}

/// Now, for a site at hms.example (the letters' links).
fn moment() -> Moment<'static> {
    Moment::now("https://hms.example")
}

fn booking(patient: Uuid, department: Uuid, doctor: Option<Uuid>, at: DateTime<Utc>) -> Booking {
    Booking {
        patient_id: patient,
        department_id: department,
        doctor_user_id: doctor,
        starts_at: at,
        appointment_type: AppointmentType::Routine,
        reason: "Blood pressure review".into(),
        follow_up_id: None,
    }
}

async fn book(t: &TestDb, who: &Actor, b: &Booking) -> Result<Booked, AppError> {
    let mut tx = who.begin(&t.pool).await;
    let out = appointments::book(
        &mut tx,
        &who.access,
        b,
        who.access.role() == Role::Patient,
        moment(),
    )
    .await;
    if out.is_ok() {
        tx.commit().await.unwrap();
    }
    out
}

fn booked(out: Result<Booked, AppError>) -> AppointmentId {
    match out {
        Ok(Booked::Booked(id)) => id,
        other => panic!("not booked: {other:?}"),
    }
}

fn field(out: &Result<Booked, AppError>) -> (String, String) {
    match out {
        Err(AppError::Validation(f)) => (f[0].field.clone(), f[0].message.clone()),
        other => panic!("not a field error: {other:?}"),
    }
}

struct Setting {
    t: TestDb,
    admin: Actor,
    desk: Actor,
    doctor: Actor,
    general: Uuid,
}

async fn setting(patients: u32) -> Setting {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, patients * 2).await;
    let admin = Actor::of(&t, "riverside", "admin", Role::ClinicAdmin).await;
    let desk = Actor::of(&t, "riverside", "reception", Role::Receptionist).await;
    let doctor = Actor::of(&t, "riverside", "doctor", Role::Doctor).await;
    let general = department(&t, "riverside", "GEN").await;
    give_week(&t, &admin, doctor.id(), &all_week()).await;
    Setting {
        t,
        admin,
        desk,
        doctor,
        general,
    }
}

#[tokio::test]
async fn two_hundred_bookings_of_one_slot_leave_exactly_one() {
    let s = setting(200).await;
    let people = patients(&s.t, "riverside", 200).await;
    assert_eq!(people.len(), 200);
    let at = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    // Enough connections that the attempts really overlap.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(40)
        .connect(&common::app_url(&s.t.name))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for p in people {
        let (pool, desk, b) = (
            pool.clone(),
            s.desk.clone(),
            booking(p, s.general, Some(s.doctor.id()), at),
        );
        tasks.push(tokio::spawn(async move {
            let mut tx = desk.begin(&pool).await;
            let out = appointments::book(&mut tx, &desk.access, &b, false, moment()).await;
            if out.is_ok() {
                tx.commit().await.unwrap();
            }
            out
        }));
    }
    let (mut won, mut lost) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(Booked::Booked(_)) => won += 1,
            Ok(Booked::Taken { next, .. }) => {
                lost += 1;
                assert!(!next.is_empty(), "a loser is offered other times");
                assert!(next.iter().all(|n| n.span.starts != at));
            }
            Err(e) => panic!("a racer got an error: {e:?}"),
        }
    }
    assert_eq!((won, lost), (1, 199));
    assert_eq!(
        count(
            &s.t,
            "select count(*) from appointments where status = 'booked'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &s.t,
            "select count(*) from audit_events where entity_type = 'appointment'"
        )
        .await,
        1
    );
    pool.close().await;
}

#[tokio::test]
async fn a_patient_is_never_booked_in_two_places_at_once() {
    let s = setting(5).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let colleague = Actor::of(&s.t, "riverside", "gp2", Role::Doctor).await;
    give_week(&s.t, &s.admin, colleague.id(), &all_week()).await;
    let at = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    booked(
        book(
            &s.t,
            &s.desk,
            &booking(p, s.general, Some(s.doctor.id()), at),
        )
        .await,
    );
    let second = book(
        &s.t,
        &s.desk,
        &booking(p, s.general, Some(colleague.id()), at),
    )
    .await;
    assert_eq!(
        field(&second),
        (
            "starts_at".into(),
            "The patient already has an appointment at that time.".into()
        )
    );
    // "First available" picks the colleague for another patient.
    let q = patients(&s.t, "riverside", 2).await[1];
    booked(book(&s.t, &s.desk, &booking(q, s.general, None, at)).await);
    let doctors: Vec<Uuid> =
        sqlx::query_scalar("select doctor_user_id from appointments order by created_at")
            .fetch_all(&s.t.owner_pool)
            .await
            .unwrap();
    assert_eq!(doctors, [s.doctor.id(), colleague.id()]);
}

/// Inserts straight into the table as the app role would, past the
/// domain's checks, to show what the database itself refuses.
async fn raw_insert(
    t: &TestDb,
    who: &Actor,
    patient: Uuid,
    dept: Uuid,
    doctor: Uuid,
    from: DateTime<Utc>,
    minutes: i64,
) -> Result<(), String> {
    let mut tx = who.begin(&t.pool).await;
    let out = sqlx::query(
        "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                                   appointment_type, booked_by)
         values (app_clinic_id(), $1, $2, $3, tstzrange($4, $5), 'routine', $6)",
    )
    .bind(patient)
    .bind(dept)
    .bind(doctor)
    .bind(from)
    .bind(from + Duration::minutes(minutes))
    .bind(who.id())
    .execute(&mut *tx)
    .await;
    match out {
        Ok(_) => {
            tx.rollback().await.unwrap();
            Ok(())
        }
        Err(sqlx::Error::Database(e)) => Err(e.constraint().unwrap_or("?").to_string()),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn the_database_refuses_bookings_out_of_hours_on_holidays_in_leave_or_in_the_past() {
    let s = setting(3).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let doctor = s.doctor.id();
    // Mondays to Fridays, 09:00-12:00 London time.
    let weekdays: Vec<WeeklyHours> = (1..=5)
        .map(|d| WeeklyHours {
            weekday: hms::domain::schedules::weekday_from_iso(d).unwrap(),
            starts: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            ends: chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            room: String::new(),
        })
        .collect();
    give_week(&s.t, &s.admin, doctor, &weekdays).await;
    // Next week's Monday and Saturday, as London reads them.
    let london = chrono_tz::Europe::London;
    let today = Utc::now().with_timezone(&london).date_naive();
    let monday = today
        + Duration::days(7 - i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let saturday = monday + Duration::days(5);
    let at = |day: NaiveDate, h: u32| {
        chrono::TimeZone::from_local_datetime(&london, &day.and_hms_opt(h, 0, 0).unwrap())
            .single()
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(
        raw_insert(&s.t, &s.desk, p, s.general, doctor, at(monday, 10), 15).await,
        Ok(())
    );
    for (when, minutes, why) in [
        (at(monday, 8), 15, "appointments_in_hours"),
        (
            at(monday, 11) + Duration::minutes(50),
            15,
            "appointments_in_hours",
        ),
        (at(saturday, 10), 15, "appointments_in_hours"),
        (
            Utc::now() - Duration::hours(1),
            15,
            "appointments_in_the_future",
        ),
        (
            Utc::now() + Duration::days(400),
            15,
            "appointments_within_horizon",
        ),
        (at(monday, 10), 1, "appointments_during_shape"),
    ] {
        assert_eq!(
            raw_insert(&s.t, &s.desk, p, s.general, doctor, when, minutes).await,
            Err(why.to_string()),
            "{when}"
        );
    }
    // A holiday closes the day; leave takes an hour; an extra session
    // opens a Saturday.
    sqlx::query(
        "insert into clinic_holidays (clinic_id, day, name)
         select id, $1, 'Founders'' Day' from clinics where slug = 'riverside'",
    )
    .bind(monday)
    .execute(&s.t.owner_pool)
    .await
    .unwrap();
    assert_eq!(
        raw_insert(&s.t, &s.desk, p, s.general, doctor, at(monday, 10), 15).await,
        Err("appointments_in_hours".into())
    );
    let tuesday = monday + Duration::days(1);
    for (kind, from, to) in [
        (ExceptionKind::Leave, at(tuesday, 10), at(tuesday, 11)),
        (ExceptionKind::Extra, at(saturday, 9), at(saturday, 11)),
    ] {
        let mut tx = s.doctor.begin(&s.t.pool).await;
        let entry = hms::domain::appointments::ExceptionEntry {
            doctor_user_id: doctor,
            kind,
            from: from.naive_utc(),
            to: to.naive_utc(),
            room: String::new(),
            reason: "Conference".into(),
        };
        schedules::add_exception(&mut tx, &s.doctor.access, &entry, from, to)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(
        raw_insert(&s.t, &s.desk, p, s.general, doctor, at(tuesday, 10), 15).await,
        Err("appointments_in_hours".into())
    );
    assert_eq!(
        raw_insert(&s.t, &s.desk, p, s.general, doctor, at(tuesday, 11), 15).await,
        Ok(())
    );
    assert_eq!(
        raw_insert(&s.t, &s.desk, p, s.general, doctor, at(saturday, 10), 15).await,
        Ok(())
    );
    // Through the server: the same refusals, by the field, nothing written.
    let out = book(
        &s.t,
        &s.desk,
        &booking(p, s.general, Some(doctor), at(tuesday, 10)),
    )
    .await;
    assert!(matches!(out, Ok(Booked::Taken { .. })), "{out:?}");
    let hilltop_patient = patients(&s.t, "hilltop", 1).await[0];
    let out = book(
        &s.t,
        &s.desk,
        &booking(hilltop_patient, s.general, Some(doctor), at(saturday, 9)),
    )
    .await;
    assert_eq!(field(&out).0, "patient");
    let cardio = department(&s.t, "riverside", "CARD").await;
    let out = book(
        &s.t,
        &s.desk,
        &booking(p, cardio, Some(doctor), at(saturday, 9)),
    )
    .await;
    assert_eq!(field(&out).0, "doctor");
    assert_eq!(count(&s.t, "select count(*) from appointments").await, 0);
}

#[tokio::test]
async fn the_database_holds_the_lifecycle_as_the_domain_states_it() {
    let t = common::test_db().await;
    for &from in AppointmentStatus::ALL {
        for &to in AppointmentStatus::ALL {
            let allowed: bool = sqlx::query_scalar("select appointment_transition_allowed($1, $2)")
                .bind(from.as_str())
                .bind(to.as_str())
                .fetch_one(&t.pool)
                .await
                .unwrap();
            assert_eq!(allowed, from.can_become(to), "{from:?} -> {to:?}");
        }
    }
}

async fn status(t: &TestDb, id: AppointmentId) -> String {
    sqlx::query_scalar("select status from appointments where id = $1")
        .bind(id.as_uuid())
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn cancelling_moving_and_checking_in_follow_the_lifecycle() {
    let s = setting(3).await;
    let ps = patients(&s.t, "riverside", 3).await;
    let doctor = s.doctor.id();
    let first = slot_ahead(&s.t, &s.desk, doctor, 2).await;
    let id = booked(
        book(
            &s.t,
            &s.desk,
            &booking(ps[0], s.general, Some(doctor), first),
        )
        .await,
    );
    let other = booked(
        book(
            &s.t,
            &s.desk,
            &booking(
                ps[1],
                s.general,
                Some(doctor),
                first + Duration::minutes(15),
            ),
        )
        .await,
    );
    // Moving onto someone else's time: taken, the appointment stays put.
    let mut tx = s.desk.begin(&s.t.pool).await;
    let out = appointments::reschedule(
        &mut tx,
        &s.desk.access,
        id,
        first + Duration::minutes(15),
        moment(),
    )
    .await;
    assert!(
        matches!(out, Ok(Booked::Taken { ref next, .. }) if !next.is_empty()),
        "{out:?}"
    );
    drop(tx);
    // Moving half a slot along its own time is a move, not a clash.
    let mut tx = s.desk.begin(&s.t.pool).await;
    let later = first + Duration::minutes(30);
    assert!(matches!(
        appointments::reschedule(&mut tx, &s.desk.access, id, later, moment()).await,
        Ok(Booked::Booked(_))
    ));
    tx.commit().await.unwrap();
    let starts: DateTime<Utc> =
        sqlx::query_scalar("select lower(during) from appointments where id = $1")
            .bind(id.as_uuid())
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    assert_eq!(starts, later);
    // Cancelling needs a reason (the domain asks; the database insists),
    // and happens once.
    let mut tx = s.desk.begin(&s.t.pool).await;
    appointments::cancel(
        &mut tx,
        &s.desk.access,
        other,
        "Patient travelling",
        moment(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&s.t, other).await, "cancelled");
    let mut tx = s.desk.begin(&s.t.pool).await;
    // With the same reason too: the database would see no change in that,
    // and the patient would be written to again.
    let again = appointments::cancel(
        &mut tx,
        &s.desk.access,
        other,
        "Patient travelling",
        moment(),
    )
    .await;
    assert!(
        matches!(&again, Err(AppError::Validation(f)) if f[0].field == "form"),
        "{again:?}"
    );
    drop(tx);
    // Its time is free again.
    booked(
        book(
            &s.t,
            &s.desk,
            &booking(
                ps[2],
                s.general,
                Some(doctor),
                first + Duration::minutes(15),
            ),
        )
        .await,
    );
    // Not today: it cannot be checked in yet; a no-show is the sweep's.
    let mut tx = s.desk.begin(&s.t.pool).await;
    let early = appointments::check_in(&mut tx, &s.desk.access, id).await;
    assert!(matches!(&early, Err(AppError::Validation(f)) if f[0].message.contains("not today")));
    drop(tx);
    let mut tx = s.desk.begin(&s.t.pool).await;
    let no_show = sqlx::query("update appointments set status = 'no_show' where id = $1")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await;
    assert!(
        matches!(no_show, Err(sqlx::Error::Database(e)) if e.constraint() == Some("appointments_transition"))
    );
    drop(tx);
    assert_eq!(status(&s.t, id).await, "booked");
}

#[tokio::test]
async fn an_arriving_patient_is_checked_in_from_the_appointment_with_a_token() {
    let s = setting(3).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    // Today's appointment, begun just now.
    let id = loaded(&s.t, &[(p, 0)], "routine", "Follow-up of cough").await[0];
    let id = AppointmentId::from(id);
    let mut tx = s.desk.begin(&s.t.pool).await;
    let (visit, token) = appointments::check_in(&mut tx, &s.desk.access, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(token, 1);
    assert_eq!(status(&s.t, id).await, "checked_in");
    let (visit_type, doctor): (String, Uuid) =
        sqlx::query_as("select visit_type, doctor_user_id from patient_visits where id = $1")
            .bind(visit.as_uuid())
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    assert_eq!(
        (visit_type.as_str(), doctor),
        ("appointment", s.doctor.id())
    );
    // Checked in once: a second try is refused, no second visit.
    let mut tx = s.desk.begin(&s.t.pool).await;
    assert!(
        appointments::check_in(&mut tx, &s.desk.access, id)
            .await
            .is_err()
    );
    drop(tx);
    assert_eq!(count(&s.t, "select count(*) from patient_visits").await, 1);
}

#[tokio::test]
async fn a_patient_books_and_cancels_only_their_own_within_the_notice() {
    let s = setting(3).await;
    let me = Actor::of(&s.t, "riverside", "patient", Role::Patient).await;
    let mine: Uuid = sqlx::query_scalar("select id from patients where user_id = $1")
        .bind(me.id())
        .fetch_one(&s.t.owner_pool)
        .await
        .unwrap();
    let someone = patients(&s.t, "riverside", 1).await[0];
    let doctor = s.doctor.id();
    let at = slot_ahead(&s.t, &me, doctor, 2).await;
    // For someone else: refused by the database's policy.
    let out = book(&s.t, &me, &booking(someone, s.general, Some(doctor), at)).await;
    assert!(out.is_err(), "{out:?}");
    let id = booked(book(&s.t, &me, &booking(mine, s.general, Some(doctor), at)).await);
    let by_patient: bool =
        sqlx::query_scalar("select booked_by_patient from appointments where id = $1")
            .bind(id.as_uuid())
            .fetch_one(&s.t.owner_pool)
            .await
            .unwrap();
    assert!(by_patient);
    // Staff book someone else's appointment: the patient cannot see it,
    // nor cancel it.
    let theirs = booked(
        book(
            &s.t,
            &s.desk,
            &booking(someone, s.general, Some(doctor), at + Duration::minutes(15)),
        )
        .await,
    );
    let mut tx = me.begin(&s.t.pool).await;
    let seen: i64 = sqlx::query_scalar("select count(*) from appointments")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 1);
    assert!(matches!(
        appointments::cancel(&mut tx, &me.access, theirs, "Not mine", moment()).await,
        Err(AppError::NotFound)
    ));
    drop(tx);
    // The patient may not mark their own arrived.
    let mut tx = me.begin(&s.t.pool).await;
    let arrived = sqlx::query("update appointments set status = 'checked_in' where id = $1")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await;
    assert!(
        matches!(arrived, Err(sqlx::Error::Database(e)) if e.constraint() == Some("appointments_patient_may_cancel"))
    );
    drop(tx);
    // Within the clinic's notice (two days, here), cancelling is refused.
    sqlx::query("update clinic_schedule_settings set cancel_notice_minutes = 4320")
        .execute(&s.t.owner_pool)
        .await
        .unwrap();
    let mut tx = me.begin(&s.t.pool).await;
    let late = appointments::cancel(&mut tx, &me.access, id, "Feeling better", moment()).await;
    assert!(
        matches!(&late, Err(AppError::Validation(f)) if f[0].message.contains("too late")),
        "{late:?}"
    );
    drop(tx);
    sqlx::query("update clinic_schedule_settings set cancel_notice_minutes = 60")
        .execute(&s.t.owner_pool)
        .await
        .unwrap();
    let mut tx = me.begin(&s.t.pool).await;
    appointments::cancel(&mut tx, &me.access, id, "Feeling better", moment())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&s.t, id).await, "cancelled");
}

#[tokio::test]
async fn one_clinics_staff_reach_nothing_of_anothers() {
    let s = setting(3).await;
    let p = patients(&s.t, "riverside", 1).await[0];
    let at = slot_ahead(&s.t, &s.desk, s.doctor.id(), 2).await;
    let id = booked(
        book(
            &s.t,
            &s.desk,
            &booking(p, s.general, Some(s.doctor.id()), at),
        )
        .await,
    );
    let desk = Actor::of(&s.t, "hilltop", "reception", Role::Receptionist).await;
    let admin = Actor::of(&s.t, "hilltop", "admin", Role::ClinicAdmin).await;
    let mine = patients(&s.t, "hilltop", 1).await[0];
    let hilltop_general = department(&s.t, "hilltop", "GEN").await;
    // Riverside's doctor, department or appointment, from hilltop.
    let out = book(
        &s.t,
        &desk,
        &booking(mine, hilltop_general, Some(s.doctor.id()), at),
    )
    .await;
    assert!(
        out.is_err() || matches!(out, Ok(Booked::Taken { ref next, .. }) if next.is_empty()),
        "{out:?}"
    );
    let out = book(&s.t, &desk, &booking(mine, s.general, None, at)).await;
    assert!(out.is_err(), "{out:?}");
    let mut tx = desk.begin(&s.t.pool).await;
    assert!(matches!(
        appointments::cancel(&mut tx, &desk.access, id, "Not ours", moment()).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        appointments::check_in(&mut tx, &desk.access, id).await,
        Err(AppError::NotFound)
    ));
    let seen: i64 = sqlx::query_scalar(
        "select count(*) from doctor_time($1, tstzrange(now(), now() + interval '30 days'))",
    )
    .bind(s.doctor.id())
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(seen, 0, "another clinic's doctor's time is not shown");
    drop(tx);
    // Hilltop's admin cannot give riverside's doctor hours there.
    let mut tx = admin.begin(&s.t.pool).await;
    let out = schedules::set_week(&mut tx, &admin.access, s.doctor.id(), &all_week()).await;
    assert!(
        matches!(out, Err(sqlx::Error::Database(ref e)) if e.constraint() == Some("doctor_schedule_doctor_in_clinic")),
        "{out:?}"
    );
    drop(tx);
    assert_eq!(status(&s.t, id).await, "booked");
}

#[tokio::test]
async fn who_may_change_a_schedule_and_each_change_is_audited() {
    let s = setting(1).await;
    let hod = Actor::of(&s.t, "riverside", "hod", Role::HeadOfDepartment).await;
    let cardio2 = Actor::of(&s.t, "riverside", "cardio2", Role::Doctor).await;
    let nurse = Actor::of(&s.t, "riverside", "nurse", Role::Nurse).await;
    let doctor = s.doctor.id();
    let mut tx = s.admin.begin(&s.t.pool).await;
    let cases = [
        (&s.admin, doctor, true),
        (&s.doctor, doctor, true),
        (&s.doctor, cardio2.id(), false),
        (&hod, cardio2.id(), true),
        (&hod, doctor, false),
        (&s.desk, doctor, false),
        (&nurse, doctor, false),
    ];
    for (who, whose, may) in cases {
        assert_eq!(
            schedules::may_edit(&mut tx, &who.access, whose)
                .await
                .unwrap(),
            may,
            "{} for {whose}",
            who.access.user.email
        );
    }
    drop(tx);
    // Overlapping sessions are refused by the database as well.
    let mut week = all_week();
    week.push(WeeklyHours {
        room: "Annexe".into(),
        ..week[0].clone()
    });
    let mut tx = s.doctor.begin(&s.t.pool).await;
    let out = schedules::set_week(&mut tx, &s.doctor.access, doctor, &week).await;
    assert!(
        matches!(out, Err(sqlx::Error::Database(ref e)) if e.constraint() == Some("doctor_office_hours_overlap"))
    );
    drop(tx);
    let audited = count(
        &s.t,
        "select count(*) from audit_events where entity_type = 'doctor_schedule' and action = 'UPDATE'",
    )
    .await;
    assert_eq!(audited, 1, "the setting's week, audited once");
    let mut tx = s.doctor.begin(&s.t.pool).await;
    assert_eq!(schedules::week(&mut tx, doctor).await.unwrap(), all_week());
}
