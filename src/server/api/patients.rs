//! `/api/v1/clinics/{slug}/patients`: search and read, through the same
//! guard and functions as the front desk's pages (`server::patients`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use serde::Deserialize;

use super::caller::ApiCaller;
use super::errors::ApiError;
use super::extract::Query;
use super::lists::{Item, List, PageQuery};
use crate::domain::AppError;
use crate::domain::ids::PatientId;
use crate::domain::patients::{PatientDetails, PatientSummary, parse_patient_query};
use crate::domain::permission::Permission;
use crate::server::access;
use crate::server::patients;
use crate::server::state::AppState;

/// `?q=&page=&per_page=`: a name, a patient number or a phone number; none
/// lists the newest registrations.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// `GET /api/v1/clinics/{slug}/patients`. A list of names, as the search
/// page shows (no VIEW events: only opening a record writes one).
pub async fn search(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<SearchQuery>,
) -> Result<JsonOut<List<PatientSummary>>, ApiError> {
    let page = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .parse()?;
    let words = parse_patient_query(&query.q).map_err(|m| AppError::validation("q", m))?;
    let (mut tx, _access) = access::api_clinic(
        &state,
        caller.user,
        caller.origin,
        &slug,
        Permission::ViewClinicPatients,
    )
    .await?;
    let found = patients::search(&mut tx, &words, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(found, |p| p)))
}

/// `GET /api/v1/clinics/{slug}/patients/{id}`: the record, audited (one
/// VIEW per request, as opening it on its page).
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<JsonOut<Item<PatientDetails>>, ApiError> {
    let (mut tx, access) = access::api_clinic(
        &state,
        caller.user,
        caller.origin,
        &slug,
        Permission::ViewClinicPatients,
    )
    .await?;
    let id = PatientId::parse(&id)?;
    let record = patients::open_record(&mut tx, &access, state.secret_key()?, id).await?;
    tx.commit().await?;
    let record = record.ok_or(AppError::NotFound)?;
    Ok(JsonOut(Item { data: record }))
}
