//! Two-factor sign-in: the second step of a pending sign-in (public: the
//! pending sign-in in the cookie session is the authority), and a signed-in
//! person's own authenticator.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::two_factor::{SecondStep, TotpEnrolment};

/// Where the recovery codes are shown, once.
pub const RECOVERY_CODES_PATH: &str = "/account/recovery-codes";

/// Who is at the second step, and whether they must set the app up first.
#[server(prefix = "/fn", endpoint = "pending_second_step")]
pub async fn pending_second_step() -> Result<SecondStep, AppError> {
    use crate::domain::two_factor::STEP_EXPIRED;
    use crate::server::auth::{self, second_step};
    use crate::server::state::AppState;
    use crate::server::two_factor::pending;
    let state = AppState::from_context()?;
    let pending = pending::load(&auth::cookie_session()?)
        .await?
        .ok_or_else(|| AppError::validation("form", STEP_EXPIRED))?;
    let mut tx = second_step::begin(&state.pool, &pending).await?;
    let email = crate::server::accounts::email_of(&mut tx, pending.user_id).await?;
    tx.commit().await?;
    Ok(SecondStep {
        email,
        must_enrol: pending.must_enrol,
    })
}

/// The code (or recovery code) that finishes a pending sign-in.
#[server(prefix = "/fn", endpoint = "answer_second_step")]
pub async fn answer_second_step(
    code: String,
    trust_device: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::two_factor::{STEP_EXPIRED, TOO_MANY_ATTEMPTS, parse_second_factor};
    use crate::server::auth::{self, second_step};
    use crate::server::state::AppState;
    use crate::server::two_factor::pending;
    let factor = parse_second_factor(&code)?;
    let state = AppState::from_context()?;
    let session = auth::cookie_session()?;
    let pending = pending::load(&session)
        .await?
        .filter(|p| !p.must_enrol)
        .ok_or_else(|| AppError::validation("form", STEP_EXPIRED))?;
    let answered = second_step::answer(
        &state.pool,
        &state.config.sessions,
        state.config.secret_key.as_ref(),
        &pending,
        &factor,
        &auth::request_origin(),
    )
    .await;
    match answered {
        Ok(signed) => {
            pending::clear(&session).await?;
            if trust_device.is_some() {
                trust_this_device(&state, signed.user_id).await?;
            }
            let landing = crate::server::auth::establish::start_session(
                &state.pool,
                &signed,
                pending.clinic_id,
            )
            .await?;
            leptos_axum::redirect(&pending.next.unwrap_or(landing));
            Ok(())
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

/// The authenticator being set up, for the person signing in who must have
/// one, or the signed-in person on their account page.
#[server(prefix = "/fn", endpoint = "start_totp_setup")]
pub async fn start_totp_setup() -> Result<TotpEnrolment, AppError> {
    use crate::server::state::AppState;
    use crate::server::two_factor::enrolment;
    let state = AppState::from_context()?;
    let (mut tx, user_id, during_sign_in) = enrolling(&state).await?;
    let email = crate::server::accounts::email_of(&mut tx, user_id).await?;
    let view = enrolment::begin(
        &mut tx,
        state.config.secret_key.as_ref(),
        user_id,
        &email,
        during_sign_in,
    )
    .await?;
    tx.commit().await?;
    Ok(view)
}

/// Confirms the set-up with a code from the app; the recovery codes are
/// shown next. During sign-in this also signs the person in.
#[server(prefix = "/fn", endpoint = "confirm_totp")]
pub async fn confirm_totp(code: String, trust_device: Option<String>) -> Result<(), AppError> {
    use crate::domain::two_factor::STEP_EXPIRED;
    use crate::server::auth::{self, second_step};
    use crate::server::state::AppState;
    use crate::server::two_factor::{enrolment, pending};
    let state = AppState::from_context()?;
    let origin = auth::request_origin();
    let key = state.config.secret_key.as_ref();
    if let Ok(user) = auth::current_user() {
        let mut tx = crate::server::tenancy::begin_personal(&state.pool, user.user_id).await?;
        let codes = enrolment::confirm(&mut tx, key, user.user_id, &code, &origin).await?;
        tx.commit().await?;
        show_recovery_codes(codes, None).await?;
        return Ok(());
    }
    let session = auth::cookie_session()?;
    let pending = pending::load(&session)
        .await?
        .filter(|p| p.must_enrol)
        .ok_or_else(|| AppError::validation("form", STEP_EXPIRED))?;
    let (signed, codes) = second_step::enrol(
        &state.pool,
        &state.config.sessions,
        key,
        &pending,
        &code,
        &origin,
    )
    .await?;
    pending::clear(&session).await?;
    if trust_device.is_some() {
        trust_this_device(&state, signed.user_id).await?;
    }
    let landing =
        crate::server::auth::establish::start_session(&state.pool, &signed, pending.clinic_id)
            .await?;
    show_recovery_codes(codes, Some(pending.next.unwrap_or(landing))).await
}

/// The recovery codes just made, once: reading them removes them.
#[server(prefix = "/fn", endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> Result<Vec<String>, AppError> {
    use crate::server::auth;
    auth::current_user()?;
    let session = auth::cookie_session()?;
    session
        .remove::<Vec<String>>(FRESH_CODES_KEY)
        .await
        .map(Option::unwrap_or_default)
        .map_err(|_| AppError::Unavailable)
}

/// New recovery codes, after a current code.
#[server(prefix = "/fn", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(code: String) -> Result<(), AppError> {
    use crate::domain::two_factor::parse_second_factor;
    use crate::server::auth;
    use crate::server::state::AppState;
    use crate::server::two_factor::enrolment;
    let factor = parse_second_factor(&code)?;
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    let codes = enrolment::renew_codes(
        &state.pool,
        &state.sign_in_throttle,
        state.config.secret_key.as_ref(),
        user.user_id,
        &factor,
        &auth::request_origin(),
    )
    .await?;
    show_recovery_codes(codes, None).await
}

/// Turns two-factor sign-in off, after a current code, unless the person's
/// role or clinic requires it.
#[server(prefix = "/fn", endpoint = "disable_two_factor")]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    use crate::domain::two_factor::parse_second_factor;
    use crate::server::state::AppState;
    use crate::server::two_factor::{self, enrolment};
    use crate::server::{access, auth};
    let factor = parse_second_factor(&code)?;
    let (mut tx, user) = access::personal().await?;
    let status = two_factor::status(&mut tx, user.user_id, user.is_platform_admin).await?;
    tx.commit().await?;
    if status.required {
        return Err(AppError::Conflict(
            "Your role or clinic requires two-factor sign-in, so it stays on.".into(),
        ));
    }
    let state = AppState::from_context()?;
    enrolment::disable(
        &state.pool,
        &state.sign_in_throttle,
        state.config.secret_key.as_ref(),
        user.user_id,
        &factor,
        &auth::request_origin(),
    )
    .await?;
    leptos_axum::redirect("/account?saved=two_factor_off");
    Ok(())
}

/// Every device the person trusted asks for a code again.
#[server(prefix = "/fn", endpoint = "forget_trusted_devices")]
pub async fn forget_trusted_devices() -> Result<(), AppError> {
    use crate::server::two_factor::trusted;
    use crate::server::{access, audit, auth};
    let (mut tx, user) = access::personal().await?;
    let forgotten = trusted::forget_all(&mut tx, user.user_id).await?;
    let mut event = audit::NewAuditEvent::new(None, crate::domain::audit::AuditAction::Update);
    event.actor_user_id = Some(user.user_id);
    event.entity_type = Some(crate::domain::audit::AuditEntity::User);
    event.entity_id = Some(user.user_id.to_string());
    event.after = Some(serde_json::json!({ "trusted_devices_forgotten": forgotten }));
    event.origin = auth::request_origin();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?saved=devices");
    Ok(())
}

#[cfg(feature = "ssr")]
const FRESH_CODES_KEY: &str = "hms.fresh_recovery_codes";

/// Keeps the codes in the session for the page that shows them once (it
/// works without JavaScript, where a form's result cannot be shown), and
/// goes there.
#[cfg(feature = "ssr")]
async fn show_recovery_codes(codes: Vec<String>, next: Option<String>) -> Result<(), AppError> {
    let session = crate::server::auth::cookie_session()?;
    session
        .insert(FRESH_CODES_KEY, codes)
        .await
        .map_err(|_| AppError::Unavailable)?;
    let target = crate::domain::url::with_query(
        RECOVERY_CODES_PATH,
        &[("next", next.as_deref().unwrap_or_default())],
    );
    leptos_axum::redirect(&target);
    Ok(())
}

/// Whose authenticator is being set up: the signed-in person's, or that of
/// the person signing in who must set one up.
#[cfg(feature = "ssr")]
async fn enrolling(
    state: &crate::server::state::AppState,
) -> Result<(crate::server::access::Tx, uuid::Uuid, bool), AppError> {
    use crate::domain::two_factor::STEP_EXPIRED;
    use crate::server::auth::{self, second_step};
    use crate::server::two_factor::pending;
    if let Ok(user) = auth::current_user() {
        let tx = crate::server::tenancy::begin_personal(&state.pool, user.user_id).await?;
        return Ok((tx, user.user_id, false));
    }
    let pending = pending::load(&auth::cookie_session()?)
        .await?
        .filter(|p| p.must_enrol)
        .ok_or_else(|| AppError::validation("form", STEP_EXPIRED))?;
    let tx = second_step::begin(&state.pool, &pending).await?;
    Ok((tx, pending.user_id, true))
}

/// Remembers this device for the person for 30 days (a cookie).
#[cfg(feature = "ssr")]
async fn trust_this_device(
    state: &crate::server::state::AppState,
    user_id: uuid::Uuid,
) -> Result<(), AppError> {
    use crate::server::auth;
    use crate::server::two_factor::trusted;
    let headers = auth::request_headers()?;
    let agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let mut tx = crate::server::tenancy::begin_personal(&state.pool, user_id).await?;
    let cookie = trusted::trust(&mut tx, user_id, &headers, agent, state.config.is_https()).await?;
    tx.commit().await?;
    let value = http::HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
    expect_context::<leptos_axum::ResponseOptions>().append_header(http::header::SET_COOKIE, value);
    Ok(())
}
