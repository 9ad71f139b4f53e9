//! `/api/v1/clinics/{slug}/follow-ups` and a patient's
//! `…/patients/{id}/follow-ups`: the desk's list of follow-ups to book, a
//! patient's (an audited read), asking for one (safe to retry with
//! `Idempotency-Key`) and marking one missed, through the follow-up pages'
//! functions (`server::follow_ups`). One is booked by booking an
//! appointment with its id (`POST …/appointments`, `follow_up`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody, rename_field};
use super::extract::{Json, Query};
use super::idempotency::{Claim, Retry};
use super::lists::{Item, List, page_request};
use crate::domain::AppError;
use crate::domain::follow_ups::{
    FollowUpInput, FollowUpItem, FollowUpStatus, FollowUpView, parse_follow_up,
};
use crate::domain::ids::{FollowUpId, PatientId};
use crate::domain::permission::Permission;
use crate::server::follow_ups;
use crate::server::page_transaction::ClinicTx;
use crate::server::state::AppState;

/// At most this many of a patient's follow-ups are listed (latest due
/// first): years of care, where a patient has a handful a year.
const OF_PATIENT: i64 = 100;

/// `?status=&page=&per_page=`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FollowUpsQuery {
    /// `pending` (the default: those to book, by due date, the overdue
    /// first), `booked`, `completed` or `missed` (most recently due first).
    #[param(inline)]
    pub status: Option<FollowUpStatus>,
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// List the clinic's follow-ups.
///
/// One status at a time. Counted only to 1,000 or just past the page
/// asked for (`meta.total_capped`), as the page counts them.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/follow-ups",
    tag = "appointments",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), FollowUpsQuery),
    responses(
        (status = 200, description = "One page of follow-ups", body = List<FollowUpItem>),
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
    Query(query): Query<FollowUpsQuery>,
) -> Result<JsonOut<List<FollowUpItem>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let (mut tx, _access) = caller
        .clinic(&state, &slug, Permission::ViewAppointments)
        .await?;
    let view = match query.status.unwrap_or(FollowUpStatus::Pending) {
        FollowUpStatus::Pending => FollowUpView::ToBook,
        other => FollowUpView::Status(other),
    };
    let items = follow_ups::list(&mut tx, view, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(items, |f| f)))
}

/// List a patient's follow-ups.
///
/// Latest due first, at most 100. Audited: one VIEW of the patient.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/patients/{id}/follow-ups",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id"),
    ),
    responses(
        (status = 200, description = "The patient's follow-ups", body = Item<Vec<FollowUpItem>>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not read patients", body = ErrorBody),
        (status = 404, description = "No such patient in this clinic", body = ErrorBody),
    )
)]
pub async fn of_patient(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<JsonOut<Item<Vec<FollowUpItem>>>, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::ViewClinicPatients)
        .await?;
    let patient = PatientId::parse(&id)?;
    let items = follow_ups::read_of_patient(&mut tx, &access, patient, OF_PATIENT).await?;
    tx.commit().await?;
    Ok(JsonOut(Item { data: items }))
}

/// A follow-up as a client asks for it.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// The department's id (`GET …/departments`).
    pub department: String,
    /// A doctor of that department (their user id), or none for whichever
    /// is free.
    pub doctor: Option<String>,
    /// The day it is due by (`YYYY-MM-DD`, in the clinic's time zone):
    /// today to two years ahead.
    pub due_on: String,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Ask for a follow-up.
///
/// Pending until the front desk books it. With an `Idempotency-Key`,
/// sending the same request again answers with the follow-up it made
/// (`Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/patients/{id}/follow-ups",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Your name for this request (1 to 255 visible ASCII characters), kept 24 hours"),
    ),
    request_body = FollowUpBody,
    responses(
        (status = 201, description = "Asked for", body = Item<FollowUpItem>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not ask for follow-ups", body = ErrorBody),
        (status = 404, description = "No such patient in this clinic", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, or a key used for another request", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    retry: Retry,
    Json(body): Json<FollowUpBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::AddFollowUps)
        .await?;
    let patient = PatientId::parse(&id)?;
    let (made, replayed) = match retry.claim(&mut tx, &body).await? {
        Claim::Replay(made) => (FollowUpId::from(made), true),
        Claim::Fresh => {
            let f = parse_follow_up(
                &FollowUpInput {
                    department: body.department.clone(),
                    doctor: body.doctor.clone().unwrap_or_default(),
                    due_on: body.due_on.clone(),
                    reason: body.reason.clone(),
                },
                access.membership.today,
            )?;
            let made = follow_ups::add(&mut tx, &access, patient, &f).await?;
            retry.settle(&mut tx, made.as_uuid()).await?;
            (made, false)
        }
    };
    answer(tx, made, StatusCode::CREATED, replayed).await
}

/// Mark a follow-up missed.
///
/// A pending one, from its due day: the patient could not be brought back.
/// Else a 422 by `status`.
#[utoipa::path(
    post,
    path = "/clinics/{slug}/follow-ups/{id}/missed",
    tag = "appointments",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The follow-up's id"),
    ),
    responses(
        (status = 200, description = "Marked missed", body = Item<FollowUpItem>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not book", body = ErrorBody),
        (status = 404, description = "No such follow-up in this clinic", body = ErrorBody),
        (status = 422, description = "Not due yet, or no longer pending", body = ErrorBody),
    )
)]
pub async fn mark_missed(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::BookAppointments)
        .await?;
    let id = FollowUpId::parse(&id)?;
    follow_ups::mark_missed(&mut tx, &access, id)
        .await
        .map_err(|e| rename_field(e, "form", "status"))?;
    answer(tx, id, StatusCode::OK, false).await
}

/// The follow-up as it now is, committed.
async fn answer(
    mut tx: ClinicTx,
    id: FollowUpId,
    status: StatusCode,
    replayed: bool,
) -> Result<Response, ApiError> {
    let found = follow_ups::one(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((status, headers, JsonOut(Item { data: found })).into_response())
}
