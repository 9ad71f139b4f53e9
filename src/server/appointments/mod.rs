//! Appointments: booking (the database refuses overlaps, times outside the
//! doctor's hours and the past), moving, cancelling and checking in, each
//! audited in the same transaction. A booking that loses a race for its
//! time is told so with the doctor's next free times, never a 500.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::appointments::{AppointmentStatus, AppointmentType, Booking};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{AppointmentId, PatientId, VisitId};
use crate::domain::schedules::{Slot, Span, local_date};
use crate::domain::visits::{CheckIn, Priority, VisitType};
use crate::server::access::ClinicAccess;
use crate::server::appointments::letters::LetterKind;
use crate::server::audit;
use crate::server::error::ConstraintField;
use crate::server::schedules;

pub mod letters;
pub mod lists;
pub mod no_shows;
pub mod offers;
pub mod reminders;
pub mod suspensions;

pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "appointments_doctor_overlap",
        field: "starts_at",
        message: "That time was just taken: choose another.",
    },
    ConstraintField {
        constraint: "appointments_patient_overlap",
        field: "starts_at",
        message: "The patient already has an appointment at that time.",
    },
    ConstraintField {
        constraint: "appointments_in_hours",
        field: "starts_at",
        message: "The doctor is not seeing patients then: choose one of the free times.",
    },
    ConstraintField {
        constraint: "appointments_in_the_future",
        field: "starts_at",
        message: "Choose a time that has not passed.",
    },
    ConstraintField {
        constraint: "appointments_within_horizon",
        field: "starts_at",
        message: "That is further ahead than the clinic books.",
    },
    ConstraintField {
        constraint: "appointments_doctor_in_department",
        field: "doctor",
        message: "Choose a doctor who sees patients in this department.",
    },
    ConstraintField {
        constraint: "appointments_department_same_clinic",
        field: "department",
        message: "Choose one of this clinic's departments.",
    },
    ConstraintField {
        constraint: "appointments_patient_same_clinic",
        field: "patient",
        message: "Choose one of this clinic's patients.",
    },
    ConstraintField {
        constraint: "appointments_transition",
        field: "form",
        message: "The appointment has moved on since this page was loaded; refresh to see where it is.",
    },
    ConstraintField {
        constraint: "appointments_cancel_notice",
        field: "form",
        message: "It is too late to cancel online: please call the clinic.",
    },
    ConstraintField {
        constraint: "appointments_self_booking_suspended",
        field: "form",
        message: "Booking online is paused after missed appointments: please call the clinic to book.",
    },
    ConstraintField {
        constraint: "appointments_patient_may_cancel",
        field: "form",
        message: "You can cancel this appointment, but not change it.",
    },
];

/// How many of the doctor's next free times a lost race is answered with,
/// and how far ahead they are looked for.
pub const NEXT_SLOTS: usize = 5;
const NEXT_SLOTS_DAYS: u32 = 14;

/// What became of a booking or a move.
#[derive(Debug)]
pub enum Booked {
    Booked(AppointmentId),
    /// Someone else took the time first (or it is no longer offered).
    Taken {
        /// Whose time it was, and their next free times.
        doctor: Uuid,
        next: Vec<Slot>,
    },
}

fn taken_field() -> AppError {
    AppError::Validation(vec![crate::domain::FieldError::new(
        "starts_at",
        "That time is not free with this doctor: choose one of the free times.",
    )])
}

/// Whether the error is the doctor's time being taken.
fn lost_race(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db)
        if db.constraint() == Some("appointments_doctor_overlap"))
}

/// The doctors of a department who see patients, by name.
async fn department_doctors(
    conn: &mut PgConnection,
    department: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select user_id as "user_id!" from clinic_doctors() where department_id = $1
           order by lower(display_name), user_id
           limit 200"#,
        department
    )
    .fetch_all(&mut *conn)
    .await
}

/// The slot of `doctor` starting at `starts`, if their schedule offers it
/// now; `moving` (an appointment being moved) does not count as busy.
async fn offered_slot(
    conn: &mut PgConnection,
    doctor: Uuid,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
    moving: Option<Span>,
) -> Result<Option<Span>, sqlx::Error> {
    let (tz, _) = schedules::clinic_zone(conn).await?;
    let day = local_date(&tz, starts);
    let mut schedule = schedules::doctor_schedule(conn, &tz, doctor, day, day).await?;
    if let Some(own) = moving {
        schedule.busy.retain(|b| *b != own);
    }
    let slot = Span {
        starts,
        ends: starts + Duration::minutes(i64::from(schedule.slot_minutes)),
    };
    Ok(schedule.offers(&tz, slot, now).then_some(slot))
}

/// The moment an action happens, and the site's address for the links in
/// the letters it causes.
#[derive(Clone, Copy, Debug)]
pub struct Moment<'a> {
    pub now: DateTime<Utc>,
    pub base_url: &'a str,
}

impl<'a> Moment<'a> {
    /// This moment, for a request to the site at `base_url`.
    pub fn now(base_url: &'a str) -> Self {
        Self {
            now: Utc::now(),
            base_url,
        }
    }
}

/// Books `b` and writes the patient its confirmation. With no doctor
/// named, the first of the department's doctors (by name) free at that
/// time. `by_patient`: booked in the portal (the database lets a patient
/// book only for themself).
pub async fn book(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    b: &Booking,
    by_patient: bool,
    at: Moment<'_>,
) -> Result<Booked, AppError> {
    let now = at.now;
    let candidates = match b.doctor_user_id {
        Some(d) => vec![d],
        None => department_doctors(conn, b.department_id).await?,
    };
    let mut chosen = None;
    for doctor in &candidates {
        if let Some(span) = offered_slot(conn, *doctor, b.starts_at, now, None).await? {
            chosen = Some((*doctor, span));
            break;
        }
    }
    let Some((doctor, span)) = chosen else {
        return match candidates.first() {
            Some(first) if b.doctor_user_id.is_some() => Ok(Booked::Taken {
                doctor: *first,
                next: schedules::next_free_slots(conn, *first, now, NEXT_SLOTS_DAYS, NEXT_SLOTS)
                    .await?,
            }),
            _ => Err(taken_field()),
        };
    };
    let mut savepoint = conn.begin().await?;
    let inserted = sqlx::query!(
        "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                                   appointment_type, reason, booked_by, booked_by_patient)
         select app_clinic_id(), p.id, $2, $3, tstzrange($4, $5), $6, $7, $8, $9
         from patients p where p.id = $1 and p.clinic_id = app_clinic_id()
         returning id",
        b.patient_id,
        b.department_id,
        doctor,
        span.starts,
        span.ends,
        b.appointment_type.as_str(),
        b.reason,
        access.user.user_id,
        by_patient,
    )
    .fetch_optional(&mut *savepoint)
    .await;
    let id = match inserted {
        Ok(Some(row)) => {
            savepoint.commit().await?;
            row.id
        }
        Ok(None) => {
            savepoint.rollback().await?;
            return Err(AppError::Validation(vec![crate::domain::FieldError::new(
                "patient",
                "Choose one of this clinic's patients.",
            )]));
        }
        Err(e) if lost_race(&e) => {
            savepoint.rollback().await?;
            return Ok(Booked::Taken {
                doctor,
                next: schedules::next_free_slots(conn, doctor, now, NEXT_SLOTS_DAYS, NEXT_SLOTS)
                    .await?,
            });
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(follow_up) = b.follow_up_id {
        crate::server::follow_ups::book_with(conn, access, follow_up, b.patient_id, id).await?;
    }
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::Appointment, id);
    event.after = Some(json!({
        "patient_id": b.patient_id,
        "department_id": b.department_id,
        "doctor_user_id": doctor,
        "starts": span.starts,
        "ends": span.ends,
        "appointment_type": b.appointment_type.as_str(),
        "reason": b.reason,
        "booked_by_patient": by_patient,
        "follow_up_id": b.follow_up_id,
    }));
    audit::record(conn, &event).await?;
    letters::send(conn, id, LetterKind::Booked, at.base_url, now).await?;
    Ok(Booked::Booked(AppointmentId::from(id)))
}

/// One appointment as the lifecycle needs it.
#[derive(Clone, Debug)]
pub struct AppointmentRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub department_id: Uuid,
    pub doctor_user_id: Uuid,
    pub span: Span,
    pub appointment_type: AppointmentType,
    pub status: AppointmentStatus,
    pub reason: String,
    pub visit_id: Option<Uuid>,
}

/// The appointment, locked for a change; `None` when it is not this
/// clinic's (or, in the portal, not the patient's).
async fn lock(
    conn: &mut PgConnection,
    id: AppointmentId,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"select id, patient_id, department_id, doctor_user_id, lower(during) as "starts!",
                  upper(during) as "ends!", appointment_type, status, reason, visit_id
           from appointments where id = $1 and clinic_id = app_clinic_id()
           for update"#,
        id.as_uuid()
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(AppointmentRow {
        id: r.id,
        patient_id: r.patient_id,
        department_id: r.department_id,
        doctor_user_id: r.doctor_user_id,
        span: Span {
            starts: r.starts,
            ends: r.ends,
        },
        appointment_type: AppointmentType::parse(&r.appointment_type)
            .unwrap_or(AppointmentType::Routine),
        status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::Booked),
        reason: r.reason,
        visit_id: r.visit_id,
    }))
}

fn not_found() -> AppError {
    AppError::NotFound
}

/// The appointment is no longer where the person saw it (cancelled,
/// checked in or missed meanwhile).
fn moved_on() -> AppError {
    AppError::Validation(vec![crate::domain::FieldError::new(
        "form",
        "The appointment has moved on since this page was loaded; refresh to see where it is.",
    )])
}

/// Cancels a booked appointment, with the reason, and tells the patient
/// (the database refuses any other move, and a patient's cancelling after
/// the clinic's notice).
pub async fn cancel(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: AppointmentId,
    reason: &str,
    at: Moment<'_>,
) -> Result<(), AppError> {
    let row = lock(conn, id).await?.ok_or_else(not_found)?;
    cancel_row(conn, access, &row, reason, at).await
}

/// Cancels the patient's own booked appointment (the portal): another
/// patient's is not found, whatever the database's policies would say.
pub async fn cancel_own(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient: PatientId,
    id: AppointmentId,
    reason: &str,
    at: Moment<'_>,
) -> Result<(), AppError> {
    let row = lock(conn, id)
        .await?
        .filter(|r| r.patient_id == patient.as_uuid())
        .ok_or_else(not_found)?;
    cancel_row(conn, access, &row, reason, at).await
}

async fn cancel_row(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    row: &AppointmentRow,
    reason: &str,
    at: Moment<'_>,
) -> Result<(), AppError> {
    // Cancelled already: the database sees no move in that, but a second
    // cancellation would write to the patient again and bury the reason.
    if row.status != AppointmentStatus::Booked {
        return Err(moved_on());
    }
    sqlx::query!(
        "update appointments set status = 'cancelled', cancel_reason = $2, cancelled_by = $3
         where id = $1",
        row.id,
        reason,
        access.user.user_id,
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Appointment, row.id);
    event.before = Some(json!({ "status": row.status.as_str() }));
    event.after = Some(json!({ "status": "cancelled", "cancel_reason": reason }));
    audit::record(conn, &event).await?;
    letters::send(conn, row.id, LetterKind::Cancelled, at.base_url, at.now).await?;
    Ok(())
}

/// Moves a booked appointment to the doctor's free slot at `starts_at`, in
/// one statement (it holds its old time until it holds the new one), and
/// tells the patient.
pub async fn reschedule(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: AppointmentId,
    starts_at: DateTime<Utc>,
    at: Moment<'_>,
) -> Result<Booked, AppError> {
    let now = at.now;
    let row = lock(conn, id).await?.ok_or_else(not_found)?;
    if row.status != AppointmentStatus::Booked {
        return Err(AppError::Validation(vec![crate::domain::FieldError::new(
            "form",
            "Only a booked appointment can be moved.",
        )]));
    }
    let Some(span) = offered_slot(conn, row.doctor_user_id, starts_at, now, Some(row.span)).await?
    else {
        return Ok(Booked::Taken {
            doctor: row.doctor_user_id,
            next: schedules::next_free_slots(
                conn,
                row.doctor_user_id,
                now,
                NEXT_SLOTS_DAYS,
                NEXT_SLOTS,
            )
            .await?,
        });
    };
    let mut savepoint = conn.begin().await?;
    let moved = sqlx::query!(
        "update appointments set during = tstzrange($2, $3) where id = $1",
        row.id,
        span.starts,
        span.ends,
    )
    .execute(&mut *savepoint)
    .await;
    match moved {
        Ok(_) => savepoint.commit().await?,
        Err(e) if lost_race(&e) => {
            savepoint.rollback().await?;
            return Ok(Booked::Taken {
                doctor: row.doctor_user_id,
                next: schedules::next_free_slots(
                    conn,
                    row.doctor_user_id,
                    now,
                    NEXT_SLOTS_DAYS,
                    NEXT_SLOTS,
                )
                .await?,
            });
        }
        Err(e) => return Err(e.into()),
    }
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Appointment, row.id);
    event.before = Some(json!({ "starts": row.span.starts, "ends": row.span.ends }));
    event.after = Some(json!({ "starts": span.starts, "ends": span.ends }));
    audit::record(conn, &event).await?;
    letters::send(conn, row.id, LetterKind::Moved, at.base_url, now).await?;
    Ok(Booked::Booked(id))
}

/// The patient has arrived: checks them in to the appointment's department
/// and doctor (the front desk's visit and token) and marks the appointment
/// checked in. Only on the appointment's own day.
pub async fn check_in(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: AppointmentId,
) -> Result<(VisitId, i32), AppError> {
    let row = lock(conn, id).await?.ok_or_else(not_found)?;
    let (tz, _) = schedules::clinic_zone(conn).await?;
    if local_date(&tz, row.span.starts) != access.membership.today {
        return Err(AppError::Validation(vec![crate::domain::FieldError::new(
            "form",
            "This appointment is not today: only today's can be checked in.",
        )]));
    }
    if row.status != AppointmentStatus::Booked {
        return Err(moved_on());
    }
    let visit = CheckIn {
        department_id: row.department_id,
        doctor_user_id: Some(row.doctor_user_id),
        visit_type: if row.appointment_type == AppointmentType::FollowUp {
            VisitType::FollowUp
        } else {
            VisitType::Appointment
        },
        reason: row.reason.clone(),
        priority: if row.appointment_type == AppointmentType::Emergency {
            Priority::Emergency
        } else {
            Priority::Normal
        },
    };
    let (visit_id, token) =
        crate::server::visits::check_in(conn, access, PatientId::from(row.patient_id), &visit)
            .await?
            .ok_or_else(not_found)?;
    sqlx::query!(
        "update appointments set status = 'checked_in', visit_id = $2 where id = $1",
        row.id,
        visit_id.as_uuid(),
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Appointment, row.id);
    event.before = Some(json!({ "status": row.status.as_str() }));
    event.after = Some(json!({ "status": "checked_in", "visit_id": visit_id.as_uuid() }));
    audit::record(conn, &event).await?;
    Ok((visit_id, token))
}
