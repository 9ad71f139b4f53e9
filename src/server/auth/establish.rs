//! Putting a successful sign-in on the browser's cookie session, and where
//! the browser goes next.

use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

use super::landing::{self, Landing};
use super::sign_in::{SignInStep, SignedIn};
use super::{AUTH_KEY, AuthState, SECOND_STEP_PATH};
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

/// Forgets this browser's cookie session, as after a password reset (which
/// ended every session of the account): its cookie must not outlive them.
/// A browser with none, or a store that cannot be reached, leaves nothing
/// to forget that could still sign anyone in.
pub async fn forget_browser() {
    if let Ok(session) = super::cookie_session() {
        let _ = session.flush().await;
    }
}

/// Opens the session and goes on to `next` (or the dashboard), or keeps the
/// sign-in pending and goes to its second step.
pub async fn proceed(
    pool: &PgPool,
    step: SignInStep,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::server::two_factor::pending;
    match step {
        SignInStep::Done(signed) => {
            let landing = start_session(pool, &signed, None).await?;
            leptos_axum::redirect(&next.unwrap_or(landing));
        }
        SignInStep::SecondFactor(mut second) => {
            second.next = next;
            pending::store(&super::cookie_session()?, &second).await?;
            leptos_axum::redirect(SECOND_STEP_PATH);
        }
    }
    Ok(())
}

/// After a successful sign-in: a new session id (no fixation) that remembers
/// the account and its landing clinic (the one signed in through, if any),
/// expiring with the sign-in. Returns the person's dashboard path.
pub async fn start_session(
    pool: &PgPool,
    signed: &SignedIn,
    through_clinic: Option<Uuid>,
) -> Result<String, AppError> {
    let session = super::cookie_session()?;
    let landing = match through_clinic {
        Some(clinic) => {
            landing::landing_in(pool, signed.user_id, signed.is_platform_admin, clinic).await?
        }
        None => landing::landing_path(pool, signed.user_id, signed.is_platform_admin).await?,
    };
    establish(&session, signed, &landing).await?;
    Ok(landing.path)
}

/// Switches the session to a clinic and role the person holds, under a new
/// session id as at sign-in. Returns that role's dashboard path; a clinic or
/// role the person does not hold is `NotFound`.
pub async fn switch_clinic(
    pool: &PgPool,
    user: &super::CurrentUser,
    slug: &str,
    role: crate::domain::role::Role,
) -> Result<String, AppError> {
    let (tx, membership) =
        crate::server::tenancy::enter_clinic(pool, user.user_id, slug, Some(role)).await?;
    tx.commit().await?;
    if membership.role != role {
        return Err(AppError::NotFound);
    }
    let session = super::cookie_session()?;
    let stored = async {
        session.cycle_id().await?;
        session
            .insert(
                AUTH_KEY,
                AuthState {
                    session_id: user.session_id,
                    user_id: user.user_id,
                    clinic_id: Some(membership.clinic_id),
                    role: Some(role),
                },
            )
            .await
    };
    if stored.await.is_err() {
        return Err(AppError::Unavailable);
    }
    Ok(role.dashboard_path(&membership.slug))
}

/// Ends the signed-in person's session on the server (its record, audited)
/// and empties the cookie session.
pub async fn sign_out(pool: &PgPool) -> Result<(), AppError> {
    let session = super::cookie_session()?;
    if let Ok(user) = super::current_user() {
        super::sessions::sign_out(
            pool,
            user.user_id,
            user.session_id,
            super::sessions::SessionKind::Browser,
            super::request_origin(),
        )
        .await?;
    }
    if session.flush().await.is_err() {
        return Err(AppError::Unavailable);
    }
    Ok(())
}
