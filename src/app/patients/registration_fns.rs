//! Registering a patient at the front desk: the form (with what was typed
//! last), registering, and registering despite possible duplicates.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::patients::RegistrationPage;
use crate::domain::patients::registration::RegistrationInput;

/// The registration page: the form as last typed, and the possible
/// duplicates when the last check found some.
#[server(prefix = "/fn/patients", endpoint = "registration_form")]
pub async fn registration_form(slug: String) -> Result<RegistrationPage, AppError> {
    use crate::domain::patients::registration::parse_registration;
    use crate::domain::permission::Permission;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::patients::registration;
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let (clinic_id, user_id) = (access.membership.clinic_id, access.user.user_id);
    let Some(draft) = form_drafts::load(key, clinic_id, user_id, DraftOf::Registration).await?
    else {
        return Ok(RegistrationPage::default());
    };
    let mut duplicates = Vec::new();
    if draft.awaiting_decision {
        let today = access.membership.today;
        if let Ok(new) = parse_registration(&draft.typed, today) {
            duplicates = registration::find_duplicates(&mut tx, key, clinic_id, &new).await?;
        }
    }
    tx.commit().await?;
    Ok(RegistrationPage {
        typed: draft.typed,
        duplicates,
    })
}

/// Checks the form and looks for the patient among those registered: with
/// possible matches the page shows them for a decision; otherwise the
/// patient is registered and the receptionist lands on the new record.
#[server(prefix = "/fn/patients", endpoint = "register_patient")]
pub async fn register_patient(slug: String, patient: RegistrationInput) -> Result<(), AppError> {
    use crate::domain::patients::registration::parse_registration;
    use crate::domain::permission::Permission;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::patients::registration;
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let (clinic_id, user_id) = (access.membership.clinic_id, access.user.user_id);
    let today = access.membership.today;
    let new = match parse_registration(&patient, today) {
        Ok(new) => new,
        Err(e) => {
            form_drafts::keep(
                key,
                clinic_id,
                user_id,
                DraftOf::Registration,
                &patient,
                false,
            )
            .await?;
            return Err(e);
        }
    };
    let slug = &access.membership.slug;
    if !registration::find_duplicates(&mut tx, key, clinic_id, &new)
        .await?
        .is_empty()
    {
        form_drafts::keep(
            key,
            clinic_id,
            user_id,
            DraftOf::Registration,
            &patient,
            true,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/c/{slug}/patients/new#possible-duplicates"));
        return Ok(());
    }
    let (id, _number) = registration::register(&mut tx, &access, key, &new, None).await?;
    tx.commit().await?;
    form_drafts::clear(DraftOf::Registration).await?;
    leptos_axum::redirect(&format!("/c/{slug}/patients/{id}?registered=1"));
    Ok(())
}

/// "Register anyway": the receptionist has seen the possible duplicates
/// and says why this is someone else; the reason and the records shown go
/// into the CREATE event.
#[server(prefix = "/fn/patients", endpoint = "register_patient_anyway")]
pub async fn register_patient_anyway(slug: String, reason: String) -> Result<(), AppError> {
    use crate::domain::patients::registration::{parse_override_reason, parse_registration};
    use crate::domain::permission::Permission;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::patients::registration;
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let reason = parse_override_reason(&reason)?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let (clinic_id, user_id) = (access.membership.clinic_id, access.user.user_id);
    let draft = form_drafts::load(key, clinic_id, user_id, DraftOf::Registration)
        .await?
        .filter(|d| d.awaiting_decision)
        .ok_or_else(|| {
            AppError::Conflict("Fill in the registration form first; nothing is waiting.".into())
        })?;
    let today = access.membership.today;
    let new = parse_registration(&draft.typed, today)?;
    let shown: Vec<uuid::Uuid> = registration::find_duplicates(&mut tx, key, clinic_id, &new)
        .await?
        .into_iter()
        .map(|d| d.patient.id)
        .collect();
    let overridden = registration::Override {
        reason: &reason,
        shown: &shown,
    };
    let (id, _number) =
        registration::register(&mut tx, &access, key, &new, Some(overridden)).await?;
    tx.commit().await?;
    form_drafts::clear(DraftOf::Registration).await?;
    leptos_axum::redirect(&format!(
        "/c/{}/patients/{id}?registered=1",
        access.membership.slug
    ));
    Ok(())
}

/// Empties the form (what was typed, and any decision waiting).
#[server(prefix = "/fn/patients", endpoint = "clear_registration")]
pub async fn clear_registration(slug: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::patients::form_drafts::{self, DraftOf};
    let (tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    tx.commit().await?;
    form_drafts::clear(DraftOf::Registration).await?;
    leptos_axum::redirect(&format!("/c/{}/patients/new", access.membership.slug));
    Ok(())
}
