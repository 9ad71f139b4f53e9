//! Who is signed in. The session cookie (tower-sessions, stored in
//! PostgreSQL) carries an [`AuthState`]; the middleware here checks it against
//! `user_sessions` on every request and puts a [`CurrentUser`] on the request
//! for server functions and pages to read.

pub mod establish;
pub mod landing;
pub mod password;
pub mod password_reset;
pub mod second_step;
pub mod session_store;
pub mod sessions;
pub mod sign_in;
pub mod throttle;

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::role::Role;
use crate::domain::url::with_query;
use crate::server::audit::RequestOrigin;
use crate::server::state::AppState;
use session_store::{CHECK_KEY, SignInCheck};
use sessions::EndReason;

/// Where a sign-in waiting for its second factor goes.
pub const SECOND_STEP_PATH: &str = "/login/two-factor";

/// The key of the auth state inside the cookie session.
pub const AUTH_KEY: &str = "hms.auth";

/// What the session remembers about the person signed in on it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthState {
    pub session_id: Uuid,
    pub user_id: Uuid,
    /// The clinic and role chosen last, for landing and for people with
    /// several roles in one clinic.
    pub clinic_id: Option<Uuid>,
    pub role: Option<Role>,
}

/// The signed-in person on this request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    pub idle_timeout: Duration,
    pub clinic_id: Option<Uuid>,
    pub role: Option<Role>,
}

/// Put on a request whose session ended (idle, lifetime, disabled account).
#[derive(Clone, Copy, Debug)]
pub struct SessionEnded(pub EndReason);

/// Paths that show nothing without signing in; a page request for them
/// without a live session is sent to `/login` and brought back afterwards.
pub fn requires_sign_in(path: &str) -> bool {
    ["/c/", "/platform", "/choose-clinic", "/account", "/device"]
        .iter()
        .any(|p| path == p.trim_end_matches('/') || path.starts_with(p))
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js"
                | "/healthz"
                | "/readyz"
                | "/favicon.svg"
                | "/manifest.webmanifest"
                | "/offline.html"
                | "/unreachable.html"
                | "/offline.css"
        )
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if is_static(&path) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    let mut ended = None;
    match session.get::<AuthState>(AUTH_KEY).await {
        Ok(Some(auth)) => match check(&state, &session, &auth).await {
            Ok(Some(live)) if live.user_id == auth.user_id => {
                req.extensions_mut().insert(CurrentUser {
                    user_id: live.user_id,
                    session_id: auth.session_id,
                    email: live.email,
                    display_name: live.display_name,
                    is_platform_admin: live.is_platform_admin,
                    idle_timeout: live.idle_timeout,
                    clinic_id: auth.clinic_id,
                    role: auth.role,
                });
            }
            Ok(_) => {
                let reason = sessions::end_dead(&state.pool, auth.session_id)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or(EndReason::Idle);
                let _ = session.flush().await;
                ended = Some(reason);
            }
            Err(e) => {
                tracing::error!(cause = %e, "could not check the session");
                return crate::server::http::unavailable(&req);
            }
        },
        Ok(None) => {}
        // The store could not be reached: that says nothing about the
        // session, so it is left as it is (flushing it would sign the person
        // out) and the request waits for the database like any other.
        Err(tower_sessions::session::Error::Store(
            tower_sessions::session_store::Error::Backend(cause),
        )) => {
            tracing::error!(%cause, "could not load the session");
            return crate::server::http::unavailable(&req);
        }
        // Unreadable session data (a changed format, a damaged row): start afresh.
        Err(e) => {
            tracing::warn!(cause = %e, "session data unreadable; starting a new session");
            let _ = session.flush().await;
        }
    }
    if let Some(reason) = ended {
        req.extensions_mut().insert(SessionEnded(reason));
    }
    let signed_in = req.extensions().get::<CurrentUser>().is_some();
    if !signed_in && requires_sign_in(&path) && req.method() == Method::GET {
        let next_path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or(path);
        let reason = ended.map(EndReason::as_str).unwrap_or("");
        let target = with_query("/login", &[("next", &next_path), ("reason", reason)]);
        return (StatusCode::SEE_OTHER, Redirect::to(&target)).into_response();
    }
    next.run(req).await
}

/// Whether the session's sign-in is live: as the store checked it while
/// loading the session (one round trip for both), or, for a session stored
/// before sign-ins were noted beside it, checked now.
async fn check(
    state: &AppState,
    session: &Session,
    auth: &AuthState,
) -> Result<Option<sessions::LiveSession>, sqlx::Error> {
    match session.get::<SignInCheck>(CHECK_KEY).await {
        Ok(Some(checked)) if checked.session_id == auth.session_id => {
            Ok(checked.live.map(sessions::LiveSession::from))
        }
        _ => sessions::touch(&state.pool, auth.session_id).await,
    }
}

/// The request this server function or page render is answering.
fn request_parts() -> Result<http::request::Parts, AppError> {
    leptos::prelude::use_context::<http::request::Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })
}

/// The signed-in person, or `Unauthenticated`.
pub fn current_user() -> Result<CurrentUser, AppError> {
    request_parts()?
        .extensions
        .get::<CurrentUser>()
        .cloned()
        .ok_or(AppError::Unauthenticated)
}

/// The signed-in person, if any (for pages that show either way).
pub fn maybe_current_user() -> Option<CurrentUser> {
    current_user().ok()
}

/// Why this request's session ended, if it just did.
pub fn session_ended() -> Option<EndReason> {
    request_parts()
        .ok()?
        .extensions
        .get::<SessionEnded>()
        .map(|e| e.0)
}

/// The cookie session, to sign in, out or switch clinic.
pub fn cookie_session() -> Result<Session, AppError> {
    request_parts()?
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| {
            tracing::error!("session layer missing");
            AppError::Internal
        })
}

/// This request's headers (for cookies the session layer does not own).
pub fn request_headers() -> Result<http::HeaderMap, AppError> {
    Ok(request_parts()?.headers)
}

/// Where this request came from, for the audit trail.
pub fn request_origin() -> RequestOrigin {
    request_parts()
        .map(|p| RequestOrigin::from_parts(&p))
        .unwrap_or_default()
}

pub(crate) fn user_agent(parts: &http::request::Parts) -> Option<String> {
    parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
