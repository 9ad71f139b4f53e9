//! `GET /api/v1/clinics/{slug}/staff`: the clinic's staff directory, for
//! its administrators (as the staff page shows it).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use serde::Serialize;
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::Query;
use super::lists::{List, Paging, page_request};
use crate::domain::local_time::LocalTime;
use crate::domain::permission::Permission;
use crate::domain::staff::StaffMember;
use crate::server::staff;
use crate::server::state::AppState;

/// A member of staff.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StaffEntry {
    pub membership_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    /// `clinic_admin`, `doctor`, `head_of_department`, `receptionist`,
    /// `lab_technician` or `nurse`.
    pub role: String,
    /// The department's name, if they belong to one.
    pub department: Option<String>,
    /// Whether the membership is active.
    pub active: bool,
    /// Whether the account itself is active.
    pub account_active: bool,
    pub last_login: Option<LocalTime>,
}

impl From<StaffMember> for StaffEntry {
    fn from(m: StaffMember) -> Self {
        Self {
            membership_id: m.membership_id,
            user_id: m.user_id,
            display_name: m.display_name,
            email: m.email,
            role: m.role.as_str().to_owned(),
            department: m.department,
            active: m.active,
            account_active: m.account_active,
            last_login: m.last_login,
        }
    }
}

/// List the clinic's staff.
///
/// Everyone working in the clinic (patients are not staff), by name, for
/// the clinic's administrators.
#[utoipa::path(
    get,
    path = "/clinics/{slug}/staff",
    tag = "clinic",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The clinic's slug"), Paging),
    responses(
        (status = 200, description = "One page of the directory", body = List<StaffEntry>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller does not administer the clinic", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 422, description = "An invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    Query(query): Query<Paging>,
) -> Result<JsonOut<List<StaffEntry>>, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    let (mut tx, _access) = caller
        .clinic(&state, &slug, Permission::ManageClinic)
        .await?;
    let members = staff::directory(&mut tx, page).await?;
    tx.commit().await?;
    Ok(JsonOut(List::from_page(members, StaffEntry::from)))
}
