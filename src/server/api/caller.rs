//! Who is calling the API: the person behind the request's bearer token.
//! Cookies are never read here (the API has no session layer), so a
//! browser's cookies cannot make a cross-site request count as anyone.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::errors::ApiError;
use super::limits::{Counted, RetryAfter};
use super::tokens;
use crate::domain::AppError;
use crate::domain::api::tokens::bearer_token;
use crate::domain::permission::Permission;
use crate::server::access::{self, ClinicAccess};
use crate::server::audit::RequestOrigin;
use crate::server::auth::CurrentUser;
use crate::server::page_transaction::ClinicTx;
use crate::server::state::AppState;

/// What the client is told when no valid token came with the request: the
/// same words for a missing, malformed, unknown, expired or revoked one.
pub const TOKEN_REFUSED: &str = "Send a valid access token: Authorization: Bearer <access token>.";

pub struct ApiCaller {
    pub user: CurrentUser,
    pub origin: RequestOrigin,
}

impl ApiCaller {
    /// Inside the clinic `slug`, holding `permission` there: the pages' own
    /// guard (refusals audited), in a transaction of the request's own.
    pub async fn clinic(
        self,
        state: &AppState,
        slug: &str,
        permission: Permission,
    ) -> Result<(ClinicTx, ClinicAccess), AppError> {
        self.clinic_any(state, slug, &[permission]).await
    }

    /// [`Self::clinic`] for a resource several roles use, each through its
    /// own permission (the queue: the front desk's, a doctor's, a nurse's).
    pub async fn clinic_any(
        self,
        state: &AppState,
        slug: &str,
        permissions: &[Permission],
    ) -> Result<(ClinicTx, ClinicAccess), AppError> {
        access::api_clinic(state, self.user, self.origin, slug, permissions).await
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .ok_or_else(|| ApiError::unauthorized(TOKEN_REFUSED))?;
        let user = tokens::touch(&state.pool, token)
            .await?
            .ok_or_else(|| ApiError::unauthorized(TOKEN_REFUSED))?;
        state
            .api_limiter
            .allow(Counted::Token(user.session_id), chrono::Utc::now())
            .map_err(|RetryAfter(secs)| ApiError::rate_limited(secs))?;
        Ok(ApiCaller {
            user,
            origin: RequestOrigin::from_parts(parts),
        })
    }
}
