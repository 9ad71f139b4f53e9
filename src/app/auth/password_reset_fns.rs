//! Forgotten passwords: asking for a reset link, and using it. Public.

use leptos::prelude::*;

use crate::domain::AppError;

/// Always the same answer for a well-formed address (see the page).
#[server(prefix = "/fn/auth", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::domain::auth::Email;
    use crate::server::auth::{self, password_reset};
    use crate::server::state::AppState;
    let email = Email::parse(&email).map_err(|m| AppError::validation("email", m))?;
    let state = AppState::from_context()?;
    password_reset::request(
        &state.pool,
        &state.sign_in_throttle,
        &email,
        &state.config.base_url,
        &auth::request_origin(),
    )
    .await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

#[server(prefix = "/fn/auth", endpoint = "password_reset_status")]
pub async fn password_reset_status(token: String) -> Result<(), AppError> {
    use crate::server::auth::{self, password_reset};
    use crate::server::state::AppState;
    let state = AppState::from_context()?;
    password_reset::check(&state.pool, &token, &auth::request_origin()).await
}

/// Sets the new password; every session of the account ends, this browser's
/// too, and the person signs in with the new password.
#[server(prefix = "/fn/auth", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::auth::{self, password_reset};
    use crate::server::state::AppState;
    let state = AppState::from_context()?;
    password_reset::reset(
        &state.pool,
        &token,
        &password,
        &confirm,
        &auth::request_origin(),
    )
    .await?;
    auth::establish::forget_browser().await;
    leptos_axum::redirect("/login?reason=password_reset");
    Ok(())
}
