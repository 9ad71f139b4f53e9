//! The clinic's opening hours and holidays: read by the booking rules page,
//! changed by the clinic admin, each change audited with what it was and
//! what it became. Free slots and the database's booking check read the
//! same tables (`server::schedules::doctor_schedule`,
//! `appointment_in_hours`).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::clinic_calendar::{ClinicCalendar, HOLIDAYS_LISTED, Holiday};
use crate::domain::schedules::{SessionRow, WeeklyHours, day_span, weekday_from_iso, weekday_iso};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::error::ConstraintField;
use crate::server::schedules::{clinic_zone, week_json};

pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "clinic_holidays_one_a_day",
        field: "day",
        message: "That day is already a holiday.",
    },
    ConstraintField {
        constraint: "clinic_opening_hours_overlap",
        field: "sessions",
        message: "Two opening sessions on the same day overlap.",
    },
];

/// The clinic's opening hours, by weekday and time.
pub async fn opening_hours(conn: &mut PgConnection) -> Result<Vec<WeeklyHours>, sqlx::Error> {
    let rows = sqlx::query!(
        "select weekday, opens, closes from clinic_opening_hours
         where clinic_id = app_clinic_id()
         order by weekday, opens"
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(WeeklyHours {
                weekday: weekday_from_iso(r.weekday)?,
                starts: r.opens,
                ends: r.closes,
                room: String::new(),
            })
        })
        .collect())
}

/// The page's view: the hours, and the holidays from today on.
pub async fn calendar(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<ClinicCalendar, sqlx::Error> {
    let (_, zone) = clinic_zone(conn).await?;
    let today = access.membership.today;
    let opening_hours = opening_hours(conn)
        .await?
        .into_iter()
        .map(SessionRow::from)
        .collect();
    let holidays = sqlx::query_as!(
        Holiday,
        "select day, name from clinic_holidays
         where clinic_id = app_clinic_id() and day >= $1
         order by day limit $2",
        today,
        HOLIDAYS_LISTED,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(ClinicCalendar {
        opening_hours,
        holidays,
        today,
        zone,
    })
}

/// Replaces the opening hours with `sessions` (none: open whenever the
/// doctors are), audited. Appointments already booked stay.
pub async fn set_opening_hours(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    sessions: &[WeeklyHours],
) -> Result<(), sqlx::Error> {
    let before = opening_hours(conn).await?;
    sqlx::query!("delete from clinic_opening_hours where clinic_id = app_clinic_id()")
        .execute(&mut *conn)
        .await?;
    let weekdays: Vec<i16> = sessions.iter().map(|s| weekday_iso(s.weekday)).collect();
    let opens: Vec<_> = sessions.iter().map(|s| s.starts).collect();
    let closes: Vec<_> = sessions.iter().map(|s| s.ends).collect();
    sqlx::query!(
        "insert into clinic_opening_hours (clinic_id, weekday, opens, closes)
         select app_clinic_id(), w, o, c
         from unnest($1::smallint[], $2::time[], $3::time[]) as t (w, o, c)",
        &weekdays,
        &opens,
        &closes,
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Clinic, access.membership.clinic_id);
    event.before = Some(json!({ "opening_hours": week_json(&before) }));
    event.after = Some(json!({ "opening_hours": week_json(sessions) }));
    audit::record(conn, &event).await
}

/// Closes the clinic on `holiday.day`, audited; returns how many
/// appointments are still booked that day (they stay booked: the desk
/// moves or cancels them, and the page says so).
pub async fn add_holiday(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    holiday: &Holiday,
) -> Result<i64, AppError> {
    sqlx::query!(
        "insert into clinic_holidays (clinic_id, day, name) values (app_clinic_id(), $1, $2)",
        holiday.day,
        holiday.name,
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::Clinic, access.membership.clinic_id);
    event.after = Some(json!({ "holiday": holiday }));
    audit::record(conn, &event).await?;
    let (tz, _) = clinic_zone(conn).await?;
    let span = day_span(&tz, holiday.day);
    Ok(booked_between(conn, span.starts, span.ends).await?)
}

/// Appointments booked (not yet arrived) starting in [from, to).
async fn booked_between(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from appointments
           where clinic_id = app_clinic_id() and status = 'booked'
             and starts_at >= $1 and starts_at < $2"#,
        from,
        to,
    )
    .fetch_one(conn)
    .await
}

/// Opens the clinic again on `day`, audited; false when it was not a
/// holiday.
pub async fn remove_holiday(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query_as!(
        Holiday,
        "delete from clinic_holidays where clinic_id = app_clinic_id() and day = $1
         returning day, name",
        day,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(removed) = removed else {
        return Ok(false);
    };
    let mut event = access
        .event(AuditAction::Delete)
        .about(AuditEntity::Clinic, access.membership.clinic_id);
    event.before = Some(json!({ "holiday": removed }));
    audit::record(conn, &event).await?;
    Ok(true)
}
