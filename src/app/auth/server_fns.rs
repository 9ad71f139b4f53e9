use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::session::MembershipChoice;

/// Email and password sign-in. On success the session id is replaced (no
/// fixation), the session remembers the account, and the browser goes to
/// `next` (a local path) or the person's dashboard; or, when the account
/// needs its second factor, to the second step.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::auth::{parse_sign_in, safe_return_path};
    use crate::server::auth::{self, sign_in};
    use crate::server::state::AppState;
    use crate::server::two_factor::trusted;

    let input = parse_sign_in(&email, &password)?;
    let state = AppState::from_context()?;
    let origin = auth::request_origin();
    let next = next
        .as_deref()
        .and_then(safe_return_path)
        .map(str::to_owned);
    let step = sign_in::sign_in(
        &state.pool,
        &state.config.sessions,
        &state.sign_in_throttle,
        &input.email,
        password,
        &origin,
        trusted::token_hash(&auth::request_headers()?),
    )
    .await?;
    proceed(&state.pool, step, next).await
}

/// Opens the session and goes on to `next` (or the dashboard), or keeps the
/// sign-in pending and goes to its second step.
#[cfg(feature = "ssr")]
pub(crate) async fn proceed(
    pool: &sqlx::PgPool,
    step: crate::server::auth::sign_in::SignInStep,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::server::auth::{self, SECOND_STEP_PATH, sign_in::SignInStep};
    use crate::server::two_factor::pending;
    match step {
        SignInStep::Done(signed) => {
            let landing = start_session(pool, &signed, None).await?;
            leptos_axum::redirect(&next.unwrap_or(landing));
        }
        SignInStep::SecondFactor(mut second) => {
            second.next = next;
            pending::store(&auth::cookie_session()?, &second).await?;
            leptos_axum::redirect(SECOND_STEP_PATH);
        }
    }
    Ok(())
}

/// After a successful sign-in: a new session id (no fixation) that remembers
/// the account and its landing clinic (the one signed in through, if any),
/// expiring with the sign-in. Returns the person's dashboard path.
#[cfg(feature = "ssr")]
pub(crate) async fn start_session(
    pool: &sqlx::PgPool,
    signed: &crate::server::auth::sign_in::SignedIn,
    through_clinic: Option<uuid::Uuid>,
) -> Result<String, AppError> {
    use crate::server::auth::{self, establish::establish, landing};
    let session = auth::cookie_session()?;
    let landing = match through_clinic {
        Some(clinic) => {
            landing::landing_in(pool, signed.user_id, signed.is_platform_admin, clinic).await?
        }
        None => landing::landing_path(pool, signed.user_id, signed.is_platform_admin).await?,
    };
    establish(&session, signed, &landing).await?;
    Ok(landing.path)
}

/// Ends the session on the server (its record and its cookie) and audits it.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::server::audit::{self, NewAuditEvent};
    use crate::server::auth::{self, sessions};
    use crate::server::state::AppState;

    let session = auth::cookie_session()?;
    if let Ok(user) = auth::current_user() {
        let state = AppState::from_context()?;
        let mut tx = state.pool.begin().await?;
        sessions::end(&mut tx, user.session_id, sessions::EndReason::SignOut).await?;
        let mut event = NewAuditEvent::new(None, AuditAction::Logout);
        event.actor_user_id = Some(user.user_id);
        event.entity_type = Some("user".into());
        event.entity_id = Some(user.user_id.to_string());
        event.origin = auth::request_origin();
        audit::record(&mut tx, &event).await?;
        tx.commit().await?;
    }
    if session.flush().await.is_err() {
        return Err(AppError::Unavailable);
    }
    leptos_axum::redirect("/login?reason=signed_out");
    Ok(())
}

/// "Stay signed in": the request itself renews the idle timer. Returns the
/// seconds of idleness now allowed.
#[server(endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<u64, AppError> {
    let user = crate::server::auth::current_user()?;
    Ok(user.idle_timeout.as_secs())
}

/// The clinics and roles the signed-in person can act in.
#[server(endpoint = "my_memberships")]
pub async fn my_memberships() -> Result<Vec<MembershipChoice>, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, user) = access::personal().await?;
    let choices = landing::memberships(&mut tx, user.user_id).await?;
    tx.commit().await?;
    Ok(choices)
}

/// Switches the session to a clinic and role the person holds; the session id
/// is replaced, as at sign-in.
#[server(endpoint = "choose_clinic")]
pub async fn choose_clinic(slug: String, role: String) -> Result<(), AppError> {
    use crate::domain::role::Role;
    use crate::server::auth::{self, AUTH_KEY, AuthState};
    use crate::server::state::AppState;
    use crate::server::tenancy;

    let user = auth::current_user()?;
    let role = Role::parse(&role).ok_or(AppError::NotFound)?;
    let state = AppState::from_context()?;
    let (tx, membership) =
        tenancy::enter_clinic(&state.pool, user.user_id, &slug, Some(role)).await?;
    tx.commit().await?;
    if membership.role != role {
        return Err(AppError::NotFound);
    }
    let session = auth::cookie_session()?;
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
    leptos_axum::redirect(&role.dashboard_path(&membership.slug));
    Ok(())
}
