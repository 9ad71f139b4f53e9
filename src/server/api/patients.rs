//! `/api/v1/clinics/{slug}/patients`: search and read, through the same
//! guard and functions as the front desk's pages (`server::patients`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::Query;
use super::lists::{Item, List, page_request};
use super::versions::etag;
use crate::domain::AppError;
use crate::domain::ids::PatientId;
use crate::domain::patients::{PatientDetails, PatientSummary, parse_patient_query};
use crate::domain::permission::Permission;
use crate::server::patients;
use crate::server::state::AppState;

/// `?q=&page=&per_page=`: a name, a patient number or a phone number; none
/// lists the newest registrations.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// A name, a patient number (PT-2026-00042) or a phone number; empty
    /// for the newest registrations.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Search the clinic's patients.
///
/// By name, patient number or phone, one page at a time, as the search page
/// shows them (a list writes no VIEW events: opening a record does).
#[utoipa::path(
    get,
    path = "/clinics/{slug}/patients",
    tag = "patients",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), SearchQuery),
    responses(
        (status = 200, description = "One page of matching patients", body = List<PatientSummary>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "An invalid page or search", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<SearchQuery>,
) -> Result<JsonOut<List<PatientSummary>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let words = parse_patient_query(&query.q).map_err(|m| AppError::validation("q", m))?;
    let (mut tx, _access) = caller
        .clinic(&state, &slug, Permission::ViewClinicPatients)
        .await?;
    let found = patients::search(&mut tx, &words, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(found, |p| p)))
}

/// Read a patient's record.
///
/// Audited: one VIEW event per request, as opening it on its page.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/patients/{id}",
    tag = "patients",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id (a UUID)"),
    ),
    responses(
        (status = 200, description = "The record; its identity document's number is masked",
         body = Item<PatientDetails>, headers(("ETag" = String, description = "The record's version, for If-Match"))),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not", body = ErrorBody),
        (status = 404, description = "No such patient in this clinic", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::ViewClinicPatients)
        .await?;
    let id = PatientId::parse(&id)?;
    let record = patients::open_record(&mut tx, &access, state.secret_key()?, id).await?;
    tx.commit().await?;
    let record = record.ok_or(AppError::NotFound)?;
    Ok((
        [(header::ETAG, etag(record.updated_at))],
        JsonOut(Item { data: record }),
    ))
}
