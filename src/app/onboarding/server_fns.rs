//! "Register your hospital" (public) and the platform admin's decisions.
//! The form's steps are kept in the browser's cookie session until the
//! request is sent, so the steps work without JavaScript.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::onboarding::{
    FirstAdmin, HospitalDetails, PendingRegistration, RegistrationDraft,
};
use crate::domain::paging::Page;

/// The steps filled in so far in this browser.
#[server(prefix = "/fn/onboarding", endpoint = "my_registration_draft")]
pub async fn my_registration_draft() -> Result<RegistrationDraft, AppError> {
    crate::server::onboarding::draft::load().await
}

#[server(prefix = "/fn/onboarding", endpoint = "save_hospital_details")]
pub async fn save_hospital_details(hospital: HospitalDetails) -> Result<(), AppError> {
    use crate::domain::onboarding::{keepable, parse_hospital};
    use crate::server::onboarding;
    let mut draft = onboarding::draft::load().await?;
    let h = &hospital;
    let typed = [
        &h.name,
        &h.address,
        &h.phone,
        &h.email,
        &h.registration_number,
        &h.tax_id,
    ];
    draft.typed_hospital = keepable(typed.iter().map(|v| v.len()).sum()).then(|| hospital.clone());
    let parsed = parse_hospital(&hospital);
    draft.hospital = parsed.as_ref().ok().cloned();
    onboarding::draft::store(&draft).await?;
    parsed?;
    leptos_axum::redirect("/register?step=admin");
    Ok(())
}

#[server(prefix = "/fn/onboarding", endpoint = "save_first_admin")]
pub async fn save_first_admin(admin: FirstAdmin) -> Result<(), AppError> {
    use crate::domain::onboarding::{keepable, parse_first_admin};
    use crate::server::onboarding;
    let mut draft = onboarding::draft::load().await?;
    draft.typed_admin = keepable(admin.name.len() + admin.email.len()).then(|| admin.clone());
    let parsed = parse_first_admin(&admin);
    draft.admin = parsed.as_ref().ok().cloned();
    onboarding::draft::store(&draft).await?;
    parsed?;
    leptos_axum::redirect("/register?step=plan");
    Ok(())
}

/// Sends the request: its first admin gets an email to confirm the address.
#[server(prefix = "/fn/onboarding", endpoint = "submit_registration")]
pub async fn submit_registration(plan: String) -> Result<(), AppError> {
    use crate::domain::onboarding::{parse_first_admin, parse_hospital, parse_plan};
    use crate::server::{auth, onboarding, state::AppState};
    let plan = parse_plan(&plan)?;
    let draft = onboarding::draft::load().await?;
    let missing = || {
        AppError::validation(
            "form",
            "Fill in the hospital's details and its administrator first.",
        )
    };
    let hospital = parse_hospital(draft.hospital.as_ref().ok_or_else(missing)?)?;
    let admin = parse_first_admin(draft.admin.as_ref().ok_or_else(missing)?)?;
    let state = AppState::from_context()?;
    onboarding::submit(
        &state.pool,
        &state.sign_in_throttle,
        &hospital,
        &admin,
        plan,
        &state.config.base_url,
        &auth::request_origin(),
    )
    .await?;
    onboarding::draft::store(&RegistrationDraft::default()).await?;
    leptos_axum::redirect("/register/sent");
    Ok(())
}

/// The hospital a confirmation link is for, if the link can be used.
#[server(prefix = "/fn/onboarding", endpoint = "registration_link")]
pub async fn registration_link(token: String) -> Result<String, AppError> {
    use crate::server::{onboarding, state::AppState};
    let state = AppState::from_context()?;
    onboarding::check_link(&state.pool, &token).await
}

/// Confirms the admin address (a button, not the link itself: mail
/// scanners open links).
#[server(prefix = "/fn/onboarding", endpoint = "confirm_registration")]
pub async fn confirm_registration(token: String) -> Result<(), AppError> {
    use crate::server::{auth, onboarding, state::AppState};
    let state = AppState::from_context()?;
    onboarding::confirm(
        &state.pool,
        &token,
        &state.config.base_url,
        &auth::request_origin(),
    )
    .await?;
    leptos_axum::redirect("/register/confirmed");
    Ok(())
}

#[server(prefix = "/fn/onboarding", endpoint = "pending_registrations")]
pub async fn pending_registrations(page: u32) -> Result<Page<PendingRegistration>, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{access, onboarding};
    let (mut tx, _user) = access::platform().await?;
    let list = onboarding::list_pending(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(list)
}

/// Makes the clinic at `slug` and invites its first admin.
#[server(prefix = "/fn/onboarding", endpoint = "approve_registration")]
pub async fn approve_registration(id: String, slug: String) -> Result<(), AppError> {
    use crate::domain::onboarding::parse_slug;
    use crate::server::{access, onboarding, state::AppState};
    let id = crate::domain::ids::RegistrationId::parse(&id)?;
    let slug = parse_slug(&slug)?;
    let (mut tx, user) = access::platform().await?;
    let state = AppState::from_context()?;
    let origin = crate::server::auth::request_origin();
    onboarding::approve(&mut tx, &user, id, &slug, &state.config.base_url, &origin).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/platform/registrations?approved={slug}"));
    Ok(())
}

#[server(prefix = "/fn/onboarding", endpoint = "reject_registration")]
pub async fn reject_registration(id: String, reason: String) -> Result<(), AppError> {
    use crate::domain::onboarding::parse_rejection_reason;
    use crate::server::{access, onboarding};
    let id = crate::domain::ids::RegistrationId::parse(&id)?;
    let reason = parse_rejection_reason(&reason)?;
    let (mut tx, user) = access::platform().await?;
    onboarding::reject(&mut tx, &user, id, &reason).await?;
    tx.commit().await?;
    leptos_axum::redirect("/platform/registrations?rejected=1");
    Ok(())
}
