use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::session::MembershipChoice;

/// Email and password sign-in. On success the session id is replaced (no
/// fixation), the session remembers the account, and the browser goes to
/// `next` (a local path) or the person's dashboard; or, when the account
/// needs its second factor, to the second step.
#[server(prefix = "/fn/auth", endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::auth::{parse_sign_in, safe_return_path};
    use crate::server::auth::{self, sign_in};
    use crate::server::state::AppState;
    use crate::server::two_factor::trusted;

    let input = parse_sign_in(&email, &password)?;
    let state = AppState::from_context()?;
    let origin = auth::request_origin();
    let next = next
        .as_deref()
        .and_then(safe_return_path)
        .map(str::to_owned);
    let step = sign_in::sign_in(
        &state.pool,
        &state.config.sessions,
        &state.sign_in_throttle,
        &input.email,
        password,
        &origin,
        trusted::token_hash(&auth::request_headers()?),
    )
    .await?;
    auth::establish::proceed(&state.pool, step, next).await
}

/// Ends the session on the server (its record and its cookie) and audits it.
#[server(prefix = "/fn/auth", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::auth::establish;
    use crate::server::state::AppState;
    establish::sign_out(&AppState::from_context()?.pool).await?;
    leptos_axum::redirect("/login?reason=signed_out");
    Ok(())
}

/// "Stay signed in": the request itself renews the idle timer. Returns the
/// seconds of idleness now allowed.
#[server(prefix = "/fn/auth", endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<u64, AppError> {
    let user = crate::server::auth::current_user()?;
    Ok(user.idle_timeout.as_secs())
}

/// The clinics and roles the signed-in person can act in.
#[server(prefix = "/fn/auth", endpoint = "my_memberships")]
pub async fn my_memberships() -> Result<Vec<MembershipChoice>, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, user) = access::personal().await?;
    let choices = landing::memberships(&mut tx, user.user_id).await?;
    tx.commit().await?;
    Ok(choices)
}

/// Switches the session to a clinic and role the person holds; the session id
/// is replaced, as at sign-in.
#[server(prefix = "/fn/auth", endpoint = "choose_clinic")]
pub async fn choose_clinic(slug: String, role: String) -> Result<(), AppError> {
    use crate::domain::role::Role;
    use crate::server::auth::{self, establish};
    use crate::server::state::AppState;
    let user = auth::current_user()?;
    let role = Role::parse(&role).ok_or(AppError::NotFound)?;
    let state = AppState::from_context()?;
    let dashboard = establish::switch_clinic(&state.pool, &user, &slug, role).await?;
    leptos_axum::redirect(&dashboard);
    Ok(())
}
