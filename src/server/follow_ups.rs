//! Follow-ups: adding one to a patient, the desk's list of those to book,
//! a patient's on their record, booking one with an appointment and
//! marking one missed. The database holds the lifecycle (and moves a
//! booked one with its appointment); each change here is audited in its
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::follow_ups::{
    FollowUpItem, FollowUpStatus, FollowUpView, NewFollowUp, missable,
};
use crate::domain::ids::{FollowUpId, PatientId};
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};
use crate::domain::{AppError, FieldError};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::error::ConstraintField;
use crate::server::schedules::{clinic_zone, local_time};

pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "follow_ups_due_not_past",
        field: "due_on",
        message: "Choose today or a later day.",
    },
    ConstraintField {
        constraint: "follow_ups_due_within_two_years",
        field: "due_on",
        message: "Choose a day within two years.",
    },
    ConstraintField {
        constraint: "follow_ups_doctor_in_department",
        field: "doctor",
        message: "Choose a doctor who sees patients in this department.",
    },
    ConstraintField {
        constraint: "follow_ups_department_same_clinic",
        field: "department",
        message: "Choose one of this clinic's departments.",
    },
    ConstraintField {
        constraint: "follow_ups_transition",
        field: "form",
        message: "The follow-up has moved on since this page was loaded; refresh to see where it is.",
    },
    ConstraintField {
        constraint: "follow_ups_booked_appointment",
        field: "form",
        message: "The follow-up can only be booked with one of the patient's booked appointments.",
    },
];

/// Adds a follow-up to the patient; `NotFound` when the patient is not
/// this clinic's.
pub async fn add(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient: PatientId,
    f: &NewFollowUp,
) -> Result<FollowUpId, AppError> {
    let id = sqlx::query_scalar!(
        "insert into follow_ups (clinic_id, patient_id, department_id, doctor_user_id, due_on,
                                 reason, created_by)
         select app_clinic_id(), p.id, $2, $3, $4, $5, $6
         from patients p where p.id = $1 and p.clinic_id = app_clinic_id()
         returning id",
        patient.as_uuid(),
        f.department_id,
        f.doctor_user_id,
        f.due_on,
        f.reason,
        access.user.user_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::FollowUp, id);
    event.after = Some(json!({
        "patient_id": patient.as_uuid(),
        "department_id": f.department_id,
        "doctor_user_id": f.doctor_user_id,
        "due_on": f.due_on,
        "reason": f.reason,
    }));
    audit::record(conn, &event).await?;
    Ok(FollowUpId::from(id))
}

struct Row {
    id: Uuid,
    patient_id: Uuid,
    given_name: String,
    family_name: String,
    patient_number: String,
    department_id: Uuid,
    department: String,
    doctor_user_id: Option<Uuid>,
    doctor: Option<String>,
    due_on: NaiveDate,
    reason: String,
    status: String,
    appointment_id: Option<Uuid>,
    appointment_starts: Option<DateTime<Utc>>,
    asked_by: Option<String>,
}

fn item(r: Row, tz: &Tz, zone: &str) -> FollowUpItem {
    FollowUpItem {
        id: r.id,
        patient_id: r.patient_id,
        patient_name: format!("{} {}", r.given_name, r.family_name),
        patient_number: r.patient_number,
        department_id: r.department_id,
        department: r.department,
        doctor_user_id: r.doctor_user_id,
        doctor: r.doctor,
        due_on: r.due_on,
        reason: r.reason,
        // The database's check admits only the stored names.
        status: FollowUpStatus::parse(&r.status).unwrap_or(FollowUpStatus::Pending),
        appointment_id: r.appointment_id,
        appointment_starts: r.appointment_starts.map(|t| local_time(tz, zone, t)),
        asked_by: r.asked_by.unwrap_or_default(),
    }
}

/// One page of the clinic's follow-ups: those to book by due date (the
/// overdue first), or those of another status most recently due first.
/// Counted up to the usual cap: years of completed ones add up.
pub async fn list(
    conn: &mut PgConnection,
    view: FollowUpView,
    page: PageRequest,
) -> Result<Page<FollowUpItem>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let status = view.status().as_str();
    let window = count_window(page);
    let counted = sqlx::query_scalar!(
        r#"select count(*) as "n!" from (
               select 1 from follow_ups
               where clinic_id = app_clinic_id() and status = $1 limit $2) f"#,
        status,
        window,
    )
    .fetch_one(&mut *conn)
    .await?;
    // Two statements, each ordered as its index is, so a page reads only
    // its rows.
    let rows = if view == FollowUpView::ToBook {
        sqlx::query_as!(
            Row,
            r#"select f.id, f.patient_id, p.given_name, p.family_name, p.patient_number,
                      f.department_id, d.name as department, f.doctor_user_id,
                      clinic_member_name(f.doctor_user_id) as doctor, f.due_on, f.reason,
                      f.status, f.appointment_id, null::timestamptz as appointment_starts,
                      clinic_member_name(f.created_by) as asked_by
               from follow_ups f
               join patients p on p.id = f.patient_id
               join departments d on d.id = f.department_id
               where f.clinic_id = app_clinic_id() and f.status = 'pending'
               order by f.due_on, f.id
               limit $1 offset $2"#,
            page.limit(),
            page.offset(),
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        sqlx::query_as!(
            Row,
            r#"select f.id, f.patient_id, p.given_name, p.family_name, p.patient_number,
                      f.department_id, d.name as department, f.doctor_user_id,
                      clinic_member_name(f.doctor_user_id) as doctor, f.due_on, f.reason,
                      f.status, f.appointment_id, lower(a.during) as appointment_starts,
                      clinic_member_name(f.created_by) as asked_by
               from follow_ups f
               join patients p on p.id = f.patient_id
               join departments d on d.id = f.department_id
               left join appointments a on a.id = f.appointment_id
               where f.clinic_id = app_clinic_id() and f.status = $1
               order by f.due_on desc, f.id desc
               limit $2 offset $3"#,
            status,
            page.limit(),
            page.offset(),
        )
        .fetch_all(&mut *conn)
        .await?
    };
    let (total, capped) = capped_total(counted, window);
    let items = rows.into_iter().map(|r| item(r, &tz, &zone)).collect();
    Ok(Page::new(items, page, total, capped))
}

/// The patient's follow-ups, latest due first, at most `limit`; with
/// `only`, just that one and only while it is pending (the one a booking
/// may book).
async fn of_patient_rows(
    conn: &mut PgConnection,
    patient: PatientId,
    only: Option<Uuid>,
    limit: i64,
) -> Result<Vec<FollowUpItem>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let rows = sqlx::query_as!(
        Row,
        r#"select f.id, f.patient_id, p.given_name, p.family_name, p.patient_number,
                  f.department_id, d.name as department, f.doctor_user_id,
                  clinic_member_name(f.doctor_user_id) as doctor, f.due_on, f.reason, f.status,
                  f.appointment_id, lower(a.during) as appointment_starts,
                  clinic_member_name(f.created_by) as asked_by
           from follow_ups f
           join patients p on p.id = f.patient_id
           join departments d on d.id = f.department_id
           left join appointments a on a.id = f.appointment_id
           where f.patient_id = $1 and f.clinic_id = app_clinic_id()
             and ($2::uuid is null or (f.id = $2 and f.status = 'pending'))
           order by f.due_on desc, f.id desc
           limit $3"#,
        patient.as_uuid(),
        only,
        limit,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| item(r, &tz, &zone)).collect())
}

/// One follow-up of this clinic as it now is, whatever its state (the
/// answer to a change just made).
pub async fn one(
    conn: &mut PgConnection,
    id: FollowUpId,
) -> Result<Option<FollowUpItem>, sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    let row = sqlx::query_as!(
        Row,
        r#"select f.id, f.patient_id, p.given_name, p.family_name, p.patient_number,
                  f.department_id, d.name as department, f.doctor_user_id,
                  clinic_member_name(f.doctor_user_id) as doctor, f.due_on, f.reason, f.status,
                  f.appointment_id, lower(a.during) as appointment_starts,
                  clinic_member_name(f.created_by) as asked_by
           from follow_ups f
           join patients p on p.id = f.patient_id
           join departments d on d.id = f.department_id
           left join appointments a on a.id = f.appointment_id
           where f.id = $1 and f.clinic_id = app_clinic_id()"#,
        id.as_uuid(),
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| item(r, &tz, &zone)))
}

/// The patient's follow-ups for their record, latest due first.
/// `NotFound` when the patient is not this clinic's.
pub async fn of_patient(
    conn: &mut PgConnection,
    patient: PatientId,
    limit: i64,
) -> Result<Vec<FollowUpItem>, AppError> {
    if !crate::server::patients::is_ours(conn, patient).await? {
        return Err(AppError::NotFound);
    }
    Ok(of_patient_rows(conn, patient, None, limit).await?)
}

/// [`of_patient`] read on its own (the API's), with the patient's VIEW
/// event; the record page's card is part of the record's read.
pub async fn read_of_patient(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient: PatientId,
    limit: i64,
) -> Result<Vec<FollowUpItem>, AppError> {
    let items = of_patient(conn, patient, limit).await?;
    let mut event = access
        .event(AuditAction::View)
        .about(AuditEntity::Patient, patient.as_uuid());
    event.after = Some(json!({ "purpose": "follow_ups" }));
    audit::record(conn, &event).await?;
    Ok(items)
}

/// The patient's pending follow-up `id`, which a booking may book; `None`
/// when it is not theirs, not this clinic's or no longer pending.
pub async fn pending(
    conn: &mut PgConnection,
    patient: PatientId,
    id: Uuid,
) -> Result<Option<FollowUpItem>, sqlx::Error> {
    Ok(of_patient_rows(conn, patient, Some(id), 1).await?.pop())
}

fn moved_on() -> AppError {
    AppError::Validation(vec![FieldError::new(
        "form",
        "The follow-up has been booked or closed since this page was loaded: book without it, \
         or go back to the follow-ups.",
    )])
}

/// Books the patient's pending follow-up `id` with their just-booked
/// `appointment`, in the booking's transaction: if it is no longer
/// pending the booking fails as a whole.
pub async fn book_with(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: Uuid,
    patient: Uuid,
    appointment: Uuid,
) -> Result<(), AppError> {
    let booked = sqlx::query!(
        "update follow_ups set status = 'booked', appointment_id = $3
         where id = $1 and patient_id = $2 and clinic_id = app_clinic_id() and status = 'pending'",
        id,
        patient,
        appointment,
    )
    .execute(&mut *conn)
    .await?;
    if booked.rows_affected() == 0 {
        return Err(moved_on());
    }
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::FollowUp, id);
    event.before = Some(json!({ "status": "pending" }));
    event.after = Some(json!({ "status": "booked", "appointment_id": appointment }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Marks a pending follow-up missed: the patient could not be brought
/// back. `NotFound` when it is not this clinic's.
pub async fn mark_missed(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: FollowUpId,
) -> Result<PatientId, AppError> {
    let row = sqlx::query!(
        "select patient_id, status, due_on from follow_ups
         where id = $1 and clinic_id = app_clinic_id() for update",
        id.as_uuid()
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = FollowUpStatus::parse(&row.status).unwrap_or(FollowUpStatus::Completed);
    if status != FollowUpStatus::Pending {
        return Err(moved_on());
    }
    if !missable(status, row.due_on, access.membership.today) {
        return Err(AppError::Validation(vec![FieldError::new(
            "form",
            "It is not due yet: a follow-up can be marked missed from its due day.",
        )]));
    }
    sqlx::query!(
        "update follow_ups set status = 'missed' where id = $1",
        id.as_uuid()
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::FollowUp, id.as_uuid());
    event.before = Some(json!({ "status": "pending" }));
    event.after = Some(json!({ "status": "missed" }));
    audit::record(conn, &event).await?;
    Ok(PatientId::from(row.patient_id))
}
