//! A patient form as last typed (registering, editing a record, a patient's
//! own contact details), kept in the person's own server-side session while
//! it is corrected or while possible duplicates await a decision: without
//! JavaScript a refused form is a new page, and seventeen fields typed again
//! would be a poor answer. The document's number is sealed even here; the
//! draft is gone once the form is saved or cleared, or the session ends.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::patients::registration::RegistrationInput;
use crate::server::auth;
use crate::server::crypto::{SecretKey, hex};

/// Which form a draft belongs to; each has its own place in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftOf {
    Registration,
    /// The front desk's edit of this record.
    Edit(Uuid),
    /// The portal patient's contact details (the form's contact fields).
    OwnContact,
}

impl DraftOf {
    fn key(self) -> &'static str {
        match self {
            DraftOf::Registration => "hms.patient_registration",
            DraftOf::Edit(_) => "hms.patient_edit",
            DraftOf::OwnContact => "hms.patient_own_contact",
        }
    }

    fn subject(self) -> Option<Uuid> {
        match self {
            DraftOf::Edit(id) => Some(id),
            DraftOf::Registration | DraftOf::OwnContact => None,
        }
    }
}

/// A draft larger than any real form is not kept.
const MAX_BYTES: usize = 8 * 1024;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Stored {
    clinic_id: Uuid,
    /// The record being edited, for an edit's draft.
    subject: Option<Uuid>,
    typed: RegistrationInput,
    /// The checked form matched registered patients: the page shows them
    /// with "Use this record" and "Register anyway".
    awaiting_decision: bool,
}

/// What the draft holds for the person in this clinic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub typed: RegistrationInput,
    pub awaiting_decision: bool,
}

fn owner(user_id: Uuid) -> Vec<u8> {
    [b"registration draft:".as_slice(), user_id.as_bytes()].concat()
}

fn unavailable(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(cause = %e, "the session store failed");
    AppError::Unavailable
}

/// Keeps `typed` (when of a sane size) for the next page.
pub async fn keep(
    key: &SecretKey,
    clinic_id: Uuid,
    user_id: Uuid,
    form: DraftOf,
    typed: &RegistrationInput,
    awaiting_decision: bool,
) -> Result<(), AppError> {
    if typed.typed_bytes() > MAX_BYTES {
        return clear(form).await;
    }
    let mut typed = typed.clone();
    if !typed.id_number.is_empty() {
        typed.id_number = hex(&key.seal(&owner(user_id), typed.id_number.as_bytes()));
    }
    let stored = Stored {
        clinic_id,
        subject: form.subject(),
        typed,
        awaiting_decision,
    };
    auth::cookie_session()?
        .insert(form.key(), stored)
        .await
        .map_err(unavailable)
}

/// The person's draft of this form in this clinic, if they have one.
pub async fn load(
    key: &SecretKey,
    clinic_id: Uuid,
    user_id: Uuid,
    form: DraftOf,
) -> Result<Option<Draft>, AppError> {
    let stored: Option<Stored> = auth::cookie_session()?
        .get(form.key())
        .await
        .map_err(unavailable)?;
    let mine = |s: &Stored| s.clinic_id == clinic_id && s.subject == form.subject();
    Ok(stored.filter(mine).map(|s| {
        let mut typed = s.typed;
        if !typed.id_number.is_empty() {
            typed.id_number = unhex(&typed.id_number)
                .and_then(|sealed| key.open(&owner(user_id), &sealed))
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
        }
        Draft {
            typed,
            awaiting_decision: s.awaiting_decision,
        }
    }))
}

/// Forgets the person's draft of this form, if they have one.
pub async fn clear(form: DraftOf) -> Result<(), AppError> {
    let session = auth::cookie_session()?;
    // Removing marks the session changed even when there was nothing to
    // remove, and a changed session is written back before the answer
    // leaves (a round trip and a commit): most forms are saved without
    // ever having kept a draft.
    if session
        .get_value(form.key())
        .await
        .map_err(unavailable)?
        .is_none()
    {
        return Ok(());
    }
    session
        .remove_value(form.key())
        .await
        .map(|_| ())
        .map_err(unavailable)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
