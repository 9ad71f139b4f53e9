//! What every handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use crate::server::auth::throttle::SignInThrottle;
use crate::server::config::Config;
use crate::server::http::pwa::PwaAssets;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub pwa: Arc<PwaAssets>,
    pub sign_in_throttle: Arc<SignInThrottle>,
    /// OpenID providers' metadata and the HTTP client that fetches it.
    pub providers: Arc<crate::server::sso::provider::Providers>,
    /// Opens the platform and system scopes (`tenancy::begin_platform`).
    pub scope: crate::server::tenancy::ScopeToken,
    /// The process's listener for live updates and its streams' channel.
    pub events: Arc<crate::server::events::EventHub>,
    /// The API's request limits (shared with other processes by its flusher).
    pub api_limiter: Arc<crate::server::api::limits::ApiLimiter>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state inside a server function or page render.
    pub fn from_context() -> Result<Self, crate::domain::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            crate::domain::AppError::Internal
        })
    }

    /// The key that seals patients' identity documents. `hms serve` always
    /// has one (made on first run when not configured).
    pub fn secret_key(&self) -> Result<&crate::server::crypto::SecretKey, crate::domain::AppError> {
        self.config.secret_key.as_ref().ok_or_else(|| {
            tracing::error!("HMS_SECRET_KEY is not configured");
            crate::domain::AppError::Unavailable
        })
    }
}
