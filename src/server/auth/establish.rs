//! Putting a successful sign-in on the browser's cookie session.

use tower_sessions::Session;

use super::landing::Landing;
use super::sign_in::SignedIn;
use super::{AUTH_KEY, AuthState};
use crate::domain::AppError;

/// A new session id (no fixation) that remembers the account and the clinic
/// it lands in, expiring with the sign-in.
pub async fn establish(
    session: &Session,
    signed: &SignedIn,
    landing: &Landing,
) -> Result<(), AppError> {
    let stored = async {
        session.cycle_id().await?;
        session
            .insert(
                AUTH_KEY,
                AuthState {
                    session_id: signed.session_id,
                    user_id: signed.user_id,
                    clinic_id: landing.clinic_id,
                    role: landing.role,
                },
            )
            .await?;
        let expires = time::OffsetDateTime::from_unix_timestamp(signed.expires_at.timestamp())
            .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
        session.set_expiry(Some(tower_sessions::Expiry::AtDateTime(expires)));
        Ok::<(), tower_sessions::session::Error>(())
    };
    stored.await.map_err(|e| {
        tracing::error!(cause = %e, "could not store the session");
        AppError::Unavailable
    })
}
