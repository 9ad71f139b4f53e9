//! Appointments as the pages read them: a clinic's day (by department and
//! doctor), and one appointment with its patient (an audited read).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::appointments::{
    AppointmentStatus, AppointmentSummary, AppointmentType, MyAppointment, MyAppointments,
    WEEK_DAY_SHOWN, WeekDay,
};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{AppointmentId, PatientId};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::schedules::day_span;
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::schedules::{clinic_zone, local_time};

/// Which of a day's appointments a list shows.
#[derive(Clone, Copy, Debug)]
pub struct DayFilter {
    pub day: NaiveDate,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
}

struct Row {
    id: Uuid,
    patient_id: Uuid,
    given_name: String,
    family_name: String,
    patient_number: String,
    department_id: Uuid,
    department: String,
    doctor_user_id: Uuid,
    doctor: String,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    appointment_type: String,
    status: String,
    reason: String,
    booked_by_patient: bool,
    cancel_reason: Option<String>,
}

fn summary(r: Row, tz: &Tz, zone: &str) -> AppointmentSummary {
    AppointmentSummary {
        id: r.id,
        patient_id: r.patient_id,
        patient_name: format!("{} {}", r.given_name, r.family_name),
        patient_number: r.patient_number,
        department_id: r.department_id,
        department: r.department,
        doctor_user_id: r.doctor_user_id,
        doctor: r.doctor,
        starts: local_time(tz, zone, r.starts),
        ends: local_time(tz, zone, r.ends),
        // The database's checks admit only the stored names.
        appointment_type: AppointmentType::parse(&r.appointment_type)
            .unwrap_or(AppointmentType::Routine),
        status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::Booked),
        reason: r.reason,
        booked_by_patient: r.booked_by_patient,
        cancel_reason: r.cancel_reason,
    }
}

/// One page of the appointments starting on the filter's day (in the
/// clinic's zone), by time then doctor; cancelled ones included, as the
/// front desk answers the phone about them.
pub async fn day(
    conn: &mut PgConnection,
    filter: DayFilter,
    page: PageRequest,
) -> Result<Page<AppointmentSummary>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let span = day_span(&tz, filter.day);
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from appointments a
           where a.clinic_id = app_clinic_id() and a.starts_at >= $1 and a.starts_at < $2
             and ($3::uuid is null or a.department_id = $3)
             and ($4::uuid is null or a.doctor_user_id = $4)"#,
        span.starts,
        span.ends,
        filter.department_id,
        filter.doctor_user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query_as!(
        Row,
        r#"select a.id, a.patient_id, p.given_name, p.family_name, p.patient_number,
                  a.department_id, d.name as department, a.doctor_user_id,
                  coalesce(u.name, '') as "doctor!", lower(a.during) as "starts!",
                  upper(a.during) as "ends!", a.appointment_type, a.status, a.reason,
                  a.booked_by_patient, a.cancel_reason
           from appointments a
           join patients p on p.id = a.patient_id
           join departments d on d.id = a.department_id
           cross join lateral (select clinic_member_name(a.doctor_user_id) as name) u
           where a.clinic_id = app_clinic_id() and a.starts_at >= $1 and a.starts_at < $2
             and ($3::uuid is null or a.department_id = $3)
             and ($4::uuid is null or a.doctor_user_id = $4)
           order by a.starts_at, lower(u.name), a.id
           limit $5 offset $6"#,
        span.starts,
        span.ends,
        filter.department_id,
        filter.doctor_user_id,
        page.limit(),
        page.offset(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let items = rows.into_iter().map(|r| summary(r, &tz, &zone)).collect();
    Ok(Page::exact(items, page, total))
}

/// Which week of appointments a calendar shows.
#[derive(Clone, Copy, Debug)]
pub struct WeekFilter {
    pub monday: NaiveDate,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
}

/// The seven days from the filter's Monday (in the clinic's zone, each day
/// its own length across a clock change): on each, the first
/// [`WEEK_DAY_SHOWN`] appointments that hold their time, by time then
/// doctor, and how many there are in all (the day view lists the rest).
pub async fn week(
    conn: &mut PgConnection,
    filter: WeekFilter,
) -> Result<Vec<WeekDay>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let days: Vec<NaiveDate> = (0..7)
        .map(|n| filter.monday + chrono::Duration::days(n))
        .collect();
    let spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = days
        .iter()
        .map(|d| {
            let s = day_span(&tz, *d);
            (s.starts, s.ends)
        })
        .collect();
    let starts: Vec<DateTime<Utc>> = spans.iter().map(|s| s.0).collect();
    let ends: Vec<DateTime<Utc>> = spans.iter().map(|s| s.1).collect();
    let counts = sqlx::query!(
        r#"select d.n as "n!", (select count(*) from appointments a
                   where a.clinic_id = app_clinic_id()
                     and a.starts_at >= d.starts and a.starts_at < d.ends
                     and a.status <> 'cancelled'
                     and ($3::uuid is null or a.department_id = $3)
                     and ($4::uuid is null or a.doctor_user_id = $4)) as "total!"
           from unnest($1::timestamptz[], $2::timestamptz[]) with ordinality as d(starts, ends, n)"#,
        &starts,
        &ends,
        filter.department_id,
        filter.doctor_user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select d.n as "n!", w.id as "id!", w.patient_id as "patient_id!",
                  w.given_name as "given_name!", w.family_name as "family_name!",
                  w.patient_number as "patient_number!", w.department_id as "department_id!",
                  w.department as "department!", w.doctor_user_id as "doctor_user_id!",
                  w.doctor as "doctor!", w.starts as "starts!", w.ends as "ends!",
                  w.appointment_type as "appointment_type!", w.status as "status!",
                  w.reason as "reason!", w.booked_by_patient as "booked_by_patient!",
                  w.cancel_reason
           from unnest($1::timestamptz[], $2::timestamptz[]) with ordinality as d(starts, ends, n)
           cross join lateral (
               select a.id, a.patient_id, p.given_name, p.family_name, p.patient_number,
                      a.department_id, dep.name as department, a.doctor_user_id,
                      coalesce(clinic_member_name(a.doctor_user_id), '') as doctor,
                      lower(a.during) as starts, upper(a.during) as ends, a.appointment_type,
                      a.status, a.reason, a.booked_by_patient, a.cancel_reason
               from appointments a
               join patients p on p.id = a.patient_id
               join departments dep on dep.id = a.department_id
               where a.clinic_id = app_clinic_id()
                 and a.starts_at >= d.starts and a.starts_at < d.ends
                 and a.status <> 'cancelled'
                 and ($3::uuid is null or a.department_id = $3)
                 and ($4::uuid is null or a.doctor_user_id = $4)
               order by a.starts_at, a.id
               limit $5) w
           order by d.n, w.starts, w.doctor, w.id"#,
        &starts,
        &ends,
        filter.department_id,
        filter.doctor_user_id,
        WEEK_DAY_SHOWN,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut week: Vec<WeekDay> = days
        .iter()
        .map(|d| WeekDay {
            day: *d,
            appointments: Vec::new(),
            total: 0,
        })
        .collect();
    for c in counts {
        if let Some(d) = usize::try_from(c.n - 1).ok().and_then(|i| week.get_mut(i)) {
            d.total = c.total;
        }
    }
    for r in rows {
        let row = Row {
            id: r.id,
            patient_id: r.patient_id,
            given_name: r.given_name,
            family_name: r.family_name,
            patient_number: r.patient_number,
            department_id: r.department_id,
            department: r.department,
            doctor_user_id: r.doctor_user_id,
            doctor: r.doctor,
            starts: r.starts,
            ends: r.ends,
            appointment_type: r.appointment_type,
            status: r.status,
            reason: r.reason,
            booked_by_patient: r.booked_by_patient,
            cancel_reason: r.cancel_reason,
        };
        if let Some(d) = usize::try_from(r.n - 1).ok().and_then(|i| week.get_mut(i)) {
            d.appointments.push(summary(row, &tz, &zone));
        }
    }
    Ok(week)
}

/// One appointment of this clinic, read with its patient's VIEW event;
/// `None` when it is not this clinic's (or, in the portal, not the
/// patient's own).
pub async fn open(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: AppointmentId,
) -> Result<Option<AppointmentSummary>, sqlx::Error> {
    let Some(found) = find(conn, id).await? else {
        return Ok(None);
    };
    let mut event = access
        .event(AuditAction::View)
        .about(AuditEntity::Patient, found.patient_id);
    event.after = Some(json!({ "purpose": "appointment", "appointment_id": found.id }));
    audit::record(conn, &event).await?;
    Ok(Some(found))
}

/// One appointment of this clinic as it now is, for the answer to a change
/// just made and audited (not a read of its own).
pub async fn find(
    conn: &mut PgConnection,
    id: AppointmentId,
) -> Result<Option<AppointmentSummary>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let row = sqlx::query_as!(
        Row,
        r#"select a.id, a.patient_id, p.given_name, p.family_name, p.patient_number,
                  a.department_id, d.name as department, a.doctor_user_id,
                  coalesce(u.name, '') as "doctor!", lower(a.during) as "starts!",
                  upper(a.during) as "ends!", a.appointment_type, a.status, a.reason,
                  a.booked_by_patient, a.cancel_reason
           from appointments a
           join patients p on p.id = a.patient_id
           join departments d on d.id = a.department_id
           cross join lateral (select clinic_member_name(a.doctor_user_id) as name) u
           where a.id = $1 and a.clinic_id = app_clinic_id()"#,
        id.as_uuid(),
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| summary(r, &tz, &zone)))
}

/// The patient's appointments: those still to come (booked, not yet over;
/// soonest first, at most 50) and one page of the rest (newest first),
/// read with the patient's VIEW event.
pub async fn own(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient: PatientId,
    page: PageRequest,
    now: DateTime<Utc>,
) -> Result<MyAppointments, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let notice = cancel_notice_minutes(conn).await?;
    let upcoming = sqlx::query_as!(
        Row,
        r#"select a.id, a.patient_id, p.given_name, p.family_name, p.patient_number,
                  a.department_id, d.name as department, a.doctor_user_id,
                  coalesce(u.name, '') as "doctor!", lower(a.during) as "starts!",
                  upper(a.during) as "ends!", a.appointment_type, a.status, a.reason,
                  a.booked_by_patient, a.cancel_reason
           from appointments a
           join patients p on p.id = a.patient_id
           join departments d on d.id = a.department_id
           cross join lateral (select clinic_member_name(a.doctor_user_id) as name) u
           where a.patient_id = $1 and a.clinic_id = app_clinic_id()
             and a.status = 'booked' and upper(a.during) > $2
           order by lower(a.during)
           limit 50"#,
        patient.as_uuid(),
        now,
    )
    .fetch_all(&mut *conn)
    .await?;
    let past = sqlx::query_as!(
        Row,
        r#"select a.id, a.patient_id, p.given_name, p.family_name, p.patient_number,
                  a.department_id, d.name as department, a.doctor_user_id,
                  coalesce(u.name, '') as "doctor!", lower(a.during) as "starts!",
                  upper(a.during) as "ends!", a.appointment_type, a.status, a.reason,
                  a.booked_by_patient, a.cancel_reason
           from appointments a
           join patients p on p.id = a.patient_id
           join departments d on d.id = a.department_id
           cross join lateral (select clinic_member_name(a.doctor_user_id) as name) u
           where a.patient_id = $1 and a.clinic_id = app_clinic_id()
             and not (a.status = 'booked' and upper(a.during) > $2)
           order by lower(a.during) desc, a.id
           limit $3 offset $4"#,
        patient.as_uuid(),
        now,
        page.limit(),
        page.offset(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let past_total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from appointments a
           where a.patient_id = $1 and a.clinic_id = app_clinic_id()
             and not (a.status = 'booked' and upper(a.during) > $2)"#,
        patient.as_uuid(),
        now,
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::View)
        .about(AuditEntity::Patient, patient.as_uuid());
    event.after = Some(json!({ "purpose": "own_appointments" }));
    audit::record(conn, &event).await?;
    Ok(MyAppointments {
        upcoming: upcoming
            .into_iter()
            .map(|r| MyAppointment::at(summary(r, &tz, &zone), now, notice))
            .collect(),
        past: Page::exact(
            past.into_iter().map(|r| summary(r, &tz, &zone)).collect(),
            page,
            past_total,
        ),
        cancel_notice_minutes: notice,
        booking_paused: super::suspensions::notice(conn, patient.as_uuid(), false).await?,
    })
}

/// How long before an appointment a patient may still cancel online.
pub async fn cancel_notice_minutes(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        "select cancel_notice_minutes from clinic_schedule_settings
         where clinic_id = app_clinic_id()"
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(120))
}
