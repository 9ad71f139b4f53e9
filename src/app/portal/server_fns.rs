//! A patient's portal access, from their record: every role that opens
//! records sees where it stands; reception invites, sends again and
//! withdraws (`InvitePatients`).

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::patients::contact_details::ContactDetailsInput;
use crate::domain::portal::PortalAccess;
use crate::domain::portal::PortalView;

#[server(prefix = "/fn/portal", endpoint = "patient_portal")]
pub async fn patient_portal(slug: String, id: String) -> Result<PortalAccess, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, portal};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    let found = portal::access(&mut tx, &access, id).await?;
    tx.commit().await?;
    found.ok_or(AppError::NotFound)
}

/// Emails the patient a link to make their portal account.
#[server(prefix = "/fn/portal", endpoint = "invite_to_portal")]
pub async fn invite_to_portal(slug: String, id: String, email: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::portal::parse_portal_email;
    use crate::server::state::AppState;
    use crate::server::{access, portal};
    let (mut tx, access) = access::clinic(&slug, Permission::InvitePatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    let email = parse_portal_email(&email)?;
    let state = AppState::from_context()?;
    portal::invite(&mut tx, &access, id, &email, &state.config.base_url).await?;
    tx.commit().await?;
    leptos_axum::redirect(&record_path(&access, id, "sent"));
    Ok(())
}

#[server(prefix = "/fn/portal", endpoint = "resend_portal_invitation")]
pub async fn resend_portal_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, portal};
    let (mut tx, access) = access::clinic(&slug, Permission::InvitePatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    let state = AppState::from_context()?;
    portal::resend(&mut tx, &access, id, &state.config.base_url).await?;
    tx.commit().await?;
    leptos_axum::redirect(&record_path(&access, id, "resent"));
    Ok(())
}

#[server(prefix = "/fn/portal", endpoint = "withdraw_portal_invitation")]
pub async fn withdraw_portal_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, portal};
    let (mut tx, access) = access::clinic(&slug, Permission::InvitePatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    portal::withdraw(&mut tx, &access, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&record_path(&access, id, "withdrawn"));
    Ok(())
}

/// The record page again, saying what was done (for the page without
/// JavaScript, which follows the redirect).
#[cfg(feature = "ssr")]
fn record_path(
    access: &crate::server::access::ClinicAccess,
    id: crate::domain::ids::PatientId,
    done: &str,
) -> String {
    format!("/c/{}/patients/{id}?portal={done}", access.membership.slug)
}

/// The patient portal: the signed-in patient's own record and nobody else's.
#[server(prefix = "/fn/portal", endpoint = "my_records")]
pub async fn my_records(slug: String) -> Result<PortalView, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewOwnRecords).await?;
    let state = AppState::from_context()?;
    let record = patients::open_own_record(&mut tx, &access, state.secret_key()?).await?;
    tx.commit().await?;
    Ok(PortalView {
        display_name: access.user.display_name.clone(),
        email: access.user.email.clone(),
        clinic_name: access.membership.clinic_name.clone(),
        record,
    })
}

/// The portal's contact form: the patient's own record's contact details,
/// or a refused save as typed. Reading it is audited as opening the record.
#[server(prefix = "/fn/portal", endpoint = "own_contact_form")]
pub async fn own_contact_form(slug: String) -> Result<ContactDetailsInput, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::state::AppState;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::UpdateOwnContactDetails).await?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let record = patients::open_own_record(&mut tx, &access, key)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let draft = form_drafts::load(
        key,
        access.membership.clinic_id,
        access.user.user_id,
        DraftOf::OwnContact,
    )
    .await?;
    Ok(draft.map_or_else(
        || ContactDetailsInput::from_record(&record),
        |d| d.typed.contact(),
    ))
}

/// Saves the patient's own phone, email, address and emergency contact;
/// back to their records, which say it was saved.
#[server(prefix = "/fn/portal", endpoint = "save_own_contact")]
pub async fn save_own_contact(slug: String, patient: ContactDetailsInput) -> Result<(), AppError> {
    use crate::domain::patients::contact_details::parse_contact_details;
    use crate::domain::patients::registration::RegistrationInput;
    use crate::domain::permission::Permission;
    use crate::server::patients::demographics;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::UpdateOwnContactDetails).await?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let (clinic_id, user_id) = (access.membership.clinic_id, access.user.user_id);
    let details = match parse_contact_details(&patient) {
        Ok(d) => d,
        Err(e) => {
            let typed = RegistrationInput::with_contact(patient);
            form_drafts::keep(key, clinic_id, user_id, DraftOf::OwnContact, &typed, false).await?;
            return Err(e);
        }
    };
    demographics::update_own_contact(&mut tx, &access, &details)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    form_drafts::clear(DraftOf::OwnContact).await?;
    leptos_axum::redirect(&format!(
        "/c/{}/my-records?updated=1",
        access.membership.slug
    ));
    Ok(())
}
