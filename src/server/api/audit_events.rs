//! `GET /api/v1/clinics/{slug}/audit-events`: the clinic's audit trail,
//! filtered and paged as the audit log page shows it, for its
//! administrators.

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use serde::Deserialize;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::Query;
use super::lists::{List, page_request};
use crate::domain::AppError;
use crate::domain::audit::{AuditEntry, AuditFilterInput, parse_audit_filter};
use crate::domain::permission::Permission;
use crate::server::audit;
use crate::server::state::AppState;

/// `?user=&patient=&action=&from=&to=&page=&per_page=`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Part of the actor's email or name.
    #[param(max_length = 100)]
    pub user: Option<String>,
    /// A patient number: their record's events and their visits' and
    /// vital signs'.
    #[param(max_length = 100)]
    pub patient: Option<String>,
    /// An action: `LOGIN`, `VIEW`, `CREATE`, `UPDATE`, `ACCESS_DENIED`…
    pub action: Option<String>,
    /// From this day (`YYYY-MM-DD`, inclusive).
    pub from: Option<String>,
    /// To this day (`YYYY-MM-DD`, inclusive).
    pub to: Option<String>,
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// List the clinic's audit events.
///
/// Newest first. The total is counted only to 1,000 or just past the page
/// asked for (`meta.total_capped`): the trail grows with every record
/// opened.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/audit-events",
    tag = "clinic",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), AuditQuery),
    responses(
        (status = 200, description = "One page of events", body = List<AuditEntry>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller may not read the audit trail", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "An invalid filter or page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<AuditQuery>,
) -> Result<JsonOut<List<AuditEntry>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let filter = parse_audit_filter(&AuditFilterInput {
        user: query.user.unwrap_or_default(),
        patient: query.patient.unwrap_or_default(),
        action: query.action.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        to: query.to.unwrap_or_default(),
        views: String::new(),
    })
    .map_err(AppError::Validation)?;
    let (mut tx, _access) = caller
        .clinic(&state, &slug, Permission::ViewAuditLog)
        .await?;
    let entries = audit::log::list(&mut tx, &filter, None, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(entries, |e| e)))
}
