//! Accepting a staff invitation from its emailed link. Public: the person
//! is not signed in; the token is the authority.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::invitations::InvitationView;

#[server(prefix = "/fn/invitations", endpoint = "invitation_details")]
pub async fn invitation_details(token: String) -> Result<InvitationView, AppError> {
    use crate::server::{auth, invitations, state::AppState};
    let state = AppState::from_context()?;
    invitations::accept::view(&state.pool, &token, &auth::request_origin()).await
}

/// Accepts, then signs the person in and opens their dashboard (or the
/// second step, when their role needs two-factor sign-in).
#[server(prefix = "/fn/invitations", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::domain::auth::Email;
    use crate::server::auth::{self, sign_in};
    use crate::server::two_factor::trusted;
    use crate::server::{invitations, state::AppState};
    let state = AppState::from_context()?;
    let origin = auth::request_origin();
    // Someone confirming an existing account types its password here: the
    // same limits as signing in keep that from being a guessing door.
    let key = format!("invitation:{}", token.chars().take(16).collect::<String>());
    if !state
        .sign_in_throttle
        .allow(&state.pool, origin.client_addr, &key)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let accepted = match invitations::accept::accept(
        &state.pool,
        &token,
        &password,
        &confirm,
        &origin,
    )
    .await
    {
        Ok(accepted) => accepted,
        Err(refused) => {
            state
                .sign_in_throttle
                .failed(&state.pool, origin.client_addr)
                .await?;
            return Err(refused);
        }
    };
    let email = Email::parse(&accepted.email).map_err(|_| AppError::Internal)?;
    let step = sign_in::sign_in(
        &state.pool,
        &state.config.sessions,
        &state.sign_in_throttle,
        &email,
        password,
        &origin,
        trusted::token_hash(&auth::request_headers()?),
    )
    .await?;
    crate::server::auth::establish::proceed(&state.pool, step, None).await
}
