//! `GET /api/v1/clinics/{slug}/departments`: where patients can be checked
//! in and staff work.

use axum::Json as JsonOut;
use axum::extract::{Path, State};

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::lists::Item;
use crate::domain::permission::Permission;
use crate::domain::staff::Department;
use crate::server::staff;
use crate::server::state::AppState;

/// List the clinic's departments.
///
/// Every one (a clinic has a handful, so the list is not paged), for the
/// roles that work with patients.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/departments",
    tag = "clinic",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug (from `GET /me`)")),
    responses(
        (status = 200, description = "The clinic's departments by name", body = Item<Vec<Department>>),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
) -> Result<JsonOut<Item<Vec<Department>>>, ApiError> {
    let (mut tx, _access) = caller
        .clinic(&state, &slug, Permission::ViewClinicPatients)
        .await?;
    let departments = staff::departments(&mut tx).await?;
    tx.commit().await?;
    Ok(JsonOut(Item { data: departments }))
}
