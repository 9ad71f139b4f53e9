//! Visits: checking a patient in (the database gives the token), and
//! moving a visit through the queue (the database holds the state
//! machine). Each write is audited in the same transaction.

pub mod queues;

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{PatientId, VisitId};
use crate::domain::visits::{ActiveVisit, CheckIn, CheckInForm, DepartmentChoice, VisitStatus};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::error::ConstraintField;

/// The constraints of this area a user can trip, by field.
pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "patient_visits_one_active_key",
        field: "department",
        message: "The patient is already checked in to this department today.",
    },
    ConstraintField {
        constraint: "patient_visits_department_same_clinic",
        field: "department",
        message: "Choose one of this clinic's departments.",
    },
    ConstraintField {
        constraint: "patient_visits_doctor_in_department",
        field: "doctor",
        message: "Choose a doctor who sees patients in this department.",
    },
    ConstraintField {
        constraint: "patient_visits_transition",
        field: "form",
        message: "The visit has moved on since this page was loaded; refresh to see where it is.",
    },
];

/// The check-in page for a patient of this clinic: the departments with
/// their doctors, and the patient's visits still open today.
pub async fn check_in_form(
    conn: &mut PgConnection,
    patient_id: PatientId,
    today: chrono::NaiveDate,
) -> Result<Option<CheckInForm>, sqlx::Error> {
    let Some(p) = sqlx::query!(
        "select id, given_name, family_name, patient_number from patients
         where id = $1 and clinic_id = app_clinic_id()",
        patient_id.as_uuid()
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let departments = department_choices(conn).await?;
    let active = sqlx::query!(
        r#"select v.id, d.name as department, v.token, v.status
           from patient_visits v join departments d on d.id = v.department_id
           where v.patient_id = $1 and v.clinic_id = app_clinic_id() and v.visit_date = $2
             and v.status in ('waiting', 'called', 'in_consultation')
           order by v.checked_in_at"#,
        p.id,
        today,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(ActiveVisit {
            id: r.id,
            department: r.department,
            token: r.token,
            status: VisitStatus::parse(&r.status)?,
        })
    })
    .collect();
    Ok(Some(CheckInForm {
        patient_id: p.id,
        patient_name: format!("{} {}", p.given_name, p.family_name),
        patient_number: p.patient_number,
        departments,
        active,
    }))
}

/// The clinic's departments, each with the doctors who see patients there,
/// by name: what check-in and booking choose from.
pub async fn department_choices(
    conn: &mut PgConnection,
) -> Result<Vec<DepartmentChoice>, sqlx::Error> {
    let doctors = sqlx::query!(
        r#"select d.id, d.name, c.user_id as "doctor_id?", c.display_name as "doctor_name?"
           from departments d
           left join clinic_doctors() c on c.department_id = d.id
           where d.clinic_id = app_clinic_id()
           order by lower(d.name), d.id, lower(c.display_name)
           limit 1000"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut departments: Vec<DepartmentChoice> = Vec::new();
    for r in doctors {
        if departments.last().is_none_or(|d| d.id != r.id) {
            departments.push(DepartmentChoice {
                id: r.id,
                name: r.name,
                doctors: Vec::new(),
            });
        }
        if let (Some(id), Some(name), Some(d)) =
            (r.doctor_id, r.doctor_name, departments.last_mut())
        {
            d.doctors.push((id, name));
        }
    }
    Ok(departments)
}

/// Checks the patient in; the database gives the day's token and refuses a
/// second active visit to the department. `None` when the patient is not
/// this clinic's.
pub async fn check_in(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: PatientId,
    c: &CheckIn,
) -> Result<Option<(VisitId, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"insert into patient_visits (clinic_id, patient_id, department_id, doctor_user_id,
                                       visit_type, reason, priority, checked_in_by,
                                       visit_date, token)
           select app_clinic_id(), p.id, $2, $3, $4, $5, $6, $7,
                  -- set by the patient_visits_numbered trigger
                  current_date, 1
           from patients p where p.id = $1 and p.clinic_id = app_clinic_id()
           returning id, token"#,
        patient_id.as_uuid(),
        c.department_id,
        c.doctor_user_id,
        c.visit_type.as_str(),
        c.reason,
        c.priority.as_str(),
        access.user.user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::Visit, row.id);
    event.after = Some(json!({
        "patient_id": patient_id.as_uuid(),
        "department_id": c.department_id,
        "doctor_user_id": c.doctor_user_id,
        "visit_type": c.visit_type.as_str(),
        "priority": c.priority.as_str(),
        "reason": c.reason,
        "token": row.token,
    }));
    audit::record(conn, &event).await?;
    Ok(Some((VisitId::from(row.id), row.token)))
}

/// Who may make a move, beyond the permission the server function checked:
/// a doctor moves visits of their department (their own or unassigned).
pub enum Mover {
    FrontDesk,
    Doctor { department_id: Option<Uuid> },
}

/// Moves the visit to `to`, and assigns it to the acting doctor when it is
/// called or started while unassigned. `Ok(None)` when there is no such
/// visit for this mover; the database refuses a move out of order.
pub async fn move_to(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    mover: &Mover,
    visit_id: VisitId,
    to: VisitStatus,
) -> Result<Option<VisitStatus>, sqlx::Error> {
    let (doctor, department) = match mover {
        Mover::FrontDesk => (None, None),
        Mover::Doctor { department_id } => (Some(access.user.user_id), *department_id),
    };
    let row = sqlx::query!(
        r#"with before as (
               select id, status from patient_visits
               where id = $1 and clinic_id = app_clinic_id()
                 and ($3::uuid is null
                      or (department_id = $4 and (doctor_user_id is null or doctor_user_id = $3)))
               for update
           )
           update patient_visits v
           set status = $2,
               doctor_user_id = case when $3::uuid is not null and $2 in ('called', 'in_consultation')
                                     then coalesce(v.doctor_user_id, $3) else v.doctor_user_id end
           from before b where v.id = b.id
           returning b.status as "before!""#,
        visit_id.as_uuid(),
        to.as_str(),
        doctor,
        department,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Visit, visit_id);
    event.before = Some(json!({ "status": row.before }));
    event.after = Some(json!({ "status": to.as_str() }));
    audit::record(conn, &event).await?;
    Ok(VisitStatus::parse(&row.before))
}

/// "Call next": the doctor's next waiting patient (their own and their
/// department's unassigned ones; emergencies first, then by token), called
/// and assigned to them. Two doctors calling at once get different
/// patients (`skip locked`).
pub async fn call_next(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    department_id: Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<(VisitId, i32)>, sqlx::Error> {
    let next = sqlx::query!(
        r#"select id, token from patient_visits
           where clinic_id = app_clinic_id() and visit_date = $1 and department_id = $2
             and status = 'waiting' and (doctor_user_id is null or doctor_user_id = $3)
           order by visit_priority_rank(priority), token
           limit 1
           for update skip locked"#,
        today,
        department_id,
        access.user.user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(next) = next else {
        return Ok(None);
    };
    let id = VisitId::from(next.id);
    let mover = Mover::Doctor {
        department_id: Some(department_id),
    };
    Ok(move_to(conn, access, &mover, id, VisitStatus::Called)
        .await?
        .map(|_| (id, next.token)))
}
