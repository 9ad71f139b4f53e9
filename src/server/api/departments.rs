//! `GET /api/v1/clinics/{slug}/departments`: where patients can be checked
//! in and staff work.

use axum::Json as JsonOut;
use axum::extract::{Path, State};

use super::caller::ApiCaller;
use super::errors::ApiError;
use super::lists::Item;
use crate::domain::permission::Permission;
use crate::domain::staff::Department;
use crate::server::access;
use crate::server::staff;
use crate::server::state::AppState;

/// Every department (a clinic has a handful, so one unpaged list), for the
/// roles that work with patients.
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
) -> Result<JsonOut<Item<Vec<Department>>>, ApiError> {
    let (mut tx, _access) = access::api_clinic(
        &state,
        caller.user,
        caller.origin,
        &slug,
        Permission::ViewClinicPatients,
    )
    .await?;
    let departments = staff::departments(&mut tx).await?;
    tx.commit().await?;
    Ok(JsonOut(Item { data: departments }))
}
