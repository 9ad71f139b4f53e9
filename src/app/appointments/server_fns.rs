//! Appointments' server functions: the clinic's day, the booking page and
//! booking, and the front desk's cancel and check-in.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::appointments::{
    AppointmentDay, AppointmentPage, AppointmentWeek, BookingInput, BookingPage, ReschedulePage,
};

/// One day of the clinic's appointments, filtered by department and doctor.
#[server(prefix = "/fn/appointments", endpoint = "appointments_of_day")]
pub async fn appointments_of_day(
    slug: String,
    day: String,
    department: String,
    doctor: String,
    page: u32,
) -> Result<AppointmentDay, AppError> {
    use crate::domain::appointments::{day_or_today, optional_id};
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::appointments::lists::{self, DayFilter};
    use crate::server::{access, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewAppointments).await?;
    let today = access.membership.today;
    let filter = DayFilter {
        day: day_or_today(&day, today),
        department_id: optional_id(&department),
        doctor_user_id: optional_id(&doctor),
    };
    let appointments =
        lists::day(&mut tx, filter, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let departments = visits::department_choices(&mut tx).await?;
    tx.commit().await?;
    Ok(AppointmentDay {
        day: filter.day,
        today,
        departments,
        department_id: filter.department_id,
        doctor_user_id: filter.doctor_user_id,
        appointments,
        may_book: access.role().can(Permission::BookAppointments),
    })
}

/// The week (Monday to Sunday) holding `day`, filtered by department and doctor.
#[server(prefix = "/fn/appointments", endpoint = "appointments_of_week")]
pub async fn appointments_of_week(
    slug: String,
    day: String,
    department: String,
    doctor: String,
) -> Result<AppointmentWeek, AppError> {
    use crate::domain::appointments::{day_or_today, monday_of, optional_id};
    use crate::domain::permission::Permission;
    use crate::server::appointments::lists::{self, WeekFilter};
    use crate::server::{access, visits};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewAppointments).await?;
    let today = access.membership.today;
    let filter = WeekFilter {
        monday: monday_of(day_or_today(&day, today)),
        department_id: optional_id(&department),
        doctor_user_id: optional_id(&doctor),
    };
    let days = lists::week(&mut tx, filter).await?;
    let departments = visits::department_choices(&mut tx).await?;
    tx.commit().await?;
    Ok(AppointmentWeek {
        monday: filter.monday,
        today,
        departments,
        department_id: filter.department_id,
        doctor_user_id: filter.doctor_user_id,
        days,
        may_book: access.role().can(Permission::BookAppointments),
    })
}

/// The booking page: the patient, and the free times of the chosen
/// department or doctor on the chosen day.
#[server(prefix = "/fn/appointments", endpoint = "booking_choices")]
pub async fn booking_choices(
    slug: String,
    patient: String,
    department: String,
    doctor: String,
    day: String,
    #[server(default)] follow_up: String,
) -> Result<BookingPage, AppError> {
    use crate::domain::appointments::{day_or_today, optional_id};
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::offers::{self, BookingQuery};
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let today = access.membership.today;
    let patient = match patient.trim() {
        "" => None,
        raw => Some(PatientId::parse(raw)?),
    };
    let query = BookingQuery {
        patient,
        department_id: optional_id(&department),
        doctor_user_id: optional_id(&doctor),
        day: day_or_today(&day, today),
        today,
        follow_up: optional_id(&follow_up),
    };
    let page = offers::booking_page(&mut tx, query, chrono::Utc::now()).await?;
    tx.commit().await?;
    page.ok_or(AppError::NotFound)
}

/// Books the appointment and goes to its day. A time someone else took
/// first is answered by its field, with the doctor's next free times.
#[server(prefix = "/fn/appointments", endpoint = "book_appointment")]
pub async fn book_appointment(slug: String, booking: BookingInput) -> Result<(), AppError> {
    use crate::domain::appointments::parse_booking;
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::{self, Booked, Moment, offers};
    use crate::server::state::AppState;
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let b = parse_booking(&booking)?;
    let state = AppState::from_context()?;
    let at = Moment::now(&state.config.base_url);
    match appointments::book(&mut tx, &access, &b, false, at).await? {
        Booked::Booked(id) => {
            tx.commit().await?;
            leptos_axum::redirect(&format!("/c/{}/appointments/{id}", access.membership.slug));
            Ok(())
        }
        Booked::Taken { doctor, next } => Err(offers::taken_error(&mut tx, doctor, &next).await?),
    }
}

/// One appointment, for its page (a read of the patient's data, audited):
/// everyone who sees the day may open it; the front desk may act on it.
#[server(prefix = "/fn/appointments", endpoint = "appointment_details")]
pub async fn appointment_details(slug: String, id: String) -> Result<AppointmentPage, AppError> {
    use crate::domain::ids::AppointmentId;
    use crate::domain::permission::Permission;
    use crate::server::{access, appointments::lists};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewAppointments).await?;
    let id = AppointmentId::parse(&id)?;
    let found = lists::open(&mut tx, &access, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let books = access.role().can(Permission::BookAppointments);
    Ok(AppointmentPage::for_viewer(
        found,
        access.membership.today,
        books,
    ))
}

/// Cancels a booked appointment, with the reason.
#[server(prefix = "/fn/appointments", endpoint = "cancel_appointment")]
pub async fn cancel_appointment(
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
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let id = AppointmentId::parse(&id)?;
    let reason = parse_cancel_reason(&cancel_reason)?;
    let state = AppState::from_context()?;
    let at = Moment::now(&state.config.base_url);
    appointments::cancel(&mut tx, &access, id, &reason, at).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/appointments/{id}", access.membership.slug));
    Ok(())
}

/// The page moving an appointment: it (an audited read) and its doctor's
/// free times on the chosen day (by default the appointment's own).
#[server(prefix = "/fn/appointments", endpoint = "reschedule_choices")]
pub async fn reschedule_choices(
    slug: String,
    id: String,
    day: String,
) -> Result<ReschedulePage, AppError> {
    use crate::domain::appointments::{AppointmentStatus, day_or_today};
    use crate::domain::ids::{AppointmentId, PatientId};
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::lists;
    use crate::server::appointments::offers::{self, BookingQuery};
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let id = AppointmentId::parse(&id)?;
    let appointment = lists::open(&mut tx, &access, id)
        .await?
        .filter(|a| a.status == AppointmentStatus::Booked)
        .ok_or(AppError::NotFound)?;
    let today = access.membership.today;
    let query = BookingQuery {
        patient: Some(PatientId::from(appointment.patient_id)),
        department_id: Some(appointment.department_id),
        doctor_user_id: Some(appointment.doctor_user_id),
        day: day_or_today(&day, appointment.starts.local_date().max(today)),
        today,
        follow_up: None,
    };
    let choices = offers::booking_page(&mut tx, query, chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(ReschedulePage {
        appointment,
        choices,
    })
}

/// Moves a booked appointment to another of its doctor's free times and
/// tells the patient; a time taken meanwhile is answered by its field.
#[server(prefix = "/fn/appointments", endpoint = "reschedule_appointment")]
pub async fn reschedule_appointment(
    slug: String,
    id: String,
    // With no time chosen the form sends no `booking[…]` at all: the
    // missing time is then answered by its field, not as unreadable.
    #[server(default)] booking: BookingInput,
) -> Result<(), AppError> {
    use crate::domain::appointments::parse_move;
    use crate::domain::ids::AppointmentId;
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::appointments::{self, Booked, Moment, offers};
    use crate::server::state::AppState;
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let id = AppointmentId::parse(&id)?;
    let starts_at = parse_move(&booking)?;
    let state = AppState::from_context()?;
    let at = Moment::now(&state.config.base_url);
    match appointments::reschedule(&mut tx, &access, id, starts_at, at).await? {
        Booked::Booked(id) => {
            tx.commit().await?;
            leptos_axum::redirect(&format!(
                "/c/{}/appointments/{id}?moved=1",
                access.membership.slug
            ));
            Ok(())
        }
        Booked::Taken { doctor, next } => Err(offers::taken_error(&mut tx, doctor, &next).await?),
    }
}

/// The patient has arrived: their visit and token, then the slip.
#[server(prefix = "/fn/appointments", endpoint = "check_in_appointment")]
pub async fn check_in_appointment(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::ids::AppointmentId;
    use crate::domain::permission::Permission;
    use crate::server::{access, appointments};
    let (mut tx, access) = access::clinic(&slug, Permission::BookAppointments).await?;
    let id = AppointmentId::parse(&id)?;
    let (visit, _token) = appointments::check_in(&mut tx, &access, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/visits/{visit}/slip",
        access.membership.slug
    ));
    Ok(())
}
