//! The booking page: the patient, the departments and doctors to choose
//! from, and the free times on the chosen day, for one doctor or merged
//! across a department's doctors ("first available").

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use sqlx::PgConnection;

use crate::domain::appointments::{BookingPage, BookingPatient, OfferedSlot, taken_message};
use crate::domain::ids::PatientId;
use crate::domain::schedules::Slot;
use crate::domain::visits::DepartmentChoice;
use crate::domain::{AppError, FieldError};
use crate::server::schedules::{clinic_zone, doctor_schedule, local_time};
use crate::server::visits::department_choices;

/// What the booking page was asked for.
#[derive(Clone, Copy, Debug)]
pub struct BookingQuery {
    pub patient: Option<PatientId>,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
    pub day: NaiveDate,
    pub today: NaiveDate,
    /// The pending follow-up the booking is for, if any.
    pub follow_up: Option<Uuid>,
}

/// A slot as the page shows it.
pub fn offered(tz: &Tz, zone: &str, slot: &Slot, doctor: &str, free_doctors: u32) -> OfferedSlot {
    OfferedSlot {
        starts: local_time(tz, zone, slot.span.starts),
        ends: local_time(tz, zone, slot.span.ends),
        room: slot.room.clone(),
        doctor: doctor.to_string(),
        free_doctors,
    }
}

/// The free times on `day`: the chosen doctor's, or each time any of the
/// department's doctors is free, with the first of them by name (the one
/// a "first available" booking goes to) and how many are free.
async fn day_offers(
    conn: &mut PgConnection,
    tz: &Tz,
    zone: &str,
    doctors: &[(Uuid, String)],
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<OfferedSlot>, sqlx::Error> {
    // One doctor's day is a few queries; a department has a few dozen
    // doctors at most (the choices are bounded by `department_choices`).
    let mut merged: Vec<(Slot, String, u32)> = Vec::new();
    for (doctor, name) in doctors {
        let schedule = doctor_schedule(conn, tz, *doctor, day, day).await?;
        for slot in schedule.free_slots(tz, day, now) {
            match merged.iter_mut().find(|(s, _, _)| s.span == slot.span) {
                Some((_, _, n)) => *n += 1,
                None => merged.push((slot, name.clone(), 1)),
            }
        }
    }
    merged.sort_by_key(|(s, _, _)| s.span.starts);
    Ok(merged
        .iter()
        .map(|(slot, name, n)| offered(tz, zone, slot, name, *n))
        .collect())
}

/// The doctors a query covers: the chosen one (if they are in the chosen
/// department), else all of the department's.
fn doctors_of(
    departments: &[DepartmentChoice],
    department: Uuid,
    doctor: Option<Uuid>,
) -> Vec<(Uuid, String)> {
    let Some(d) = departments.iter().find(|d| d.id == department) else {
        return Vec::new();
    };
    match doctor {
        Some(id) => d
            .doctors
            .iter()
            .filter(|(u, _)| *u == id)
            .cloned()
            .collect(),
        None => d.doctors.clone(),
    }
}

/// The booking page for `query`; `None` when the patient named is not this
/// clinic's. Days before today or past the clinic's horizon offer nothing.
pub async fn booking_page(
    conn: &mut PgConnection,
    query: BookingQuery,
    now: DateTime<Utc>,
) -> Result<Option<BookingPage>, sqlx::Error> {
    let patient = match query.patient {
        None => None,
        Some(id) => {
            let Some(p) = sqlx::query!(
                "select id, given_name, family_name, patient_number from patients
                 where id = $1 and clinic_id = app_clinic_id()",
                id.as_uuid()
            )
            .fetch_optional(&mut *conn)
            .await?
            else {
                return Ok(None);
            };
            Some(BookingPatient {
                id: p.id,
                name: format!("{} {}", p.given_name, p.family_name),
                number: p.patient_number,
            })
        }
    };
    let follow_up = match (query.patient, query.follow_up) {
        (Some(patient), Some(id)) => crate::server::follow_ups::pending(conn, patient, id).await?,
        _ => None,
    };
    let (tz, zone) = clinic_zone(conn).await?;
    let horizon = sqlx::query_scalar!(
        "select booking_horizon_days from clinic_schedule_settings
         where clinic_id = app_clinic_id()"
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(90);
    let last_day = query.today + Duration::days(i64::from(horizon));
    let departments = department_choices(conn).await?;
    let closed = sqlx::query_scalar!(
        "select name from clinic_holidays where clinic_id = app_clinic_id() and day = $1",
        query.day
    )
    .fetch_optional(&mut *conn)
    .await?;
    let slots = match query.department_id {
        Some(department) if (query.today..=last_day).contains(&query.day) => {
            let doctors = doctors_of(&departments, department, query.doctor_user_id);
            day_offers(conn, &tz, &zone, &doctors, query.day, now).await?
        }
        _ => Vec::new(),
    };
    Ok(Some(BookingPage {
        patient,
        departments,
        department_id: query.department_id,
        doctor_user_id: query.doctor_user_id,
        day: query.day,
        today: query.today,
        last_day,
        zone,
        slots,
        follow_up,
        closed,
    }))
}

/// The answer to a booking that lost its time: by the time's field, with
/// the doctor's next free times named so they can be offered at once.
pub async fn taken_error(
    conn: &mut PgConnection,
    doctor: Uuid,
    next: &[Slot],
) -> Result<AppError, sqlx::Error> {
    let next = name_slots(conn, doctor, next).await?;
    Ok(AppError::Validation(vec![FieldError::new(
        "starts_at",
        taken_message(&next),
    )]))
}

async fn name_slots(
    conn: &mut PgConnection,
    doctor: Uuid,
    next: &[Slot],
) -> Result<Vec<OfferedSlot>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let name = sqlx::query_scalar!(r#"select clinic_member_name($1) as "name?""#, doctor)
        .fetch_one(&mut *conn)
        .await?
        .unwrap_or_default();
    Ok(next
        .iter()
        .map(|s| offered(&tz, &zone, s, &name, 1))
        .collect())
}
