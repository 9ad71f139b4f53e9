//! The authorization-code flow with PKCE, state and nonce. [`begin`] builds
//! the provider's sign-in address and what the session must remember;
//! [`complete`] checks what came back and verifies the ID token (signature,
//! issuer, audience, expiry, nonce, access-token hash). Nothing here touches
//! the database: a refused sign-in cannot have created anything.

use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::provider::Providers;
use crate::domain::sso::SsoRefusal;

/// The key of the sign-in in progress inside the cookie session.
pub const PENDING_KEY: &str = "hms.sso";
/// How long the person may take at the provider's sign-in page.
const PENDING_MINUTES: i64 = 10;

/// Google's hosted-domain claim, which the core claims do not include.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct HostedDomain {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hd: Option<String>,
}
impl AdditionalClaims for HostedDomain {}

type TokenFields = IdTokenFields<
    HostedDomain,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<TokenFields, CoreTokenType>;
type OidcClient = Client<
    HostedDomain,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A clinic's provider, with its secret opened.
pub struct ClientSettings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
}

/// What the session keeps while the person is at the provider.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingSso {
    pub clinic_id: Uuid,
    pub slug: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go afterwards (a local path), if asked.
    pub next: Option<String>,
    pub started_at: DateTime<Utc>,
}

impl PendingSso {
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now - self.started_at > Duration::minutes(PENDING_MINUTES)
    }
}

/// The person as their provider vouched for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub name: Option<String>,
    pub hosted_domain: Option<String>,
    /// Authentication methods the provider reports (`amr`), such as "mfa".
    pub methods: Vec<String>,
}

/// A refusal and what happened, for the audit trail (never shown).
#[derive(Debug)]
pub struct Refused {
    pub reason: SsoRefusal,
    pub detail: String,
}

fn refused(reason: SsoRefusal, detail: impl std::fmt::Display) -> Refused {
    Refused {
        reason,
        detail: detail.to_string().chars().take(300).collect(),
    }
}

/// An error and its causes, for the audit trail.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

async fn client(
    providers: &Providers,
    settings: &ClientSettings,
    redirect_uri: &str,
) -> Result<OidcClient, Refused> {
    let metadata = providers
        .metadata(&settings.issuer_url)
        .await
        .map_err(|p| refused(SsoRefusal::ProviderUnavailable, format!("discovery: {p:?}")))?;
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| refused(SsoRefusal::InvalidToken, format!("redirect URI: {e}")))?;
    Ok(OidcClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// The provider's sign-in address, and what to remember until the person is back.
pub async fn begin(
    providers: &Providers,
    settings: &ClientSettings,
    redirect_uri: &str,
    clinic_id: Uuid,
    slug: &str,
    next: Option<String>,
) -> Result<(String, PendingSso), Refused> {
    let client = client(providers, settings, redirect_uri).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok((
        url.to_string(),
        PendingSso {
            clinic_id,
            slug: slug.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
            started_at: Utc::now(),
        },
    ))
}

/// Whether the state that came back is the one this session sent, compared
/// in constant time.
pub fn state_matches(pending: &PendingSso, returned: &str) -> bool {
    let (a, b) = (pending.state.as_bytes(), returned.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Exchanges the code (with the PKCE verifier) and verifies the ID token.
/// The caller has already matched the state.
pub async fn complete(
    providers: &Providers,
    settings: &ClientSettings,
    redirect_uri: &str,
    pending: &PendingSso,
    code: &str,
) -> Result<VerifiedIdentity, Refused> {
    let client = client(providers, settings, redirect_uri).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| refused(SsoRefusal::InvalidToken, format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(providers.http())
        .await
        .map_err(|e| {
            refused(
                SsoRefusal::InvalidToken,
                format!("code exchange: {}", chain(&e)),
            )
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| refused(SsoRefusal::InvalidToken, "no ID token"))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce.clone()))
        .map_err(|e| refused(SsoRefusal::InvalidToken, format!("ID token: {e}")))?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| refused(SsoRefusal::InvalidToken, format!("signing algorithm: {e}")))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| refused(SsoRefusal::InvalidToken, format!("signing key: {e}")))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
            .map_err(|e| refused(SsoRefusal::InvalidToken, format!("at_hash: {e}")))?;
        if actual != *expected {
            return Err(refused(
                SsoRefusal::InvalidToken,
                "access token hash differs",
            ));
        }
    }
    let email = claims
        .email()
        .map(|e| e.as_str().trim().to_lowercase())
        .ok_or_else(|| refused(SsoRefusal::NoEmail, "no email claim"))?;
    if claims.email_verified() != Some(true) {
        return Err(refused(
            SsoRefusal::EmailNotVerified,
            format!("email {email} not verified"),
        ));
    }
    Ok(VerifiedIdentity {
        issuer: claims.issuer().as_str().to_string(),
        subject: claims.subject().as_str().to_string(),
        email,
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().trim().to_string())
            .filter(|n| !n.is_empty()),
        hosted_domain: claims.additional_claims().hd.clone(),
        methods: claims
            .auth_method_refs()
            .map(|m| m.iter().map(|r| r.as_str().to_string()).collect())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(state: &str) -> PendingSso {
        PendingSso {
            clinic_id: Uuid::now_v7(),
            slug: "riverside".into(),
            state: state.into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            next: None,
            started_at: Utc::now(),
        }
    }

    #[test]
    fn only_the_state_sent_matches() {
        let p = pending("abcdef");
        assert!(state_matches(&p, "abcdef"));
        assert!(!state_matches(&p, "abcdeg"));
        assert!(!state_matches(&p, "abcde"));
        assert!(!state_matches(&p, ""));
    }

    #[test]
    fn a_sign_in_left_at_the_provider_for_ten_minutes_expires() {
        let p = pending("s");
        assert!(!p.expired(Utc::now() + Duration::minutes(9)));
        assert!(p.expired(Utc::now() + Duration::minutes(11)));
    }
}
