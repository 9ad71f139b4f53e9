//! `/api/v1/clinics/{slug}/patients/{id}/vitals`: a patient's vital signs,
//! read (audited) and recorded (safe to retry with `Idempotency-Key`), by
//! the triage page's rules (`domain::vitals`) and functions
//! (`server::vitals`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::{Json, Query};
use super::idempotency::{Claim, Retry};
use super::lists::{Item, List, Paging, page_request};
use crate::domain::AppError;
use crate::domain::ids::{PatientId, VisitId};
use crate::domain::paging::PageRequest;
use crate::domain::permission::Permission;
use crate::domain::vitals::{VitalsEntry, VitalsInput, parse_vitals};
use crate::server::state::AppState;
use crate::server::vitals::{self, TakenFor};

/// Who reads a patient's vital signs: the clinicians.
const READERS: &[Permission] = &[Permission::Consult, Permission::RecordNursingCare];

/// A patient's vital signs.
///
/// Newest first, one page at a time. Audited: one VIEW of the patient per
/// request.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/patients/{id}/vitals",
    tag = "vitals",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id"),
        Paging,
    ),
    responses(
        (status = 200, description = "One page of recorded sets", body = List<VitalsEntry>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not read vital signs", body = ErrorBody),
        (status = 404, description = "No such patient in this clinic", body = ErrorBody),
        (status = 422, description = "An invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Query<Paging>,
) -> Result<JsonOut<List<VitalsEntry>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let (mut tx, access) = caller.clinic_any(&state, &slug, READERS).await?;
    let id = PatientId::parse(&id)?;
    let sets = vitals::of_patient(&mut tx, &access, id, page, None)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(sets, |s| s)))
}

/// A set of vital signs as a client sends it: any of the measurements
/// (at least one), as numbers, checked by the triage page's limits.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VitalsBody {
    /// The visit they were taken at (the patient's), or none.
    pub visit_id: Option<String>,
    /// mmHg, with `diastolic`.
    pub systolic: Option<f64>,
    /// mmHg, lower than `systolic`.
    pub diastolic: Option<f64>,
    /// Beats a minute.
    pub heart_rate: Option<f64>,
    /// °C.
    pub temperature: Option<f64>,
    /// Breaths a minute.
    pub respiratory_rate: Option<f64>,
    /// %.
    pub spo2: Option<f64>,
    /// kg.
    pub weight: Option<f64>,
    /// cm.
    pub height: Option<f64>,
    /// 0 to 10.
    pub pain: Option<f64>,
}

impl VitalsBody {
    /// As the triage form would have sent it, for the form's own checks.
    fn as_typed(&self) -> VitalsInput {
        let typed = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        VitalsInput {
            systolic: typed(self.systolic),
            diastolic: typed(self.diastolic),
            heart_rate: typed(self.heart_rate),
            temperature: typed(self.temperature),
            respiratory_rate: typed(self.respiratory_rate),
            spo2: typed(self.spo2),
            weight: typed(self.weight),
            height: typed(self.height),
            pain: typed(self.pain),
        }
    }
}

/// Record a set of vital signs.
///
/// For the patient, at one of their visits or none. Flags are not stored:
/// they are worked out when shown. With an `Idempotency-Key`, sending the
/// same request again answers with the set it recorded
/// (`Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/patients/{id}/vitals",
    tag = "vitals",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Your name for this request (1 to 255 visible ASCII characters), kept 24 hours"),
    ),
    request_body = VitalsBody,
    responses(
        (status = 201, description = "Recorded", body = Item<VitalsEntry>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not record vital signs", body = ErrorBody),
        (status = 404, description = "No such patient, or visit of theirs, in this clinic", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid or impossible values, or a key used for another request", body = ErrorBody),
    )
)]
pub async fn record(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    retry: Retry,
    Json(body): Json<VitalsBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::RecordNursingCare)
        .await?;
    let patient = PatientId::parse(&id)?;
    let (made, replayed) = match retry.claim(&mut tx, &body).await? {
        Claim::Replay(made) => (made, true),
        Claim::Fresh => {
            let visit = body
                .visit_id
                .as_deref()
                .map(VisitId::parse)
                .transpose()
                .map_err(|_| AppError::validation("visit_id", "Give the visit's id (a UUID)."))?;
            let set = parse_vitals(&body.as_typed())?;
            let made = vitals::record(&mut tx, &access, TakenFor::Patient(patient, visit), &set)
                .await?
                .ok_or(AppError::NotFound)?;
            retry.settle(&mut tx, made).await?;
            (made, false)
        }
    };
    let page = vitals::of_patient(
        &mut tx,
        &access,
        patient,
        PageRequest::new(1, 1),
        Some(made),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let entry = page.items.into_iter().next().ok_or(AppError::NotFound)?;
    let mut headers = HeaderMap::new();
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((StatusCode::CREATED, headers, JsonOut(Item { data: entry })).into_response())
}
