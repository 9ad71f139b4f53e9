//! Probes for orchestrators and load balancers.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::server::db;
use crate::server::state::AppState;

/// The process is alive and serving HTTP; says nothing of the database.
pub async fn healthz() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], "ok")
}

/// Ready for traffic: the database answers and carries every migration this
/// binary expects.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match db::readiness(&state.pool).await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            "ready".to_string(),
        ),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                format!("not ready: {reason}"),
            )
        }
    }
}
