//! `/api/v1/auth/…`: tokens for a person, got by signing in as the sign-in
//! page does (same throttle, lockout, second factor and audit), refreshed,
//! and revoked.

use axum::Json as JsonOut;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody};
use super::extract::Json;
use super::tokens;
use crate::domain::AppError;
use crate::domain::api::tokens::{RefreshRequest, TokenPair, TokenRequest};
use crate::domain::auth::SIGN_IN_FAILED;
use crate::domain::two_factor::SecondFactor;
use crate::server::audit::RequestOrigin;
use crate::server::auth::second_step;
use crate::server::auth::sessions::{self, SessionKind};
use crate::server::auth::sign_in::{self, SignInStep, SignedIn};
use crate::server::state::AppState;
use crate::server::tenancy;

/// An account whose role requires an authenticator it has not set up yet.
pub const ENROL_IN_BROWSER: &str =
    "This account must set up an authenticator app first: sign in once in a browser to do so.";
pub const CODE_NEEDED: &str =
    "This account has an authenticator: send its current code (or a recovery code) as totp_code.";

/// Sign in and get a token pair.
///
/// The sign-in page's own path: its throttle, lockout, second factor and
/// audit. Opens a token family (a session the account page lists).
#[utoipa::path(
    post,
    path = "/auth/token",
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenPair),
        (status = 400, description = "The body is not valid JSON", body = ErrorBody),
        (status = 401, description = "Wrong credentials, or a second factor needed or wrong", body = ErrorBody),
        (status = 403, description = "The account must set up an authenticator in a browser first", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    parts: Parts,
    Json(body): Json<TokenRequest>,
) -> Result<(StatusCode, HeaderMap, JsonOut<TokenPair>), ApiError> {
    let input = body.parse()?;
    let origin = RequestOrigin::from_parts(&parts);
    let policy = state.config.sessions.for_api_tokens();
    let step = sign_in::sign_in(
        &state.pool,
        &policy,
        &state.sign_in_throttle,
        &input.email,
        input.password,
        &origin,
        None,
    )
    .await
    .map_err(refused)?;
    let signed = match step {
        SignInStep::Done(signed) => signed,
        SignInStep::SecondFactor(pending) if pending.must_enrol => {
            return Err(
                ApiError::from(AppError::Forbidden).with_field("totp_code", ENROL_IN_BROWSER)
            );
        }
        SignInStep::SecondFactor(pending) => {
            let Some(factor) = input.second_factor else {
                return Err(
                    ApiError::unauthorized(CODE_NEEDED).with_field("totp_code", CODE_NEEDED)
                );
            };
            second_factor(&state, &policy, &pending, &factor, &origin).await?
        }
    };
    let mut tx = tenancy::begin_personal(&state.pool, signed.user_id).await?;
    let pair = tokens::issue(&mut tx, signed.session_id).await?;
    tx.commit().await?;
    Ok((StatusCode::OK, no_store(), JsonOut(pair)))
}

async fn second_factor(
    state: &AppState,
    policy: &crate::server::config::SessionPolicy,
    pending: &crate::server::two_factor::pending::PendingSignIn,
    factor: &SecondFactor,
    origin: &RequestOrigin,
) -> Result<SignedIn, ApiError> {
    second_step::answer(
        &state.pool,
        policy,
        state.config.secret_key.as_ref(),
        pending,
        factor,
        origin,
    )
    .await
    .map_err(|e| match e.field_message("code") {
        Some(message) => ApiError::unauthorized(SIGN_IN_FAILED).with_field("totp_code", message),
        None => refused(e),
    })
}

/// A failed sign-in says nothing of why (the audit trail does): a 401 with
/// the sign-in page's one message. Anything else keeps its own status.
fn refused(e: AppError) -> ApiError {
    match e.field_message("form") {
        Some(message) => ApiError::unauthorized(message),
        None => ApiError::from(e),
    }
}

/// Tokens must not be kept by caches on the way (RFC 6749 §5.1).
fn no_store() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    h
}

/// Exchange a refresh token for the next pair.
///
/// Each refresh token works once; presenting a used one ends its family.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "The next token pair", body = TokenPair),
        (status = 400, description = "The body is not valid JSON", body = ErrorBody),
        (status = 401, description = "Unknown, expired, used or revoked; a used one also ends its family", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Not a refresh token, or unknown fields", body = ErrorBody),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    parts: Parts,
    Json(body): Json<RefreshRequest>,
) -> Result<(StatusCode, HeaderMap, JsonOut<TokenPair>), ApiError> {
    let presented = body.parse()?;
    let origin = RequestOrigin::from_parts(&parts);
    let pair = tokens::refresh(&state.pool, presented, &origin).await?;
    Ok((StatusCode::OK, no_store(), JsonOut(pair)))
}

/// Sign this token family out.
///
/// Its access and refresh tokens stop working at once.
#[utoipa::path(
    post,
    path = "/auth/revoke",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid access token", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<StatusCode, ApiError> {
    sessions::sign_out(
        &state.pool,
        caller.user.user_id,
        caller.user.session_id,
        SessionKind::Api,
        caller.origin,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
