//! The signed-in person's own account, whatever their role.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::accounts::{AccountOverview, ProfileInput};

#[server(prefix = "/fn/accounts", endpoint = "my_account")]
pub async fn my_account() -> Result<AccountOverview, AppError> {
    use crate::server::{access, accounts};
    let (mut tx, user) = access::personal().await?;
    let overview = accounts::overview(&mut tx, &user).await?;
    tx.commit().await?;
    Ok(overview)
}

#[server(prefix = "/fn/accounts", endpoint = "update_profile")]
pub async fn update_profile(profile: ProfileInput) -> Result<(), AppError> {
    use crate::domain::accounts::parse_profile;
    use crate::server::{access, accounts, auth};
    let (name, phone) = parse_profile(&profile)?;
    let (mut tx, user) = access::personal().await?;
    accounts::update_profile(&mut tx, &user, &name, &phone, &auth::request_origin()).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?saved=profile");
    Ok(())
}

/// Other sessions end; this one stays signed in.
#[server(prefix = "/fn/accounts", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::domain::accounts::check_password_change;
    use crate::server::{accounts, auth, state::AppState};
    check_password_change(&current, &password, &confirm)?;
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    accounts::change_password(
        &state.pool,
        &state.sign_in_throttle,
        &user,
        &current,
        &password,
        &auth::request_origin(),
    )
    .await?;
    leptos_axum::redirect("/account?saved=password");
    Ok(())
}

#[server(prefix = "/fn/accounts", endpoint = "sign_out_other_sessions")]
pub async fn sign_out_other_sessions() -> Result<(), AppError> {
    use crate::server::{access, accounts, auth};
    let (mut tx, user) = access::personal().await?;
    accounts::sign_out_others(&mut tx, &user, &auth::request_origin()).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?saved=sessions");
    Ok(())
}
