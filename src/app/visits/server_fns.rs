//! Visits' server functions: check-in and its slip (the front desk), the
//! front desk's queue, and the doctor's queue with its actions.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::visits::{
    CheckInForm, CheckInInput, DepartmentDay, DeskQueue, DoctorQueue, TokenSlip,
};

/// The check-in form for a patient of this clinic.
#[server(prefix = "/fn/visits", endpoint = "check_in_details")]
pub async fn check_in_details(slug: String, patient: String) -> Result<CheckInForm, AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::{access, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::CheckInPatients).await?;
    let patient = PatientId::parse(&patient)?;
    let today = access.membership.today;
    let form = visits::check_in_form(&mut tx, patient, today).await?;
    tx.commit().await?;
    form.ok_or(AppError::NotFound)
}

/// Checks the patient in and goes to the token slip.
#[server(prefix = "/fn/visits", endpoint = "check_in_patient")]
pub async fn check_in_patient(
    slug: String,
    patient: String,
    visit: CheckInInput,
) -> Result<(), AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::domain::visits::parse_check_in;
    use crate::server::{access, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::CheckInPatients).await?;
    let patient = PatientId::parse(&patient)?;
    let check_in = parse_check_in(&visit)?;
    let (id, _token) = visits::check_in(&mut tx, &access, patient, &check_in)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/visits/{id}/slip", access.membership.slug));
    Ok(())
}

/// A visit's token slip.
#[server(prefix = "/fn/visits", endpoint = "visit_slip")]
pub async fn visit_slip(slug: String, id: String) -> Result<TokenSlip, AppError> {
    use crate::domain::ids::VisitId;
    use crate::domain::permission::Permission;
    use crate::server::{access, visits};
    let (mut tx, _access) = access::clinic(&slug, Permission::CheckInPatients).await?;
    let id = VisitId::parse(&id)?;
    let slip = visits::queues::slip(&mut tx, id).await?;
    tx.commit().await?;
    slip.ok_or(AppError::NotFound)
}

/// The front desk's day: counts and one page of the queue, by department.
#[server(prefix = "/fn/visits", endpoint = "front_desk_queue")]
pub async fn front_desk_queue(
    slug: String,
    department: String,
    showing: String,
    page: u32,
) -> Result<DeskQueue, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::domain::visits::Showing;
    use crate::server::visits::queues::{self, QueueFilter};
    use crate::server::{access, staff};
    let (mut tx, access) = access::clinic(&slug, Permission::CheckInPatients).await?;
    // An unknown department filters nothing rather than failing the page.
    let department_id = uuid::Uuid::parse_str(department.trim()).ok();
    let day = access.membership.today;
    let filter = QueueFilter {
        day,
        department_id,
        showing: Showing::from_query(Some(showing.as_str())),
        doctor_user_id: None,
        awaiting_vitals: false,
    };
    let (visits, counts) =
        queues::desk_day(&mut tx, filter, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let departments = staff::departments(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    tx.commit().await?;
    Ok(DeskQueue {
        counts,
        departments,
        visits,
    })
}

/// The signed-in doctor's "Today's queue": their own visits and their
/// department's unassigned ones still open.
#[server(prefix = "/fn/visits", endpoint = "my_queue")]
pub async fn my_queue(slug: String, page: u32) -> Result<DoctorQueue, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, Page, PageRequest};
    use crate::domain::permission::Permission;
    use crate::domain::visits::Showing;
    use crate::server::visits::queues::{self, QueueFilter};
    use crate::server::{access, staff};
    let (mut tx, access) = access::clinic(&slug, Permission::Consult).await?;
    let page = PageRequest::new(page, DEFAULT_PER_PAGE);
    let Some(department_id) = access.membership.department_id else {
        return Ok(DoctorQueue {
            department: None,
            visits: Page::exact(Vec::new(), page, 0),
        });
    };
    let day = access.membership.today;
    let filter = QueueFilter {
        day,
        department_id: Some(department_id),
        showing: Showing::Active,
        doctor_user_id: Some(access.user.user_id),
        awaiting_vitals: false,
    };
    let visits = queues::list(&mut tx, filter, page).await?;
    let department = staff::department(&mut tx, department_id)
        .await?
        .map(|d| d.name);
    tx.commit().await?;
    Ok(DoctorQueue { department, visits })
}

/// "Call next": the next patient in the doctor's queue is called to them.
#[server(prefix = "/fn/visits", endpoint = "call_next")]
pub async fn call_next(slug: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::Consult).await?;
    let department_id = access.membership.department_id.ok_or_else(|| {
        AppError::Conflict("You belong to no department, so you have no queue.".into())
    })?;
    let day = access.membership.today;
    let called = visits::call_next(&mut tx, &access, department_id, day).await?;
    tx.commit().await?;
    let slug = &access.membership.slug;
    match called {
        Some((_, token)) => leptos_axum::redirect(&format!("/c/{slug}/doctor?called={token}")),
        None => leptos_axum::redirect(&format!("/c/{slug}/doctor?called=none")),
    }
    Ok(())
}

/// A doctor's move of a visit in their queue: start the consultation, mark
/// a called patient as not there, or complete the visit.
#[server(prefix = "/fn/visits", endpoint = "doctor_visit_action")]
pub async fn doctor_visit_action(slug: String, id: String, action: String) -> Result<(), AppError> {
    use crate::domain::ids::VisitId;
    use crate::domain::permission::Permission;
    use crate::domain::visits::DoctorAction;
    use crate::server::access;
    use crate::server::visits::{self, Mover};
    let (mut tx, access) = access::clinic(&slug, Permission::Consult).await?;
    let id = VisitId::parse(&id)?;
    let action = DoctorAction::parse(&action).ok_or(AppError::NotFound)?;
    let mover = Mover::Doctor {
        department_id: access.membership.department_id,
    };
    visits::move_to(&mut tx, &access, &mover, id, action.target())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/doctor", access.membership.slug));
    Ok(())
}

/// The front desk's move of a visit: cancelled, or left without being seen.
#[server(prefix = "/fn/visits", endpoint = "desk_visit_action")]
pub async fn desk_visit_action(slug: String, id: String, action: String) -> Result<(), AppError> {
    use crate::domain::ids::VisitId;
    use crate::domain::permission::Permission;
    use crate::domain::visits::DeskAction;
    use crate::server::access;
    use crate::server::visits::{self, Mover};
    let (mut tx, access) = access::clinic(&slug, Permission::CheckInPatients).await?;
    let id = VisitId::parse(&id)?;
    let action = DeskAction::parse(&action).ok_or(AppError::NotFound)?;
    visits::move_to(&mut tx, &access, &Mover::FrontDesk, id, action.target())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/reception", access.membership.slug));
    Ok(())
}

/// Today by department, for the clinic admin's dashboard.
#[server(prefix = "/fn/visits", endpoint = "visits_today")]
pub async fn visits_today(slug: String) -> Result<Vec<DepartmentDay>, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, visits::queues};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let day = access.membership.today;
    let days = queues::departments_today(&mut tx, day).await?;
    tx.commit().await?;
    Ok(days)
}
