//! The registration form's steps so far, kept in this browser's cookie
//! session until the request is sent, so the steps work without JavaScript.

use crate::domain::AppError;
use crate::domain::onboarding::RegistrationDraft;
use crate::server::auth;

const DRAFT_KEY: &str = "hms.registration_draft";

/// The steps filled in so far (none in a new browser).
pub async fn load() -> Result<RegistrationDraft, AppError> {
    let draft: Option<RegistrationDraft> = auth::cookie_session()?
        .get(DRAFT_KEY)
        .await
        .map_err(|_| AppError::Unavailable)?;
    Ok(draft.unwrap_or_default())
}

pub async fn store(draft: &RegistrationDraft) -> Result<(), AppError> {
    auth::cookie_session()?
        .insert(DRAFT_KEY, draft)
        .await
        .map_err(|_| AppError::Unavailable)
}
