//! Two-factor sign-in: the second step of a pending sign-in (public: the
//! pending sign-in in the cookie session is the authority), and a signed-in
//! person's own authenticator.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::two_factor::{SecondStep, TotpEnrolment};

/// Where the recovery codes are shown, once.
pub const RECOVERY_CODES_PATH: &str = "/account/recovery-codes";

/// Who is at the second step, and whether they must set the app up first.
#[server(prefix = "/fn/two_factor", endpoint = "pending_second_step")]
pub async fn pending_second_step() -> Result<SecondStep, AppError> {
    use crate::server::state::AppState;
    use crate::server::two_factor::sign_in;
    sign_in::pending_step(&AppState::from_context()?).await
}

/// The code (or recovery code) that finishes a pending sign-in.
#[server(prefix = "/fn/two_factor", endpoint = "answer_second_step")]
pub async fn answer_second_step(
    code: String,
    trust_device: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::two_factor::parse_second_factor;
    use crate::server::state::AppState;
    use crate::server::two_factor::sign_in;
    let factor = parse_second_factor(&code)?;
    let state = AppState::from_context()?;
    let next = sign_in::answer(&state, &factor, trust_device.is_some()).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// The authenticator being set up, for the person signing in who must have
/// one, or the signed-in person on their account page.
#[server(prefix = "/fn/two_factor", endpoint = "start_totp_setup")]
pub async fn start_totp_setup() -> Result<TotpEnrolment, AppError> {
    use crate::server::state::AppState;
    use crate::server::two_factor::{enrolment, sign_in};
    let state = AppState::from_context()?;
    let (mut tx, user_id, during_sign_in) = sign_in::enrolling(&state).await?;
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
#[server(prefix = "/fn/two_factor", endpoint = "confirm_totp")]
pub async fn confirm_totp(code: String, trust_device: Option<String>) -> Result<(), AppError> {
    use crate::server::state::AppState;
    use crate::server::two_factor::sign_in;
    let state = AppState::from_context()?;
    let next = sign_in::confirm(&state, &code, trust_device.is_some()).await?;
    show_recovery_codes(next);
    Ok(())
}

/// The recovery codes just made, once: reading them removes them.
#[server(prefix = "/fn/two_factor", endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> Result<Vec<String>, AppError> {
    use crate::server::{auth, two_factor::sign_in};
    auth::current_user()?;
    sign_in::take_fresh_codes().await
}

/// New recovery codes, after a current code.
#[server(prefix = "/fn/two_factor", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(code: String) -> Result<(), AppError> {
    use crate::domain::two_factor::parse_second_factor;
    use crate::server::auth;
    use crate::server::state::AppState;
    use crate::server::two_factor::{enrolment, sign_in};
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
    sign_in::keep_fresh_codes(codes).await?;
    show_recovery_codes(None);
    Ok(())
}

/// Turns two-factor sign-in off, after a current code, unless the person's
/// role or clinic requires it.
#[server(prefix = "/fn/two_factor", endpoint = "disable_two_factor")]
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
#[server(prefix = "/fn/two_factor", endpoint = "forget_trusted_devices")]
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

/// On to the page that shows the new recovery codes once, and then `next`.
#[cfg(feature = "ssr")]
fn show_recovery_codes(next: Option<String>) {
    let target = crate::domain::url::with_query(
        RECOVERY_CODES_PATH,
        &[("next", next.as_deref().unwrap_or_default())],
    );
    leptos_axum::redirect(&target);
}
