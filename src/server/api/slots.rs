//! `GET /api/v1/clinics/{slug}/slots`: the free times of a department (or
//! one of its doctors) on a day, as the booking page offers them
//! (`server::appointments::offers`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::Query;
use super::lists::Item;
use crate::domain::AppError;
use crate::domain::appointments::OfferedSlot;
use crate::domain::permission::Permission;
use crate::server::appointments::offers::{self, BookingQuery};
use crate::server::state::AppState;

/// `?department=&doctor=&day=`.
#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SlotsQuery {
    /// The department (its id).
    pub department: Uuid,
    /// One of its doctors (their user id); none for every doctor of the
    /// department ("first available").
    pub doctor: Option<Uuid>,
    /// The day (`YYYY-MM-DD`, in the clinic's time zone); today when not
    /// given.
    pub day: Option<NaiveDate>,
}

/// List free times.
///
/// The day's free times of the doctor, or of any of the department's
/// doctors, soonest first: each with the doctor a booking without one goes
/// to and how many are free then. Office hours less leave, blocked time,
/// holidays and bookings; none before now, on days before today or beyond
/// the clinic's booking horizon. Book one with `POST …/appointments` and
/// its `starts.utc`.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/slots",
    tag = "appointments",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), SlotsQuery),
    responses(
        (status = 200, description = "The day's free times", body = Item<Vec<OfferedSlot>>),
        (status = 400, description = "A malformed, missing or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no calendar", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "Not one of the clinic's departments, or a doctor not in it", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<SlotsQuery>,
) -> Result<JsonOut<Item<Vec<OfferedSlot>>>, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::ViewAppointments)
        .await?;
    let today = access.membership.today;
    let asked = BookingQuery {
        patient: None,
        department_id: Some(query.department),
        doctor_user_id: query.doctor,
        day: query.day.unwrap_or(today),
        today,
        follow_up: None,
    };
    let page = offers::booking_page(&mut tx, asked, chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let Some(department) = page.departments.iter().find(|d| d.id == query.department) else {
        return Err(
            AppError::validation("department", "Choose one of this clinic's departments.").into(),
        );
    };
    if let Some(doctor) = query.doctor
        && !department.doctors.iter().any(|(id, _)| *id == doctor)
    {
        return Err(AppError::validation(
            "doctor",
            "Choose a doctor who sees patients in this department.",
        )
        .into());
    }
    Ok(JsonOut(Item { data: page.slots }))
}
