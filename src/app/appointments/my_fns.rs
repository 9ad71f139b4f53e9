//! The patient's own appointments in the portal: the list, booking a free
//! time for themself, and cancelling up to the clinic's notice. The
//! patient is always the signed-in person's own record, whatever a form
//! says; the database's policies hold the same line.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::appointments::{BookingInput, BookingPage, MyAppointment, MyAppointments};

/// The signed-in person's own patient record here; not found without one.
#[cfg(feature = "ssr")]
async fn own(
    tx: &mut crate::server::page_transaction::ClinicTx,
    access: &crate::server::access::ClinicAccess,
) -> Result<crate::domain::ids::PatientId, AppError> {
    crate::server::patients::own_patient_id(tx, access)
        .await?
        .ok_or(AppError::NotFound)
}

/// What is coming and what has been.
#[server(prefix = "/fn/appointments", endpoint = "own_appointments")]
pub async fn own_appointments(slug: String, page: u32) -> Result<MyAppointments, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, appointments::lists};
    let (mut tx, access) = access::clinic(&slug, Permission::BookOwnAppointments).await?;
    let patient = own(&mut tx, &access).await?;
    let page = PageRequest::new(page, DEFAULT_PER_PAGE);
    let mine = lists::own(&mut tx, &access, patient, page, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(mine)
}

/// The booking page for oneself.
#[server(prefix = "/fn/appointments", endpoint = "my_booking_choices")]
pub async fn my_booking_choices(
    slug: String,
    department: String,
    doctor: String,
    day: String,
) -> Result<BookingPage, AppError> {
    use crate::domain::appointments::{day_or_today, optional_id};
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::offers::{self, BookingQuery};
    let (mut tx, access) = access::clinic(&slug, Permission::BookOwnAppointments).await?;
    let patient = own(&mut tx, &access).await?;
    let today = access.membership.today;
    let query = BookingQuery {
        patient: Some(patient),
        department_id: optional_id(&department),
        doctor_user_id: optional_id(&doctor),
        day: day_or_today(&day, today),
        today,
        follow_up: None,
    };
    let page = offers::booking_page(&mut tx, query, chrono::Utc::now()).await?;
    tx.commit().await?;
    page.ok_or(AppError::NotFound)
}

/// Books a free time for oneself (a routine appointment), then the list.
#[server(prefix = "/fn/appointments", endpoint = "book_my_appointment")]
pub async fn book_my_appointment(slug: String, booking: BookingInput) -> Result<(), AppError> {
    use crate::domain::appointments::{AppointmentType, parse_booking};
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::{self, Booked, Moment, offers};
    use crate::server::state::AppState;
    let (mut tx, access) = access::clinic(&slug, Permission::BookOwnAppointments).await?;
    let patient = own(&mut tx, &access).await?;
    let mut b = parse_booking(&BookingInput {
        patient: patient.to_string(),
        appointment_type: AppointmentType::Routine.as_str().into(),
        // Follow-ups are the desk's to book.
        follow_up: String::new(),
        ..booking
    })?;
    b.patient_id = patient.as_uuid();
    let state = AppState::from_context()?;
    let at = Moment::now(&state.config.base_url);
    match appointments::book(&mut tx, &access, &b, true, at).await? {
        Booked::Booked(_) => {
            tx.commit().await?;
            leptos_axum::redirect(&format!(
                "/c/{}/my-appointments?booked=1",
                access.membership.slug
            ));
            Ok(())
        }
        Booked::Taken { doctor, next } => Err(offers::taken_error(&mut tx, doctor, &next).await?),
    }
}

/// One of one's own appointments (another's is not found).
#[server(prefix = "/fn/appointments", endpoint = "own_appointment")]
pub async fn own_appointment(slug: String, id: String) -> Result<MyAppointment, AppError> {
    use crate::domain::ids::AppointmentId;
    use crate::domain::permission::Permission;
    use crate::server::{access, appointments::lists};
    let (mut tx, access) = access::clinic(&slug, Permission::BookOwnAppointments).await?;
    let patient = own(&mut tx, &access).await?;
    let id = AppointmentId::parse(&id)?;
    let found = lists::open(&mut tx, &access, id)
        .await?
        .filter(|a| a.patient_id == patient.as_uuid())
        .ok_or(AppError::NotFound)?;
    let notice = lists::cancel_notice_minutes(&mut tx).await?;
    tx.commit().await?;
    Ok(MyAppointment::at(found, chrono::Utc::now(), notice))
}

/// Cancels one's own booked appointment, with the reason, up to the
/// clinic's notice (the database refuses it later).
#[server(prefix = "/fn/appointments", endpoint = "cancel_my_appointment")]
pub async fn cancel_my_appointment(
    slug: String,
    id: String,
    cancel_reason: String,
) -> Result<(), AppError> {
    use crate::domain::appointments::parse_cancel_reason;
    use crate::domain::ids::AppointmentId;
    use crate::domain::permission::Permission;
    use crate::server::appointments::Moment;
    use crate::server::state::AppState;
    use crate::server::{access, appointments};
    let (mut tx, access) = access::clinic(&slug, Permission::BookOwnAppointments).await?;
    let patient = own(&mut tx, &access).await?;
    let id = AppointmentId::parse(&id)?;
    let reason = parse_cancel_reason(&cancel_reason)?;
    let state = AppState::from_context()?;
    let at = Moment::now(&state.config.base_url);
    appointments::cancel_own(&mut tx, &access, patient, id, &reason, at).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/my-appointments?cancelled=1",
        access.membership.slug
    ));
    Ok(())
}
