//! Follow-ups' server functions: the desk's list, a patient's on their
//! record, adding one and marking one missed. Booking one is the booking
//! page's (`book_appointment` with the follow-up's id).

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::follow_ups::{FollowUpInput, FollowUpList, PatientFollowUps};

/// One page of the clinic's follow-ups with `status` ("pending", the
/// default: those to book, by due date).
#[server(prefix = "/fn/follow_ups", endpoint = "follow_ups_list")]
pub async fn follow_ups_list(
    slug: String,
    status: String,
    page: u32,
) -> Result<FollowUpList, AppError> {
    use crate::domain::follow_ups::FollowUpView;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, follow_ups};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewAppointments).await?;
    let view = FollowUpView::parse(&status);
    let items = follow_ups::list(&mut tx, view, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(FollowUpList {
        today: access.membership.today,
        status: view.status(),
        items,
        may_book: access.role().can(Permission::BookAppointments),
    })
}

/// The patient's follow-ups for their record, and the departments to
/// choose from when the person may add one.
#[server(prefix = "/fn/follow_ups", endpoint = "follow_ups_of_patient")]
pub async fn follow_ups_of_patient(
    slug: String,
    patient: String,
) -> Result<PatientFollowUps, AppError> {
    use crate::domain::follow_ups::RECORD_FOLLOW_UPS;
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::{access, follow_ups, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let patient = PatientId::parse(&patient)?;
    let items = follow_ups::of_patient(&mut tx, patient, RECORD_FOLLOW_UPS).await?;
    let may_add = access.role().can(Permission::AddFollowUps);
    let departments = if may_add {
        visits::department_choices(&mut tx).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(PatientFollowUps {
        patient_id: patient.as_uuid(),
        today: access.membership.today,
        items,
        departments,
        may_add,
        may_book: access.role().can(Permission::BookAppointments),
    })
}

/// Adds a follow-up to the patient, then back to their record.
#[server(prefix = "/fn/follow_ups", endpoint = "add_follow_up")]
pub async fn add_follow_up(
    slug: String,
    patient: String,
    #[server(default)] follow_up: FollowUpInput,
) -> Result<(), AppError> {
    use crate::domain::follow_ups::parse_follow_up;
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::{access, follow_ups};
    let (mut tx, access) = access::clinic(&slug, Permission::AddFollowUps).await?;
    let patient = PatientId::parse(&patient)?;
    let f = parse_follow_up(&follow_up, access.membership.today)?;
    follow_ups::add(&mut tx, &access, patient, &f).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/patients/{patient}?follow_up=added#follow-ups",
        access.membership.slug
    ));
    Ok(())
}

/// Marks a pending follow-up missed (the patient could not be brought
/// back), then back to the list of those to book.
#[server(prefix = "/fn/follow_ups", endpoint = "mark_follow_up_missed")]
pub async fn mark_follow_up_missed(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::ids::FollowUpId;
    use crate::domain::permission::Permission;
    use crate::server::{access, follow_ups};
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let id = FollowUpId::parse(&id)?;
    follow_ups::mark_missed(&mut tx, &access, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/follow-ups?marked=missed",
        access.membership.slug
    ));
    Ok(())
}
