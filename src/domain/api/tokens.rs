//! API tokens: what a client sends, how long each kind lives, and how a
//! presented token is read.
//!
//! Tokens are opaque: a kind prefix and 32 random bytes in base64url. The
//! prefix lets a secret scanner (or a person reading a log by mistake) tell
//! an HMS token at a glance, and lets the server refuse a refresh token sent
//! as an access token without a database trip.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::auth::{Email, check_sign_in_password};
use crate::domain::two_factor::{SecondFactor, parse_second_factor};
use crate::domain::{AppError, FieldErrors};

/// An access token's life: short, so a leaked one is soon worthless.
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// A refresh token's life, renewed by every refresh (each works once).
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 86_400);

/// Characters of a token after its prefix: 32 bytes in unpadded base64url.
pub const TOKEN_BODY_CHARS: usize = 43;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::Access => "hms_at_",
            TokenKind::Refresh => "hms_rt_",
        }
    }
}

/// Whether `token` has the shape of a token of `kind` (it may still be
/// unknown, expired or revoked: only the database can say).
pub fn well_formed(token: &str, kind: TokenKind) -> bool {
    token.strip_prefix(kind.prefix()).is_some_and(|body| {
        body.len() == TOKEN_BODY_CHARS
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The access token of an `Authorization` header's value: `Bearer <token>`
/// (the scheme in any case, as RFC 7235 allows), nothing else.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && well_formed(token, TokenKind::Access))
        .then_some(token)
}

/// `POST /api/v1/auth/token`: a sign-in. `totp_code` is the authenticator's
/// code (or a recovery code) for an account with a second factor.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// The account's email address.
    #[cfg_attr(
        feature = "ssr",
        schema(
            max_length = 254,
            pattern = r"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$"
        )
    )]
    pub email: String,
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 128))]
    pub password: String,
    /// For an account with an authenticator: its current six-digit code
    /// (a recovery code is accepted too).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = r"^[0-9]{6}$"))]
    pub totp_code: Option<String>,
}

/// A token request, read: every bad field named at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInput {
    pub email: Email,
    pub password: String,
    pub second_factor: Option<SecondFactor>,
}

impl TokenRequest {
    pub fn parse(self) -> Result<TokenInput, AppError> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        let password = errors.check("password", check_sign_in_password(&self.password));
        let second_factor = match self.totp_code.as_deref() {
            None => None,
            Some(code) => match parse_second_factor(code) {
                Ok(factor) => Some(factor),
                Err(e) => {
                    let message = e.field_message("code").unwrap_or("Enter the code.");
                    errors.add("totp_code", message);
                    None
                }
            },
        };
        match (email, password) {
            (Some(email), Some(())) if errors.is_empty() => Ok(TokenInput {
                email,
                password: self.password,
                second_factor,
            }),
            _ => Err(errors.into()),
        }
    }
}

/// `POST /api/v1/auth/refresh` and `POST /api/v1/auth/revoke`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token of the last pair (each works once).
    #[cfg_attr(feature = "ssr", schema(pattern = r"^hms_rt_[A-Za-z0-9_-]{43}$"))]
    pub refresh_token: String,
}

impl RefreshRequest {
    pub fn parse(&self) -> Result<&str, AppError> {
        if well_formed(&self.refresh_token, TokenKind::Refresh) {
            Ok(&self.refresh_token)
        } else {
            Err(AppError::validation(
                "refresh_token",
                "This is not a refresh token.",
            ))
        }
    }
}

/// A token pair, as OAuth 2.0 (RFC 6749 §5.1) names its fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
    /// Seconds until the refresh token expires, unless used first.
    pub refresh_expires_in: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(kind: TokenKind) -> String {
        format!("{}{}", kind.prefix(), "a".repeat(TOKEN_BODY_CHARS))
    }

    #[test]
    fn tokens_are_recognised_by_prefix_length_and_alphabet() {
        assert!(well_formed(&token(TokenKind::Access), TokenKind::Access));
        assert!(!well_formed(&token(TokenKind::Refresh), TokenKind::Access));
        assert!(!well_formed("hms_at_short", TokenKind::Access));
        let bad = format!("hms_at_{}=", "a".repeat(TOKEN_BODY_CHARS - 1));
        assert!(!well_formed(&bad, TokenKind::Access));
        assert!(!well_formed("", TokenKind::Refresh));
    }

    #[test]
    fn only_a_bearer_access_token_is_read_from_the_header() {
        let t = token(TokenKind::Access);
        assert_eq!(bearer_token(&format!("Bearer {t}")), Some(t.as_str()));
        assert_eq!(bearer_token(&format!("bearer {t}")), Some(t.as_str()));
        assert_eq!(bearer_token(&format!("Basic {t}")), None);
        assert_eq!(bearer_token(&t), None);
        assert_eq!(
            bearer_token(&format!("Bearer {}", token(TokenKind::Refresh))),
            None
        );
    }

    #[test]
    fn a_token_request_names_every_bad_field() {
        let e = TokenRequest {
            email: "not-an-email".into(),
            password: String::new(),
            totp_code: Some("12".into()),
        }
        .parse()
        .unwrap_err();
        assert!(e.field_message("email").is_some());
        assert!(e.field_message("password").is_some());
        assert!(e.field_message("totp_code").is_some());

        let ok = TokenRequest {
            email: " Doctor@Riverside.example ".into(),
            password: "secret".into(),
            totp_code: Some("123 456".into()),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.second_factor, Some(SecondFactor::Totp("123456".into())));
    }

    #[test]
    fn a_huge_password_is_refused_before_any_hashing() {
        let e = TokenRequest {
            email: "a@b.example".into(),
            password: "x".repeat(100_000),
            totp_code: None,
        }
        .parse()
        .unwrap_err();
        assert!(e.field_message("password").is_some());
    }

    #[test]
    fn a_refresh_request_must_carry_a_refresh_token() {
        let ok = RefreshRequest {
            refresh_token: token(TokenKind::Refresh),
        };
        assert!(ok.parse().is_ok());
        let access = RefreshRequest {
            refresh_token: token(TokenKind::Access),
        };
        assert!(
            access
                .parse()
                .unwrap_err()
                .field_message("refresh_token")
                .is_some()
        );
    }
}
