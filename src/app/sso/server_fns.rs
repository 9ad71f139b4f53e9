//! Single sign-on: the clinic admin's settings and access requests (each
//! authorises with `ManageClinic` first), and what the sign-in page offers.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::sso::{SsoOption, SsoOverview, SsoSettingsInput};

#[server(prefix = "/fn/sso", endpoint = "clinic_sso")]
pub async fn clinic_sso(slug: String, page: u32) -> Result<SsoOverview, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::sso::{requests, settings};
    use crate::server::state::AppState;
    use crate::server::{access, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let state = AppState::from_context()?;
    let view = settings::view(
        &mut tx,
        &state.config.base_url,
        state.config.secret_key.is_some(),
    )
    .await?;
    let requests = requests::list_open(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let departments = staff::departments(&mut tx).await?;
    tx.commit().await?;
    Ok(SsoOverview {
        settings: view,
        requests,
        departments,
    })
}

/// Saves the settings after reading the issuer's discovery document.
#[server(prefix = "/fn/sso", endpoint = "save_sso_settings")]
pub async fn save_sso_settings(slug: String, settings: SsoSettingsInput) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::sso::parse_sso_settings;
    use crate::server::access;
    use crate::server::sso::settings as stored;
    use crate::server::state::AppState;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let first_save = !stored::exists(&mut tx).await?;
    let parsed = parse_sso_settings(&settings, first_save)?;
    let state = AppState::from_context()?;
    stored::save(
        &mut tx,
        &access,
        &parsed,
        state.config.secret_key.as_ref(),
        &state.providers,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/sso?saved=1", access.membership.slug));
    Ok(())
}

/// Lets a person who signed in through the provider into the clinic.
#[server(prefix = "/fn/sso", endpoint = "approve_sso_request")]
pub async fn approve_sso_request(
    slug: String,
    id: String,
    role: String,
    department: String,
) -> Result<(), AppError> {
    use crate::domain::invitations::parse_role_and_department;
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, sso::requests};
    let id = crate::domain::ids::SsoRequestId::parse(&id)?;
    let mut errors = crate::domain::FieldErrors::new();
    let (role, department) = parse_role_and_department(&role, &department, &mut errors);
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(AppError::from(errors));
    };
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let state = AppState::from_context()?;
    requests::approve(
        &mut tx,
        &access,
        id,
        role,
        department,
        &state.config.base_url,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/fn/sso", endpoint = "reject_sso_request")]
pub async fn reject_sso_request(slug: String, id: String, reason: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::sso::parse_reason;
    use crate::server::{access, sso::requests};
    let id = crate::domain::ids::SsoRequestId::parse(&id)?;
    let reason = parse_reason(&reason)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    requests::reject(&mut tx, &access, id, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The single sign-on the sign-in page offers: the clinic named in its
/// address, or the clinics that accept an email domain.
#[server(prefix = "/fn/sso", endpoint = "sso_options")]
pub async fn sso_options(
    clinic: Option<String>,
    domain: Option<String>,
) -> Result<Vec<SsoOption>, AppError> {
    use crate::domain::sso::parse_domain;
    use crate::server::state::AppState;
    let clinic = clinic.filter(|c| !c.is_empty() && c.len() <= 48);
    let domain = domain.and_then(|d| parse_domain(&d).ok());
    if clinic.is_none() && domain.is_none() {
        return Ok(Vec::new());
    }
    let state = AppState::from_context()?;
    crate::server::sso::settings::sign_in_options(&state.pool, clinic.as_deref(), domain.as_deref())
        .await
}

/// "Sign in with your organisation": from a work email to the sign-in page
/// offering the provider of each clinic that accepts its domain.
#[server(prefix = "/fn/sso", endpoint = "find_sso")]
pub async fn find_sso(work_email: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::auth::{Email, safe_return_path};
    use crate::domain::url::with_query;
    use crate::server::state::AppState;
    let email = Email::parse(&work_email).map_err(|m| AppError::validation("sso_email", m))?;
    let domain = email
        .as_str()
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or_default();
    let state = AppState::from_context()?;
    let options =
        crate::server::sso::settings::sign_in_options(&state.pool, None, Some(domain)).await?;
    let next = next
        .as_deref()
        .and_then(safe_return_path)
        .unwrap_or_default();
    if options.is_empty() {
        return Err(AppError::validation(
            "sso_email",
            "No clinic signs in people from that domain through single sign-on. Sign in with your email and password instead.",
        ));
    }
    // Back to the sign-in page, which now offers the organisation's button:
    // the provider is left by a real link, not by the app's own navigation.
    leptos_axum::redirect(&with_query(
        "/login",
        &[("sso_domain", domain), ("next", next)],
    ));
    Ok(())
}
