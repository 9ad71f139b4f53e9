//! `GET /api/v1/me`: who the token belongs to and where they may work.

use axum::Json as JsonOut;
use axum::extract::State;
use serde::Serialize;
use uuid::Uuid;

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::lists::Item;
use crate::server::auth::landing;
use crate::server::state::AppState;
use crate::server::tenancy;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    /// Each clinic and role the person may act in, with the clinic's slug
    /// for `/api/v1/clinics/{slug}/…`.
    pub clinics: Vec<MeClinic>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeClinic {
    pub slug: String,
    pub name: String,
    pub role: &'static str,
    pub department: Option<String>,
}

/// Who is calling.
///
/// The person the token belongs to, and each clinic and role they may act in.
#[utoipa::path(
    get,
    path = "/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Item<Me>),
        (status = 401, description = "No valid access token", body = ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<JsonOut<Item<Me>>, ApiError> {
    let user = caller.user;
    let mut tx = tenancy::begin_personal(&state.pool, user.user_id).await?;
    let memberships = landing::memberships(&mut tx, user.user_id).await?;
    tx.commit().await?;
    Ok(JsonOut(Item {
        data: Me {
            id: user.user_id,
            email: user.email,
            display_name: user.display_name,
            is_platform_admin: user.is_platform_admin,
            clinics: memberships
                .into_iter()
                .map(|m| MeClinic {
                    slug: m.slug,
                    name: m.clinic_name,
                    role: m.role.as_str(),
                    department: m.department,
                })
                .collect(),
        },
    }))
}
