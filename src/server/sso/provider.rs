//! Talking to OpenID providers: one HTTP client that never follows
//! redirects (a redirect could point the server at an internal address)
//! and gives up quickly, and the providers' discovery documents, kept for a
//! few minutes so a sign-in does not fetch them twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use openidconnect::core::CoreProviderMetadata;
use openidconnect::{IssuerUrl, reqwest};

/// How long a discovery document (and its keys) is trusted before it is
/// fetched again; a provider that rotates its keys is picked up this soon.
const KEEP_METADATA: Duration = Duration::from_secs(300);

/// Why a provider's metadata could not be had, in words for the settings form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscoveryProblem {
    Unreachable,
    NotOpenIdConnect,
    IssuerMismatch,
}

impl DiscoveryProblem {
    pub fn message(self) -> &'static str {
        match self {
            DiscoveryProblem::Unreachable => {
                "HMS could not reach this issuer's discovery document (/.well-known/openid-configuration). Check the URL."
            }
            DiscoveryProblem::NotOpenIdConnect => {
                "This address does not publish a valid OpenID Connect discovery document."
            }
            DiscoveryProblem::IssuerMismatch => {
                "The provider names itself differently. Enter the issuer exactly as its discovery document gives it."
            }
        }
    }
}

pub struct Providers {
    http: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Default for Providers {
    fn default() -> Self {
        Self::new()
    }
}

impl Providers {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent("HMS single sign-on")
            .build()
            .expect("the HTTP client's settings are valid");
        Self {
            http,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The cache, even after a panic elsewhere left its lock poisoned: its
    /// entries are whole values, never half-written.
    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, CoreProviderMetadata)>> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The provider's metadata, from the cache or fetched afresh.
    pub async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, DiscoveryProblem> {
        if let Some((at, meta)) = self.cache().get(issuer)
            && at.elapsed() < KEEP_METADATA
        {
            return Ok(meta.clone());
        }
        let meta = self.discover(issuer).await?;
        self.cache()
            .insert(issuer.to_string(), (Instant::now(), meta.clone()));
        Ok(meta)
    }

    /// Fetches the metadata now, bypassing the cache (when settings are saved).
    pub async fn discover(&self, issuer: &str) -> Result<CoreProviderMetadata, DiscoveryProblem> {
        use openidconnect::DiscoveryError;
        let url =
            IssuerUrl::new(issuer.to_string()).map_err(|_| DiscoveryProblem::NotOpenIdConnect)?;
        CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(issuer, cause = %e, "OpenID discovery failed");
                match e {
                    DiscoveryError::Request(_) => DiscoveryProblem::Unreachable,
                    DiscoveryError::Response(status, _, _)
                        if status.is_server_error() || status.as_u16() == 404 =>
                    {
                        DiscoveryProblem::Unreachable
                    }
                    DiscoveryError::Validation(m) if m.contains("issuer") => {
                        DiscoveryProblem::IssuerMismatch
                    }
                    _ => DiscoveryProblem::NotOpenIdConnect,
                }
            })
    }
}
