//! `/api/v1/clinics/{slug}/visits`: today's queue as the caller's role sees
//! it on its page, checking a patient in (safe to retry with
//! `Idempotency-Key`), and moving a visit through the day, through the
//! front desk's functions (`server::visits`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody, rename_field};
use super::extract::{Json, Query};
use super::idempotency::{Claim, Retry};
use super::lists::{Item, List, page_request};
use crate::domain::AppError;
use crate::domain::ids::{PatientId, VisitId};
use crate::domain::permission::Permission;
use crate::domain::visits::{
    CheckInInput, QueueEntry, Showing, TokenSlip, VisitStatus, parse_check_in,
};
use crate::server::access::ClinicAccess;
use crate::server::page_transaction::ClinicTx;
use crate::server::state::AppState;
use crate::server::visits::queues::{self, QueueFilter};
use crate::server::visits::{self, Mover};

/// Who works with the queue, each through their page's permission.
const QUEUE_ROLES: &[Permission] = &[
    Permission::CheckInPatients,
    Permission::Consult,
    Permission::RecordNursingCare,
];

/// Which of the day's visits a list shows.
#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShowingParam {
    /// Waiting, called or with a doctor.
    #[default]
    Active,
    /// Every visit of the day.
    All,
}

/// `?department=&showing=&awaiting_vitals=&page=&per_page=`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// One department's visits (its id). A doctor's list is always their
    /// own department's.
    pub department: Option<Uuid>,
    /// `active` (the default) or `all`.
    #[param(inline)]
    pub showing: Option<ShowingParam>,
    /// Only visits with no vital signs taken yet (the nurses' triage list).
    pub awaiting_vitals: Option<bool>,
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Today's queue.
///
/// In the queue's order (emergencies first, then urgent, then by token).
/// The front desk and nurses see every department's; a doctor sees their
/// own visits and their department's unassigned ones, as on their page.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/visits",
    tag = "visits",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), QueueQuery),
    responses(
        (status = 200, description = "One page of today's visits", body = List<QueueEntry>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no queue", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "An invalid page", body = ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<QueueQuery>,
) -> Result<JsonOut<List<QueueEntry>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let (mut tx, access) = caller.clinic_any(&state, &slug, QUEUE_ROLES).await?;
    let showing = match query.showing.unwrap_or_default() {
        ShowingParam::Active => Showing::Active,
        ShowingParam::All => Showing::All,
    };
    let mut filter = QueueFilter {
        day: access.membership.today,
        department_id: query.department,
        showing,
        doctor_user_id: None,
        awaiting_vitals: query.awaiting_vitals.unwrap_or(false),
    };
    if !access.role().can(Permission::CheckInPatients)
        && !access.role().can(Permission::RecordNursingCare)
    {
        // A doctor's queue: their department's, as their page shows it.
        match access.membership.department_id {
            Some(own) if query.department.is_none_or(|d| d == own) => {
                filter.department_id = Some(own);
                filter.doctor_user_id = Some(access.user.user_id);
            }
            _ => {
                tx.commit().await?;
                return Ok(JsonOut(List::from_page(
                    crate::domain::paging::Page::exact(Vec::new(), page, 0),
                    |v| v,
                )));
            }
        }
    }
    let visits = queues::list(&mut tx, filter, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(visits, |v| v)))
}

/// A check-in as a client sends it.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    /// The patient's id.
    pub patient: String,
    /// The department's id (`GET …/departments`).
    pub department: String,
    /// A doctor of that department (their user id), or none for whoever
    /// calls the patient first.
    pub doctor: Option<String>,
    /// `walk_in` (the default), `appointment`, `follow_up` or `emergency`.
    pub visit_type: Option<String>,
    /// `normal` (the default), `urgent` or `emergency`; an emergency visit
    /// is always an emergency.
    pub priority: Option<String>,
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Check a patient in.
///
/// Gives the day's token in the department's queue. A patient already
/// waiting in that department is refused (422). With an `Idempotency-Key`,
/// sending the same request again answers with the visit it made
/// (`Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/visits",
    tag = "visits",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Your name for this request (1 to 255 visible ASCII characters), kept 24 hours"),
    ),
    request_body = CheckInBody,
    responses(
        (status = 201, description = "Checked in: the token slip", body = Item<TokenSlip>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not check patients in", body = ErrorBody),
        (status = 404, description = "No such clinic or patient", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, already checked in, or a key used for another request", body = ErrorBody),
    )
)]
pub async fn check_in(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    retry: Retry,
    Json(body): Json<CheckInBody>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::CheckInPatients)
        .await?;
    if let Claim::Replay(id) = retry.claim(&mut tx, &body).await? {
        return slip(tx, &access, VisitId::from(id), true).await;
    }
    let patient = PatientId::parse(&body.patient)
        .map_err(|_| AppError::validation("patient", "Give the patient's id (a UUID)."))?;
    let check_in = parse_check_in(&CheckInInput {
        department: body.department.clone(),
        doctor: body.doctor.clone().unwrap_or_default(),
        visit_type: body.visit_type.clone().unwrap_or_else(|| "walk_in".into()),
        reason: body.reason.clone().unwrap_or_default(),
        priority: body.priority.clone().unwrap_or_else(|| "normal".into()),
    })?;
    let (id, _token) = visits::check_in(&mut tx, &access, patient, &check_in)
        .await?
        .ok_or(AppError::NotFound)?;
    retry.settle(&mut tx, id.as_uuid()).await?;
    slip(tx, &access, id, false).await
}

/// The visit's slip (201), committed (also an appointment's check-in's).
pub(super) async fn slip(
    mut tx: ClinicTx,
    access: &ClinicAccess,
    id: VisitId,
    replayed: bool,
) -> Result<Response, ApiError> {
    let slip = queues::slip(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    let at = format!("/api/v1/clinics/{}/visits/{id}", access.membership.slug);
    if let Ok(at) = HeaderValue::from_str(&at) {
        headers.insert(header::LOCATION, at);
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((StatusCode::CREATED, headers, JsonOut(Item { data: slip })).into_response())
}

/// A move of a visit.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// The front desk: `cancelled` or `left_without_being_seen`. A doctor:
    /// `in_consultation`, `no_show` (a called patient not there) or
    /// `completed`.
    pub to: VisitStatus,
}

/// A move made.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Transition {
    pub visit_id: Uuid,
    pub from: VisitStatus,
    pub to: VisitStatus,
}

/// Move a visit on.
///
/// Only the moves the caller's page offers, and only those the visit's
/// state allows (else 422: it has moved on since it was read). A doctor
/// moves visits of their own department (their own or unassigned).
#[utoipa::path(
    post,
    path = "/clinics/{slug}/visits/{id}/transitions",
    tag = "visits",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The visit's id"),
    ),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "Moved", body = Item<Transition>),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not make this move", body = ErrorBody),
        (status = 404, description = "No such visit for this caller", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A move the visit's state does not allow", body = ErrorBody),
    )
)]
pub async fn transition(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    Json(body): Json<TransitionBody>,
) -> Result<JsonOut<Item<Transition>>, ApiError> {
    use VisitStatus as S;
    let permission = match body.to {
        S::Cancelled | S::LeftWithoutBeingSeen => Permission::CheckInPatients,
        S::InConsultation | S::NoShow | S::Completed => Permission::Consult,
        S::Waiting | S::Called => {
            // Nobody's move: refused by field, once the caller is known to
            // work with the queue at all (else 403, as for any other move).
            let (tx, _access) = caller.clinic_any(&state, &slug, QUEUE_ROLES).await?;
            tx.commit().await?;
            return Err(AppError::validation(
                "to",
                "A visit cannot be moved back to waiting; doctors call patients with call-next.",
            )
            .into());
        }
    };
    let (mut tx, access) = caller.clinic(&state, &slug, permission).await?;
    let id = VisitId::parse(&id)?;
    let mover = if permission == Permission::Consult {
        Mover::Doctor {
            department_id: access.membership.department_id,
        }
    } else {
        Mover::FrontDesk
    };
    let from = visits::move_to(&mut tx, &access, &mover, id, body.to)
        .await
        .map_err(|e| rename_field(AppError::from(e), "form", "to"))?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(JsonOut(Item {
        data: Transition {
            visit_id: id.as_uuid(),
            from,
            to: body.to,
        },
    }))
}

/// Who was called.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Called {
    /// The visit called, or null when nobody is waiting.
    pub visit_id: Option<Uuid>,
    pub token: Option<i32>,
}

/// Call the next patient.
///
/// The doctor's next waiting patient (their own and their department's
/// unassigned ones; emergencies first, then by token) is called and
/// assigned to them. Two doctors calling at once get different patients.
#[utoipa::path(
    post,
    path = "/clinics/{slug}/visits/call-next",
    tag = "visits",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug")),
    responses(
        (status = 200, description = "Who was called (nobody when the queue is empty)", body = Item<Called>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller is not a doctor", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 409, description = "The doctor belongs to no department", body = ErrorBody),
    )
)]
pub async fn call_next(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
) -> Result<JsonOut<Item<Called>>, ApiError> {
    let (mut tx, access) = caller.clinic(&state, &slug, Permission::Consult).await?;
    let department_id = access.membership.department_id.ok_or_else(|| {
        AppError::Conflict("You belong to no department, so you have no queue.".into())
    })?;
    let called =
        visits::call_next(&mut tx, &access, department_id, access.membership.today).await?;
    tx.commit().await?;
    Ok(JsonOut(Item {
        data: Called {
            visit_id: called.map(|(id, _)| id.as_uuid()),
            token: called.map(|(_, token)| token),
        },
    }))
}

/// Read a visit.
///
/// Its token slip: token, department, doctor, patient, status and the
/// estimated wait.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/visits/{id}",
    tag = "visits",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The visit's id"),
    ),
    responses(
        (status = 200, description = "The visit", body = Item<TokenSlip>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role has no queue", body = ErrorBody),
        (status = 404, description = "No such visit in this clinic", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<JsonOut<Item<TokenSlip>>, ApiError> {
    let (mut tx, _access) = caller.clinic_any(&state, &slug, QUEUE_ROLES).await?;
    let id = VisitId::parse(&id)?;
    let slip = queues::slip(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(JsonOut(Item { data: slip }))
}
