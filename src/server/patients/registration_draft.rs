//! The registration form as last typed, kept in the receptionist's own
//! server-side session while it is corrected or while possible duplicates
//! await a decision: without JavaScript a refused form is a new page, and
//! seventeen fields typed again would be a poor answer. The document's
//! number is sealed even here; the draft is gone once the patient is
//! registered, the form is cleared, or the session ends.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::patients::registration::RegistrationInput;
use crate::server::auth;
use crate::server::crypto::{SecretKey, hex};

const KEY: &str = "hms.patient_registration";
/// A draft larger than any real form is not kept.
const MAX_BYTES: usize = 8 * 1024;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Stored {
    clinic_id: Uuid,
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
    typed: &RegistrationInput,
    awaiting_decision: bool,
) -> Result<(), AppError> {
    if typed.typed_bytes() > MAX_BYTES {
        return clear().await;
    }
    let mut typed = typed.clone();
    if !typed.id_number.is_empty() {
        typed.id_number = hex(&key.seal(&owner(user_id), typed.id_number.as_bytes()));
    }
    let stored = Stored {
        clinic_id,
        typed,
        awaiting_decision,
    };
    auth::cookie_session()?
        .insert(KEY, stored)
        .await
        .map_err(unavailable)
}

/// The draft for this clinic, if the person has one.
pub async fn load(
    key: &SecretKey,
    clinic_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Draft>, AppError> {
    let stored: Option<Stored> = auth::cookie_session()?
        .get(KEY)
        .await
        .map_err(unavailable)?;
    Ok(stored.filter(|s| s.clinic_id == clinic_id).map(|s| {
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

pub async fn clear() -> Result<(), AppError> {
    auth::cookie_session()?
        .remove::<Stored>(KEY)
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
