//! The public REST API, `/api/v1` (issue 17): JSON over the same
//! `server::<area>` functions the pages' server functions call, for native
//! apps, kiosks and other hospital systems. Callers authenticate with bearer
//! tokens (`tokens`); cookies are not read here, so the API has no
//! cross-site request surface. Every error has one shape (`errors`).

pub mod auth_routes;
pub mod caller;
pub mod departments;
pub mod errors;
pub mod extract;
pub mod lists;
pub mod me;
pub mod patients;
pub mod tokens;

use axum::Router;
use axum::routing::{get, post};

use crate::domain::AppError;
use crate::server::state::AppState;
use errors::ApiError;

/// The routes under `/api/v1` (their errors are shaped by `errors::envelope`,
/// a layer of the whole app's so that it shapes the outer layers' too).
pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route("/auth/token", post(auth_routes::token))
        .route("/auth/refresh", post(auth_routes::refresh))
        .route("/auth/revoke", post(auth_routes::revoke))
        .route("/me", get(me::me))
        .route("/clinics/{slug}/departments", get(departments::list))
        .route("/clinics/{slug}/patients", get(patients::search))
        .route("/clinics/{slug}/patients/{id}", get(patients::get))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new().nest("/api/v1", v1)
}

async fn not_found() -> ApiError {
    AppError::NotFound.into()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
