//! Editing a record's demographics at the front desk: the form (the record,
//! or a refused save as typed), saving, and discarding what was typed.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::patients::PatientEditPage;
use crate::domain::patients::registration::RegistrationInput;

/// The edit form. Opening it is audited: it shows the document's number
/// whole.
#[server(prefix = "/fn/patients", endpoint = "edit_patient_form")]
pub async fn edit_patient_form(slug: String, id: String) -> Result<PatientEditPage, AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::patients::registration::RegistrationInput;
    use crate::domain::permission::Permission;
    use crate::server::patients::demographics;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let id = PatientId::parse(&id)?;
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let editing = demographics::open_for_edit(&mut tx, &access, key, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let r = &editing.record;
    let draft = form_drafts::load(
        key,
        access.membership.clinic_id,
        access.user.user_id,
        DraftOf::Edit(id.as_uuid()),
    )
    .await?;
    let typed = draft.map_or_else(
        || RegistrationInput::from_record(r, editing.stored.id_number.clone().unwrap_or_default()),
        |d| d.typed,
    );
    Ok(PatientEditPage {
        patient_number: r.patient_number.clone(),
        name: format!("{} {}", r.given_name, r.family_name),
        typed,
        version: editing.version.to_rfc3339(),
    })
}

/// Saves the edit, if the record has not changed since the form was
/// opened; back to the record, which says it was saved.
#[server(prefix = "/fn/patients", endpoint = "save_patient_details")]
pub async fn save_patient_details(
    slug: String,
    id: String,
    version: String,
    patient: RegistrationInput,
) -> Result<(), AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::patients::registration::parse_registration;
    use crate::domain::permission::Permission;
    use crate::server::patients::demographics;
    use crate::server::patients::form_drafts::{self, DraftOf};
    use crate::server::{access, state::AppState};
    let (mut tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let id = PatientId::parse(&id)?;
    let version = chrono::DateTime::parse_from_rfc3339(version.trim())
        .map_err(|_| AppError::validation("form", "This form is out of date: open it again."))?
        .to_utc();
    let state = AppState::from_context()?;
    let key = state.secret_key()?;
    let (clinic_id, user_id) = (access.membership.clinic_id, access.user.user_id);
    let draft = DraftOf::Edit(id.as_uuid());
    let today = access.membership.today;
    let new = match parse_registration(&patient, today) {
        Ok(new) => new,
        Err(e) => {
            form_drafts::keep(key, clinic_id, user_id, draft, &patient, false).await?;
            return Err(e);
        }
    };
    match demographics::update(&mut tx, &access, key, id, &new, version).await {
        Ok(_) => {}
        Err(e) => {
            // A conflict shows the record as it now is; other refusals keep
            // what was typed.
            if matches!(e, AppError::Conflict(_)) {
                form_drafts::clear(draft).await?;
            } else {
                form_drafts::keep(key, clinic_id, user_id, draft, &patient, false).await?;
            }
            return Err(e);
        }
    }
    tx.commit().await?;
    form_drafts::clear(draft).await?;
    leptos_axum::redirect(&format!(
        "/c/{}/patients/{id}?updated=1",
        access.membership.slug
    ));
    Ok(())
}

/// Drops what was typed and goes back to the record.
#[server(prefix = "/fn/patients", endpoint = "discard_patient_edit")]
pub async fn discard_patient_edit(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::ids::PatientId;
    use crate::domain::permission::Permission;
    use crate::server::access;
    use crate::server::patients::form_drafts::{self, DraftOf};
    let (tx, access) = access::clinic(&slug, Permission::RegisterPatients).await?;
    let id = PatientId::parse(&id)?;
    tx.commit().await?;
    form_drafts::clear(DraftOf::Edit(id.as_uuid())).await?;
    leptos_axum::redirect(&format!("/c/{}/patients/{id}", access.membership.slug));
    Ok(())
}
