//! Doctors' schedules: weekly hours and exceptions (each change audited),
//! who may change them, and the free slots they leave, worked out by the
//! domain from what the database holds.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::appointments::ExceptionEntry;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::local_time::LocalTime;
use crate::domain::role::Role;
use crate::domain::schedules::{
    DoctorSchedule, ExceptionKind, ExceptionRow, ScheduleEditor, ScheduleException, SessionRow,
    Slot, Span, WeeklyHours, day_span, weekday_from_iso, weekday_iso,
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

/// A moment as the clinic's clocks read it.
pub fn local_time(tz: &Tz, zone: &str, at: DateTime<Utc>) -> LocalTime {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
    LocalTime {
        utc: at,
        offset_secs: offset.local_minus_utc(),
        zone: zone.to_string(),
    }
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

pub(crate) fn week_json(week: &[WeeklyHours]) -> serde_json::Value {
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

/// The doctors whose schedule the person may change, by name: every
/// doctor for the clinic's admin, the department's for its head, oneself
/// for a doctor (`may_edit` is the same rule, one doctor at a time).
pub async fn editable_doctors(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let (everyone, department) = match access.role() {
        Role::ClinicAdmin => (true, None),
        Role::HeadOfDepartment => (false, access.membership.department_id),
        Role::Doctor => (false, None),
        _ => return Ok(Vec::new()),
    };
    let rows = sqlx::query!(
        "select u.id, u.display_name from memberships m join users u on u.id = m.user_id
         where m.clinic_id = app_clinic_id() and m.active
           and m.role in ('doctor', 'head_of_department')
           and ($1 or m.user_id = $2 or m.department_id = $3)
         order by lower(u.display_name), u.id
         limit 500",
        everyone,
        access.user.user_id,
        department,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}

/// The doctor's exceptions not yet over, soonest first.
pub async fn exceptions_ahead(
    conn: &mut PgConnection,
    tz: &Tz,
    zone: &str,
    doctor: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<ExceptionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, kind, lower(during) as "starts!", upper(during) as "ends!", room, reason
           from doctor_schedule_exceptions
           where clinic_id = app_clinic_id() and doctor_user_id = $1 and upper(during) > $2
           order by lower(during)
           limit 100"#,
        doctor,
        now,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ExceptionRow {
                id: r.id,
                kind: ExceptionKind::parse(&r.kind)?,
                starts: local_time(tz, zone, r.starts),
                ends: local_time(tz, zone, r.ends),
                room: r.room,
                reason: r.reason,
            })
        })
        .collect())
}

/// The schedule page of `doctor` (none: the first the person may change);
/// `None` when that is not a doctor whose schedule they may change.
pub async fn editor(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    doctor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<ScheduleEditor>, sqlx::Error> {
    let doctors = editable_doctors(conn, access).await?;
    let chosen = match doctor {
        Some(d) => doctors.iter().find(|(id, _)| *id == d),
        None => doctors
            .iter()
            .find(|(id, _)| *id == access.user.user_id)
            .or(doctors.first()),
    };
    let Some((doctor_user_id, name)) = chosen.cloned() else {
        return Ok(None);
    };
    let (tz, zone) = clinic_zone(conn).await?;
    let slot_minutes = sqlx::query_scalar!(
        "select slot_minutes from clinic_schedule_settings where clinic_id = app_clinic_id()"
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(15);
    let week = week(conn, doctor_user_id)
        .await?
        .into_iter()
        .map(SessionRow::from)
        .collect();
    let exceptions = exceptions_ahead(conn, &tz, &zone, doctor_user_id, now).await?;
    Ok(Some(ScheduleEditor {
        doctors,
        doctor_user_id,
        doctor: name,
        week,
        exceptions,
        zone,
        slot_minutes,
    }))
}

/// Whose exception `id` is (this clinic's), to check before removing it.
pub async fn exception_doctor(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select doctor_user_id from doctor_schedule_exceptions
         where id = $1 and clinic_id = app_clinic_id()",
        id
    )
    .fetch_optional(&mut *conn)
    .await
}

/// Removes an exception (leave cancelled, a meeting moved), audited with
/// what it was. Appointments booked meanwhile stay.
pub async fn remove_exception(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"delete from doctor_schedule_exceptions where id = $1 and clinic_id = app_clinic_id()
           returning doctor_user_id, kind, lower(during) as "starts!", upper(during) as "ends!",
                     room, reason"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(false);
    };
    let mut event = access
        .event(AuditAction::Delete)
        .about(AuditEntity::DoctorSchedule, r.doctor_user_id);
    event.before = Some(json!({
        "exception_id": id,
        "kind": r.kind,
        "starts": r.starts,
        "ends": r.ends,
        "room": r.room,
        "reason": r.reason,
    }));
    audit::record(conn, &event).await?;
    Ok(true)
}
