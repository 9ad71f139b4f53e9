//! `/api/v1/clinics/{slug}/appointments`: the clinic's day of
//! appointments, one appointment (an audited read), booking (safe to retry
//! with `Idempotency-Key`), cancelling, moving and checking in, through
//! the booking pages' functions (`server::appointments`). A time lost to
//! another booking is a 409 naming the doctor's next free times.

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody, rename_field};
use super::extract::{Json, Query};
use super::idempotency::{Claim, Retry};
use super::lists::{Item, List, page_request};
use crate::domain::AppError;
use crate::domain::appointments::{
    AppointmentSummary, BookingInput, parse_booking, parse_cancel_reason, parse_move,
};
use crate::domain::ids::{AppointmentId, PatientId};
use crate::domain::permission::Permission;
use crate::domain::visits::TokenSlip;
use crate::server::access::ClinicAccess;
use crate::server::appointments::lists::{self, DayFilter};
use crate::server::appointments::{self, Booked, Moment, offers};
use crate::server::page_transaction::ClinicTx;
use crate::server::patients;
use crate::server::state::AppState;

/// `?day=&department=&doctor=&page=&per_page=`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    /// The day (`YYYY-MM-DD`, in the clinic's time zone); today when not
    /// given.
    pub day: Option<NaiveDate>,
    /// One department's appointments (its id).
    pub department: Option<Uuid>,
    /// One doctor's appointments (their user id).
    pub doctor: Option<Uuid>,
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// List a day's appointments.
///
/// Those starting on the day in the clinic's time zone, by time then
/// doctor, cancelled ones included (the front desk answers the phone about
/// them). For everyone who sees the clinic's calendar.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/appointments",
    tag = "appointments",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), DayQuery),
    responses(
        (status = 200, description = "One page of the day's appointments", body = List<AppointmentSummary>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no calendar", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "An invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<JsonOut<List<AppointmentSummary>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::ViewAppointments)
        .await?;
    let filter = DayFilter {
        day: query.day.unwrap_or(access.membership.today),
        department_id: query.department,
        doctor_user_id: query.doctor,
    };
    let day = lists::day(&mut tx, filter, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(day, |a| a)))
}

/// Get an appointment.
///
/// With its patient, department, doctor and state. Audited: one VIEW of
/// the patient.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/appointments/{id}",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The appointment's id"),
    ),
    responses(
        (status = 200, description = "The appointment", body = Item<AppointmentSummary>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no calendar", body = ErrorBody),
        (status = 404, description = "No such appointment in this clinic", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<JsonOut<Item<AppointmentSummary>>, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::ViewAppointments)
        .await?;
    let id = AppointmentId::parse(&id)?;
    let found = lists::open(&mut tx, &access, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(JsonOut(Item { data: found }))
}

/// A booking as a client sends it.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    /// The patient's id.
    pub patient: String,
    /// The department's id (`GET …/departments`).
    pub department: String,
    /// A doctor of that department (their user id), or none for the first
    /// of its doctors (by name) free at that time.
    pub doctor: Option<String>,
    /// The start, an RFC 3339 instant: one of the free times from
    /// `GET …/slots` (its `starts.utc`).
    pub starts_at: String,
    /// `routine` (the default), `follow_up` or `emergency`.
    pub appointment_type: Option<String>,
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    /// The patient's pending follow-up this booking books (its id), if any.
    pub follow_up: Option<String>,
}

/// Book an appointment.
///
/// The patient is sent a confirmation. A time the named doctor does not
/// have free (just booked by someone else, or not one of their free times:
/// out of hours, on leave, on a holiday, past, beyond the clinic's horizon)
/// is a 409 whose `errors.starts_at` names their next free times; two
/// bookings of one time, one succeeds. With no doctor named, a time none
/// of the department's doctors has free is a 422 by `starts_at`. With an
/// `Idempotency-Key`, sending the same request again answers with the
/// appointment it made (`Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/appointments",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Your name for this request (1 to 255 visible ASCII characters), kept 24 hours"),
    ),
    request_body = BookingBody,
    responses(
        (status = 201, description = "Booked", body = Item<AppointmentSummary>,
         headers(("Location" = String))),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not book", body = ErrorBody),
        (status = 404, description = "No such clinic or patient", body = ErrorBody),
        (status = 409, description = "The doctor is not free then: `errors.starts_at` names their next free times", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, a time not offered, or a key used for another request", body = ErrorBody),
    )
)]
pub async fn book(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    retry: Retry,
    Json(body): Json<BookingBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::BookAppointments)
        .await?;
    if let Claim::Replay(id) = retry.claim(&mut tx, &body).await? {
        return answer(
            tx,
            &access,
            AppointmentId::from(id),
            StatusCode::CREATED,
            true,
        )
        .await;
    }
    let b = parse_booking(&BookingInput {
        patient: body.patient.clone(),
        department: body.department.clone(),
        doctor: body.doctor.clone().unwrap_or_default(),
        starts_at: body.starts_at.clone(),
        appointment_type: body
            .appointment_type
            .clone()
            .unwrap_or_else(|| "routine".into()),
        reason: body.reason.clone().unwrap_or_default(),
        follow_up: body.follow_up.clone().unwrap_or_default(),
    })
    .map_err(|e| rename_field(e, "form", "follow_up"))?;
    // Another clinic's patient is not found, as in a check-in (the page
    // answers by its field, where the person picked from a list).
    if !patients::is_ours(&mut tx, PatientId::from(b.patient_id)).await? {
        return Err(AppError::NotFound.into());
    }
    let at = Moment::now(&state.config.base_url);
    match appointments::book(&mut tx, &access, &b, false, at)
        .await
        .map_err(|e| rename_field(e, "form", "follow_up"))?
    {
        Booked::Booked(id) => {
            retry.settle(&mut tx, id.as_uuid()).await?;
            answer(tx, &access, id, StatusCode::CREATED, false).await
        }
        Booked::Taken { doctor, next } => Err(ApiError::conflict(
            offers::taken_error(&mut tx, doctor, &next).await?,
        )),
    }
}

/// The appointment as it now is, committed, with its address.
async fn answer(
    mut tx: ClinicTx,
    access: &ClinicAccess,
    id: AppointmentId,
    status: StatusCode,
    replayed: bool,
) -> Result<Response, ApiError> {
    let found = lists::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    let at = format!(
        "/api/v1/clinics/{}/appointments/{id}",
        access.membership.slug
    );
    if let Ok(at) = HeaderValue::from_str(&at) {
        headers.insert(header::LOCATION, at);
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((status, headers, JsonOut(Item { data: found })).into_response())
}

/// Why an appointment is cancelled.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Kept on the appointment and told to the patient.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Cancel an appointment.
///
/// A booked one only (else 422 by `status`); its time is free again and
/// the patient is told.
#[utoipa::path(
    post,
    path = "/clinics/{slug}/appointments/{id}/cancel",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The appointment's id"),
    ),
    request_body = CancelBody,
    responses(
        (status = 200, description = "Cancelled", body = Item<AppointmentSummary>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not cancel", body = ErrorBody),
        (status = 404, description = "No such appointment in this clinic", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "No reason, or an appointment no longer booked", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<CancelBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::BookAppointments)
        .await?;
    let id = AppointmentId::parse(&id)?;
    let reason = parse_cancel_reason(&body.reason)
        .map_err(|e| rename_field(e, "cancel_reason", "reason"))?;
    let at = Moment::now(&state.config.base_url);
    appointments::cancel(&mut tx, &access, id, &reason, at)
        .await
        .map_err(|e| rename_field(e, "form", "status"))?;
    answer(tx, &access, id, StatusCode::OK, false).await
}

/// Where an appointment moves to.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleBody {
    /// The new start, an RFC 3339 instant: one of the same doctor's free
    /// times from `GET …/slots`.
    pub starts_at: String,
}

/// Move an appointment.
///
/// To another free time of the same doctor, in one step (it keeps its old
/// time until it holds the new one); the patient is told. A time the
/// doctor does not have free is a 409 naming their next free times.
#[utoipa::path(
    post,
    path = "/clinics/{slug}/appointments/{id}/reschedule",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The appointment's id"),
    ),
    request_body = RescheduleBody,
    responses(
        (status = 200, description = "Moved", body = Item<AppointmentSummary>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not move appointments", body = ErrorBody),
        (status = 404, description = "No such appointment in this clinic", body = ErrorBody),
        (status = 409, description = "The doctor is not free then: `errors.starts_at` names their next free times", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A malformed time, or an appointment no longer booked", body = ErrorBody),
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<RescheduleBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::BookAppointments)
        .await?;
    let id = AppointmentId::parse(&id)?;
    let starts_at = parse_move(&BookingInput {
        starts_at: body.starts_at.clone(),
        ..BookingInput::default()
    })?;
    let at = Moment::now(&state.config.base_url);
    match appointments::reschedule(&mut tx, &access, id, starts_at, at)
        .await
        .map_err(|e| rename_field(e, "form", "status"))?
    {
        Booked::Booked(id) => answer(tx, &access, id, StatusCode::OK, false).await,
        Booked::Taken { doctor, next } => Err(ApiError::conflict(
            offers::taken_error(&mut tx, doctor, &next).await?,
        )),
    }
}

/// Check in an appointment's patient.
///
/// On the appointment's own day, while it is booked: the front desk's
/// visit in its department with its doctor, and the day's token (the
/// slip). Sending it again is a 422 by `status` (checked in already).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/appointments/{id}/check-in",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The appointment's id"),
    ),
    responses(
        (status = 201, description = "Checked in: the token slip", body = Item<TokenSlip>,
         headers(("Location" = String))),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not check patients in", body = ErrorBody),
        (status = 404, description = "No such appointment in this clinic", body = ErrorBody),
        (status = 422, description = "Not today's, or no longer booked", body = ErrorBody),
    )
)]
pub async fn check_in(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::BookAppointments)
        .await?;
    let id = AppointmentId::parse(&id)?;
    let (visit, _token) = appointments::check_in(&mut tx, &access, id)
        .await
        .map_err(|e| rename_field(e, "form", "status"))?;
    super::visits::slip(tx, &access, visit, false).await
}
