//! The approval page's calls: find the device waiting with a code, answer it.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::api::device::DeviceRequest;

/// The device waiting with `code`, if any (each look-up counts against the
/// person's sign-in limits: a code is a guess at someone's device).
#[server(prefix = "/fn/device", endpoint = "waiting_device")]
pub async fn waiting_device(code: String) -> Result<DeviceRequest, AppError> {
    use crate::domain::api::device::UserCode;
    use crate::server::{api::device_grants, auth, state::AppState};
    let code = UserCode::parse(&code)?;
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    device_grants::find(
        &state.pool,
        &state.sign_in_throttle,
        &user,
        &code,
        &auth::request_origin(),
    )
    .await
}

/// Allows or denies the device waiting with `code`; `decision` is "allow"
/// or "deny".
#[server(prefix = "/fn/device", endpoint = "answer_device")]
pub async fn answer_device(code: String, decision: String) -> Result<(), AppError> {
    use crate::domain::api::device::{DeviceDecision, UserCode};
    use crate::server::{api::device_grants, auth, state::AppState};
    let code = UserCode::parse(&code)?;
    let decision = DeviceDecision::parse(&decision)?;
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    device_grants::answer(
        &state.pool,
        &state.sign_in_throttle,
        &state.config.sessions.for_api_tokens(),
        &user,
        &code,
        decision,
        &auth::request_origin(),
    )
    .await?;
    leptos_axum::redirect(&format!("/device?done={}", decision.as_str()));
    Ok(())
}
