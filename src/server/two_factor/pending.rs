//! A sign-in waiting for its second step, kept in the cookie session (not a
//! signed-in session: nothing but the second-step pages accepts it).

use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::two_factor::MAX_SECOND_STEP_ATTEMPTS;

const KEY: &str = "hms.second_step";
/// Minutes allowed between the first factor and the second.
const VALID_MINUTES: i64 = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user_id: Uuid,
    pub is_platform_admin: bool,
    /// The first factor: "password" or "sso".
    pub method: String,
    /// The clinic signed in through (single sign-on), for landing and audit.
    pub clinic_id: Option<Uuid>,
    pub next: Option<String>,
    /// No authenticator yet, but one is required: set it up first.
    pub must_enrol: bool,
    pub started_at: i64,
    pub wrong_codes: u8,
}

impl PendingSignIn {
    pub fn new(user_id: Uuid, is_platform_admin: bool, method: &str, must_enrol: bool) -> Self {
        Self {
            user_id,
            is_platform_admin,
            method: method.to_owned(),
            clinic_id: None,
            next: None,
            must_enrol,
            started_at: chrono::Utc::now().timestamp(),
            wrong_codes: 0,
        }
    }

    pub fn expired(&self, now: i64) -> bool {
        now - self.started_at > VALID_MINUTES * 60 || now < self.started_at
    }

    /// The audit trail's name for how the sign-in was proven.
    pub fn method(&self) -> &'static str {
        if self.method == "sso" {
            "sso"
        } else {
            "password"
        }
    }
}

/// Keeps the pending sign-in under a new session id: the first factor is a
/// privilege an attacker who planted the old id must not share.
pub async fn store(session: &Session, pending: &PendingSignIn) -> Result<(), AppError> {
    let stored = async {
        session.cycle_id().await?;
        session.insert(KEY, pending).await?;
        session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(
            time::Duration::minutes(VALID_MINUTES),
        )));
        Ok::<(), tower_sessions::session::Error>(())
    };
    stored.await.map_err(unavailable)
}

/// The pending sign-in, if there is one and it is not too old.
pub async fn load(session: &Session) -> Result<Option<PendingSignIn>, AppError> {
    let pending: Option<PendingSignIn> = session.get(KEY).await.map_err(unavailable)?;
    match pending {
        Some(p) if p.expired(chrono::Utc::now().timestamp()) => {
            clear(session).await?;
            Ok(None)
        }
        other => Ok(other),
    }
}

pub async fn clear(session: &Session) -> Result<(), AppError> {
    session
        .remove::<PendingSignIn>(KEY)
        .await
        .map(|_| ())
        .map_err(unavailable)
}

/// Counts a wrong code; returns whether the sign-in may still go on.
pub async fn wrong_code(session: &Session, mut pending: PendingSignIn) -> Result<bool, AppError> {
    pending.wrong_codes += 1;
    if pending.wrong_codes >= MAX_SECOND_STEP_ATTEMPTS {
        clear(session).await?;
        return Ok(false);
    }
    session.insert(KEY, pending).await.map_err(unavailable)?;
    Ok(true)
}

fn unavailable(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(cause = %e, "could not use the session");
    AppError::Unavailable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_sign_in_lasts_ten_minutes() {
        let p = PendingSignIn::new(Uuid::now_v7(), false, "password", false);
        assert!(!p.expired(p.started_at + 599));
        assert!(p.expired(p.started_at + 601));
        assert!(p.expired(p.started_at - 5));
    }

    #[test]
    fn the_method_is_one_the_audit_trail_knows() {
        assert_eq!(
            PendingSignIn::new(Uuid::nil(), false, "sso", false).method(),
            "sso"
        );
        assert_eq!(
            PendingSignIn::new(Uuid::nil(), false, "other", false).method(),
            "password"
        );
    }
}
