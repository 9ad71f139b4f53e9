//! `GET /api/v1/clinics/{slug}/doctors/{id}/schedule`: a doctor's weekly
//! hours and the leave, blocked time and extra sessions ahead, for those
//! who may change it (the doctor, their head of department, the clinic's
//! admin), as the schedule page shows it (`server::schedules::editor`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use serde::Serialize;
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::lists::Item;
use crate::domain::AppError;
use crate::domain::permission::Permission;
use crate::domain::schedules::{ExceptionRow, SessionRow};
use crate::server::schedules;
use crate::server::state::AppState;

/// A doctor's schedule.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DoctorSchedule {
    pub doctor_user_id: Uuid,
    pub doctor: String,
    /// The clinic's IANA time zone, which the weekly hours are in.
    pub zone: String,
    /// The length of the clinic's appointment slots.
    pub slot_minutes: i32,
    /// The weekly sessions, Monday first.
    pub week: Vec<SessionRow>,
    /// Exceptions not yet over, soonest first (at most 100).
    pub exceptions: Vec<ExceptionRow>,
}

/// Get a doctor's schedule.
///
/// For the doctor, their head of department and the clinic's admin;
/// another doctor's schedule is not found (it is not theirs to see).
#[utoipa::path(
    get,
    path = "/clinics/{slug}/doctors/{id}/schedule",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The doctor's user id"),
    ),
    responses(
        (status = 200, description = "The schedule", body = Item<DoctorSchedule>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no schedules", body = ErrorBody),
        (status = 404, description = "No such doctor whose schedule the caller may change", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<JsonOut<Item<DoctorSchedule>>, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::EditSchedules)
        .await?;
    let doctor = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let page = schedules::editor(&mut tx, &access, Some(doctor), chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(JsonOut(Item {
        data: DoctorSchedule {
            doctor_user_id: page.doctor_user_id,
            doctor: page.doctor,
            zone: page.zone,
            slot_minutes: page.slot_minutes,
            week: page.week,
            exceptions: page.exceptions,
        },
    }))
}
