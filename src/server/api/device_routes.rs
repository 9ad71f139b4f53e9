//! `/api/v1/auth/device…`: tokens for a device, allowed by its person in a
//! signed-in browser (RFC 8628). The way in for accounts that sign in only
//! through single sign-on, and for devices without a good keyboard.

use axum::Json as JsonOut;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::device_grants::{self, Poll};
use super::errors::{ApiError, ErrorBody};
use super::extract::Json;
use crate::domain::api::device::{
    DeviceAuthorization, DeviceAuthorizationRequest, DevicePending, DeviceTokenRequest,
};
use crate::domain::api::tokens::TokenPair;
use crate::server::audit::RequestOrigin;
use crate::server::state::AppState;

/// Start signing a device in.
///
/// Show `user_code` to the person and send them to `verification_uri`,
/// where they sign in (through single sign-on or otherwise), type the code
/// and allow the device. Meanwhile poll `POST /api/v1/auth/device/token`
/// every `interval` seconds. Both codes expire after `expires_in` seconds.
#[utoipa::path(
    post,
    path = "/auth/device",
    tag = "auth",
    request_body = DeviceAuthorizationRequest,
    responses(
        (status = 200, description = "The codes: show the user code, keep the device code secret", body = DeviceAuthorization),
        (status = 400, description = "The body is not valid JSON", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "No usable device name, or unknown fields", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    parts: Parts,
    Json(body): Json<DeviceAuthorizationRequest>,
) -> Result<
    (
        StatusCode,
        [(axum::http::HeaderName, &'static str); 1],
        JsonOut<DeviceAuthorization>,
    ),
    ApiError,
> {
    let name = body.parse()?;
    let origin = RequestOrigin::from_parts(&parts);
    let codes = device_grants::start(&state.pool, &name, &origin, &state.config.base_url).await?;
    Ok((
        StatusCode::OK,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        JsonOut(codes),
    ))
}

/// Poll for a device's tokens.
///
/// 202 while the person has not answered; 200 with the token pair once
/// they allow the device (the device code then stops working).
#[utoipa::path(
    post,
    path = "/auth/device/token",
    tag = "auth",
    request_body = DeviceTokenRequest,
    responses(
        (status = 200, description = "Allowed: the device's token pair", body = TokenPair),
        (status = 202, description = "Not answered yet: poll again after `interval` seconds", body = DevicePending),
        (status = 400, description = "The body is not valid JSON", body = ErrorBody),
        (status = 401, description = "Unknown, expired or already used device code", body = ErrorBody),
        (status = 403, description = "The person denied the device", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Not a device code, or unknown fields", body = ErrorBody),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    Json(body): Json<DeviceTokenRequest>,
) -> Result<Response, ApiError> {
    let code = body.parse()?;
    let no_store = [(axum::http::header::CACHE_CONTROL, "no-store")];
    Ok(match device_grants::poll(&state.pool, code).await? {
        Poll::Approved(pair) => (StatusCode::OK, no_store, JsonOut(pair)).into_response(),
        Poll::Pending { interval } => (
            StatusCode::ACCEPTED,
            no_store,
            JsonOut(DevicePending {
                status: "authorization_pending".into(),
                interval,
            }),
        )
            .into_response(),
    })
}
