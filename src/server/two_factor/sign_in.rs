//! The cookie-session side of two-factor, for the server functions of
//! `app::two_factor`: the pending sign-in's second step (answered, or the
//! authenticator set up during sign-in), the recovery codes kept for the one
//! page that shows them, and the trusted-device cookie.

use uuid::Uuid;

use super::{pending, trusted};
use crate::domain::AppError;
use crate::domain::two_factor::{STEP_EXPIRED, SecondFactor, SecondStep, TOO_MANY_ATTEMPTS};
use crate::server::access::Tx;
use crate::server::auth::{self, establish, second_step};
use crate::server::state::AppState;
use crate::server::tenancy;

const FRESH_CODES_KEY: &str = "hms.fresh_recovery_codes";

/// The pending sign-in of this browser: any, or (`Some(must_enrol)`) only
/// one that must set the authenticator up, or only one that answers with it.
async fn pending_at(must_enrol: Option<bool>) -> Result<pending::PendingSignIn, AppError> {
    pending::load(&auth::cookie_session()?)
        .await?
        .filter(|p| must_enrol.is_none_or(|m| p.must_enrol == m))
        .ok_or_else(|| AppError::validation("form", STEP_EXPIRED))
}

/// Who is at the second step, and whether they must set the app up first.
pub async fn pending_step(state: &AppState) -> Result<SecondStep, AppError> {
    let pending = pending_at(None).await?;
    let mut tx = second_step::begin(&state.pool, &pending).await?;
    let email = crate::server::accounts::email_of(&mut tx, pending.user_id).await?;
    tx.commit().await?;
    Ok(SecondStep {
        email,
        must_enrol: pending.must_enrol,
    })
}

/// Answers the pending sign-in's second step and, when right, signs in.
/// Returns where to go next. A wrong code counts against this sign-in, which
/// ends after too many.
pub async fn answer(
    state: &AppState,
    factor: &SecondFactor,
    trust_device: bool,
) -> Result<String, AppError> {
    let session = auth::cookie_session()?;
    let pending = pending_at(Some(false)).await?;
    let answered = second_step::answer(
        &state.pool,
        &state.config.sessions,
        state.config.secret_key.as_ref(),
        &pending,
        factor,
        &auth::request_origin(),
    )
    .await;
    match answered {
        Ok(signed) => {
            pending::clear(&session).await?;
            if trust_device {
                trust_this_device(state, signed.user_id).await?;
            }
            let landing = establish::start_session(&state.pool, &signed, pending.clinic_id).await?;
            Ok(pending.next.unwrap_or(landing))
        }
        Err(e) if e.field_message("code").is_some() => {
            if pending::wrong_code(&session, pending).await? {
                Err(e)
            } else {
                Err(AppError::validation("form", TOO_MANY_ATTEMPTS))
            }
        }
        Err(e) => {
            if e.field_message("form").is_some() {
                pending::clear(&session).await?;
            }
            Err(e)
        }
    }
}

/// Whose authenticator is being set up: the signed-in person's, or that of
/// the person signing in who must set one up (then `true`), with a
/// transaction acting as them.
pub async fn enrolling(state: &AppState) -> Result<(Tx, Uuid, bool), AppError> {
    if let Ok(user) = auth::current_user() {
        let tx = tenancy::begin_personal(&state.pool, user.user_id).await?;
        return Ok((tx, user.user_id, false));
    }
    let pending = pending_at(Some(true)).await?;
    let tx = second_step::begin(&state.pool, &pending).await?;
    Ok((tx, pending.user_id, true))
}

/// Confirms the authenticator being set up with a code from it and keeps
/// the new recovery codes for the page that shows them. During sign-in this
/// also signs the person in, and returns where they go after the codes.
pub async fn confirm(
    state: &AppState,
    code: &str,
    trust_device: bool,
) -> Result<Option<String>, AppError> {
    let origin = auth::request_origin();
    let key = state.config.secret_key.as_ref();
    if let Ok(user) = auth::current_user() {
        let mut tx = tenancy::begin_personal(&state.pool, user.user_id).await?;
        let codes = super::enrolment::confirm(&mut tx, key, user.user_id, code, &origin).await?;
        tx.commit().await?;
        keep_fresh_codes(codes).await?;
        return Ok(None);
    }
    let session = auth::cookie_session()?;
    let pending = pending_at(Some(true)).await?;
    let (signed, codes) = second_step::enrol(
        &state.pool,
        &state.config.sessions,
        key,
        &pending,
        code,
        &origin,
    )
    .await?;
    pending::clear(&session).await?;
    if trust_device {
        trust_this_device(state, signed.user_id).await?;
    }
    let landing = establish::start_session(&state.pool, &signed, pending.clinic_id).await?;
    keep_fresh_codes(codes).await?;
    Ok(Some(pending.next.unwrap_or(landing)))
}

/// Keeps new recovery codes in the session for the page that shows them
/// once (it works without JavaScript, where a form's result cannot be shown).
pub async fn keep_fresh_codes(codes: Vec<String>) -> Result<(), AppError> {
    auth::cookie_session()?
        .insert(FRESH_CODES_KEY, codes)
        .await
        .map_err(|_| AppError::Unavailable)
}

/// The recovery codes just made, once: reading them removes them.
pub async fn take_fresh_codes() -> Result<Vec<String>, AppError> {
    auth::cookie_session()?
        .remove::<Vec<String>>(FRESH_CODES_KEY)
        .await
        .map(Option::unwrap_or_default)
        .map_err(|_| AppError::Unavailable)
}

/// Remembers this device for the person for 30 days (a cookie).
async fn trust_this_device(state: &AppState, user_id: Uuid) -> Result<(), AppError> {
    let headers = auth::request_headers()?;
    let agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let mut tx = tenancy::begin_personal(&state.pool, user_id).await?;
    let cookie = trusted::trust(&mut tx, user_id, &headers, agent, state.config.is_https()).await?;
    tx.commit().await?;
    let value = http::HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, value);
    Ok(())
}
