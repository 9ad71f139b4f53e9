//! Doctors' schedules: weekly hours and exceptions (each change audited),
//! who may change them, and the free slots they leave, worked out by the
//! domain from what the database holds.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::appointments::ExceptionEntry;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::role::Role;
use crate::domain::schedules::{
    DoctorSchedule, ExceptionKind, ScheduleException, Slot, Span, WeeklyHours, day_span,
    weekday_from_iso, weekday_iso,
};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::error::ConstraintField;

pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "doctor_office_hours_overlap",
        field: "sessions",
        message: "Two sessions on the same day overlap.",
    },
    ConstraintField {
        constraint: "doctor_schedule_doctor_in_clinic",
        field: "doctor",
        message: "Choose one of this clinic's doctors.",
    },
];

/// The clinic's zone: its IANA name and rules. A name the built-in rules
/// lack (they may be older than the database's) reads as UTC.
pub async fn clinic_zone(conn: &mut PgConnection) -> Result<(Tz, String), sqlx::Error> {
    let name = sqlx::query_scalar!("select timezone from clinics where id = app_clinic_id()")
        .fetch_one(&mut *conn)
        .await?;
    let tz = Tz::from_str(&name).unwrap_or(Tz::UTC);
    Ok((tz, name))
}

/// Whether the person acting may change `doctor`'s schedule: the clinic's
/// admin, the doctor themself, or the head of the doctor's department.
pub async fn may_edit(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    doctor: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(match access.role() {
        Role::ClinicAdmin => true,
        Role::Doctor => doctor == access.user.user_id,
        Role::HeadOfDepartment => {
            doctor == access.user.user_id
                || sqlx::query_scalar!(
                    r#"select exists (
                           select 1 from memberships m
                           where m.clinic_id = app_clinic_id() and m.user_id = $1 and m.active
                             and m.role in ('doctor', 'head_of_department')
                             and m.department_id = $2) as "same!""#,
                    doctor,
                    access.membership.department_id,
                )
                .fetch_one(&mut *conn)
                .await?
        }
        _ => false,
    })
}

/// A doctor's weekly hours in this clinic, by weekday and start.
pub async fn week(conn: &mut PgConnection, doctor: Uuid) -> Result<Vec<WeeklyHours>, sqlx::Error> {
    let rows = sqlx::query!(
        "select weekday, starts, ends, room from doctor_office_hours
         where clinic_id = app_clinic_id() and doctor_user_id = $1
         order by weekday, starts",
        doctor
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(WeeklyHours {
                weekday: weekday_from_iso(r.weekday)?,
                starts: r.starts,
                ends: r.ends,
                room: r.room,
            })
        })
        .collect())
}

fn week_json(week: &[WeeklyHours]) -> serde_json::Value {
    json!(
        week.iter()
            .map(|h| json!({
                "weekday": weekday_iso(h.weekday),
                "starts": h.starts.format("%H:%M").to_string(),
                "ends": h.ends.format("%H:%M").to_string(),
                "room": h.room,
            }))
            .collect::<Vec<_>>()
    )
}

/// Replaces the doctor's weekly hours with `sessions`, audited with the
/// week before and after. Appointments already booked stay.
pub async fn set_week(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    doctor: Uuid,
    sessions: &[WeeklyHours],
) -> Result<(), sqlx::Error> {
    let before = week(conn, doctor).await?;
    sqlx::query!(
        "delete from doctor_office_hours where clinic_id = app_clinic_id() and doctor_user_id = $1",
        doctor
    )
    .execute(&mut *conn)
    .await?;
    let weekdays: Vec<i16> = sessions.iter().map(|s| weekday_iso(s.weekday)).collect();
    let starts: Vec<_> = sessions.iter().map(|s| s.starts).collect();
    let ends: Vec<_> = sessions.iter().map(|s| s.ends).collect();
    let rooms: Vec<String> = sessions.iter().map(|s| s.room.clone()).collect();
    sqlx::query!(
        "insert into doctor_office_hours (clinic_id, doctor_user_id, weekday, starts, ends, room)
         select app_clinic_id(), $1, w, s, e, r
         from unnest($2::smallint[], $3::time[], $4::time[], $5::text[]) as t (w, s, e, r)",
        doctor,
        &weekdays,
        &starts,
        &ends,
        &rooms,
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::DoctorSchedule, doctor);
    event.before = Some(json!({ "weekly_hours": week_json(&before) }));
    event.after = Some(json!({ "weekly_hours": week_json(sessions) }));
    audit::record(conn, &event).await
}

/// Adds leave, blocked time or an extra session, audited.
pub async fn add_exception(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    entry: &ExceptionEntry,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into doctor_schedule_exceptions (clinic_id, doctor_user_id, kind, during, room,
                                                 reason, created_by)
         values (app_clinic_id(), $1, $2, tstzrange($3, $4), $5, $6, $7)
         returning id",
        entry.doctor_user_id,
        entry.kind.as_str(),
        starts,
        ends,
        entry.room,
        entry.reason,
        access.user.user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::DoctorSchedule, entry.doctor_user_id);
    event.after = Some(json!({
        "exception_id": id,
        "kind": entry.kind.as_str(),
        "starts": starts,
        "ends": ends,
        "room": entry.room,
        "reason": entry.reason,
    }));
    audit::record(conn, &event).await?;
    Ok(id)
}

/// Everything the doctor's free slots over `days` (local dates) depend on.
pub async fn doctor_schedule(
    conn: &mut PgConnection,
    tz: &Tz,
    doctor: Uuid,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<DoctorSchedule, sqlx::Error> {
    let span = Span {
        starts: day_span(tz, first).starts,
        ends: day_span(tz, last).ends,
    };
    let slot_minutes = sqlx::query_scalar!(
        "select slot_minutes from clinic_schedule_settings where clinic_id = app_clinic_id()"
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(15);
    let opening_hours = sqlx::query!(
        "select weekday, opens, closes from clinic_opening_hours where clinic_id = app_clinic_id()"
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(WeeklyHours {
            weekday: weekday_from_iso(r.weekday)?,
            starts: r.opens,
            ends: r.closes,
            room: String::new(),
        })
    })
    .collect();
    let holidays = sqlx::query_scalar!(
        "select day from clinic_holidays
         where clinic_id = app_clinic_id() and day between $1 and $2",
        first,
        last,
    )
    .fetch_all(&mut *conn)
    .await?;
    let office_hours = week(conn, doctor).await?;
    let mut busy = Vec::new();
    let mut exceptions = Vec::new();
    for r in sqlx::query!(
        r#"select kind as "kind!", starts as "starts!", ends as "ends!", room as "room!"
           from doctor_time($1, tstzrange($2, $3))"#,
        doctor,
        span.starts,
        span.ends,
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let span = Span {
            starts: r.starts,
            ends: r.ends,
        };
        match ExceptionKind::parse(&r.kind) {
            Some(kind) => exceptions.push(ScheduleException {
                kind,
                span,
                room: r.room,
            }),
            None => busy.push(span),
        }
    }
    Ok(DoctorSchedule {
        slot_minutes: u32::try_from(slot_minutes).unwrap_or(15),
        opening_hours,
        holidays,
        office_hours,
        exceptions,
        busy,
    })
}

/// The doctor's free slots on `day`, from `now` on.
pub async fn free_slots(
    conn: &mut PgConnection,
    doctor: Uuid,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, sqlx::Error> {
    let (tz, _) = clinic_zone(conn).await?;
    let schedule = doctor_schedule(conn, &tz, doctor, day, day).await?;
    Ok(schedule.free_slots(&tz, day, now))
}

/// The doctor's next free slots from `from` on, looking ahead at most
/// `days` days, at most `limit` of them.
pub async fn next_free_slots(
    conn: &mut PgConnection,
    doctor: Uuid,
    from: DateTime<Utc>,
    days: u32,
    limit: usize,
) -> Result<Vec<Slot>, sqlx::Error> {
    let (tz, _) = clinic_zone(conn).await?;
    let first = from.with_timezone(&tz).date_naive();
    let last = first + Duration::days(i64::from(days.max(1)) - 1);
    let schedule = doctor_schedule(conn, &tz, doctor, first, last).await?;
    let mut out = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= last) {
        out.extend(schedule.free_slots(&tz, day, from));
        if out.len() >= limit {
            break;
        }
    }
    out.truncate(limit);
    Ok(out)
}
