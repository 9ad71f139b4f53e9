//! Tokens for a device through a signed-in browser: the OAuth 2.0 device
//! authorization grant (RFC 8628). It is how accounts that sign in only
//! through single sign-on (which has no password to send) get API tokens,
//! and it suits any device with no good keyboard: a kiosk, a ward tablet.
//!
//! The device asks for a code pair, shows the short user code, and polls
//! with the long device code; the person opens `/device` in a browser where
//! they are signed in (through SSO or otherwise), types the user code,
//! checks the device's name and address, and allows or denies it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::AppError;
use crate::domain::api::tokens::TOKEN_BODY_CHARS;

/// How long a request waits for the person before the device starts again.
pub const DEVICE_CODE_TTL: Duration = Duration::from_secs(10 * 60);
/// Seconds between polls at first; each poll that comes sooner adds five.
pub const POLL_INTERVAL_SECS: u32 = 5;
/// The device code's prefix: a device code is a secret, as tokens are.
pub const DEVICE_CODE_PREFIX: &str = "hms_dc_";
/// Where the person approves, under the server's base URL.
pub const VERIFICATION_PATH: &str = "/device";

/// The user code's letters: consonants only, as RFC 8628 §6.1 suggests (no
/// vowels to spell words, no digits to confuse with letters). Eight of the
/// twenty give 2.56 × 10¹⁰ codes, and a code lives ten minutes.
pub const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
pub const USER_CODE_LEN: usize = 8;
pub const MAX_CLIENT_NAME_CHARS: usize = 100;

pub const CODE_FORMAT: &str = "Enter the 8-letter code your device shows, like BCDF-GHJK.";
pub const CODE_UNKNOWN: &str = "No device is waiting with this code. Codes last 10 minutes: \
     check the code, or start again on the device.";

/// A user code, as stored: eight capitals of the alphabet, no dash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCode(String);

impl UserCode {
    /// What a person typed: any case, with or without the dash or spaces.
    pub fn parse(typed: &str) -> Result<Self, AppError> {
        if typed.len() > 4 * USER_CODE_LEN {
            return Err(AppError::validation("code", CODE_FORMAT));
        }
        let code: String = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2013}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid =
            code.len() == USER_CODE_LEN && code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b));
        if valid {
            Ok(Self(code))
        } else {
            Err(AppError::validation("code", CODE_FORMAT))
        }
    }

    /// A code from eight random draws (each reduced into the alphabet).
    pub fn from_random(bytes: [u8; USER_CODE_LEN]) -> Self {
        Self(
            bytes
                .iter()
                // 256 is not a multiple of 20: letters below 16 come up
                // 13/256 rather than 12/256 of the time, which takes less
                // than a tenth of a bit from the code.
                .map(|b| USER_CODE_ALPHABET[usize::from(*b) % USER_CODE_ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As shown and typed: `BCDF-GHJK`.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }
}

/// `POST /api/v1/auth/device`: the device asks to be signed in.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceAuthorizationRequest {
    /// The name the person approving sees, such as "Ward 3 tablet".
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 100))]
    pub client_name: String,
}

impl DeviceAuthorizationRequest {
    /// The name, trimmed: 1 to 100 characters, no control characters.
    pub fn parse(&self) -> Result<String, AppError> {
        let name = self.client_name.trim();
        if name.is_empty() {
            return Err(AppError::validation(
                "client_name",
                "Name the device, as the person approving will see it (for example Ward 3 tablet).",
            ));
        }
        if name.chars().count() > MAX_CLIENT_NAME_CHARS {
            return Err(AppError::validation(
                "client_name",
                "Use at most 100 characters.",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(AppError::validation(
                "client_name",
                "Use letters, digits, spaces and punctuation only.",
            ));
        }
        Ok(name.to_owned())
    }
}

/// The answer to a device's request (RFC 8628 §3.2's fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceAuthorization {
    /// Secret: poll `POST /api/v1/auth/device/token` with it.
    pub device_code: String,
    /// Show this to the person, who types it at `verification_uri`.
    #[cfg_attr(
        feature = "ssr",
        schema(pattern = r"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")
    )]
    pub user_code: String,
    pub verification_uri: String,
    /// The same page with the code filled in (for a QR code or a link).
    pub verification_uri_complete: String,
    /// Seconds until both codes expire.
    pub expires_in: u64,
    /// Seconds to wait between polls.
    pub interval: u32,
}

/// `POST /api/v1/auth/device/token`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceTokenRequest {
    #[cfg_attr(feature = "ssr", schema(pattern = r"^hms_dc_[A-Za-z0-9_-]{43}$"))]
    pub device_code: String,
}

impl DeviceTokenRequest {
    pub fn parse(&self) -> Result<&str, AppError> {
        let well_formed = self
            .device_code
            .strip_prefix(DEVICE_CODE_PREFIX)
            .is_some_and(|body| {
                body.len() == TOKEN_BODY_CHARS
                    && body
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if well_formed {
            Ok(&self.device_code)
        } else {
            Err(AppError::validation(
                "device_code",
                "This is not a device code.",
            ))
        }
    }
}

/// A poll before the person has answered (202).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DevicePending {
    /// Always "authorization_pending" (RFC 8628's name for this state).
    pub status: String,
    /// Seconds to wait before polling again.
    pub interval: u32,
}

/// What the approval page shows of a waiting device, so the person can tell
/// it is theirs before allowing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRequest {
    /// As typed back: `BCDF-GHJK`.
    pub user_code: String,
    pub client_name: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The address the device asked from, if known.
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// The person's answer on the approval page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceDecision {
    Allow,
    Deny,
}

impl DeviceDecision {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s {
            "allow" => Ok(Self::Allow),
            "deny" => Ok(Self::Deny),
            _ => Err(AppError::validation("decision", "Choose Allow or Deny.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_read_as_people_type_them() {
        for typed in ["BCDF-GHJK", "bcdfghjk", " bcdf ghjk ", "Bcdf–Ghjk"] {
            assert_eq!(
                UserCode::parse(typed).unwrap().as_str(),
                "BCDFGHJK",
                "{typed:?}"
            );
        }
        assert_eq!(UserCode::parse("bcdf-ghjk").unwrap().display(), "BCDF-GHJK");
    }

    #[test]
    fn user_codes_of_the_wrong_letters_or_length_are_refused_by_the_field() {
        let long = "B".repeat(200);
        for typed in [
            "",
            "BCDF-GHJ",
            "BCDF-GHJKL",
            "BCDF-GHJA",
            "BCDF-GHJ1",
            "БCDF-GHJK",
            &long,
        ] {
            let e = UserCode::parse(typed).unwrap_err();
            assert_eq!(e.field_message("code"), Some(CODE_FORMAT), "{typed:?}");
        }
    }

    #[test]
    fn random_codes_use_only_the_alphabet_and_cover_it() {
        let mut seen = std::collections::BTreeSet::new();
        for start in 0..=255u8 {
            let bytes = std::array::from_fn(|i| start.wrapping_add((i as u8).wrapping_mul(37)));
            let code = UserCode::from_random(bytes);
            assert_eq!(UserCode::parse(&code.display()).unwrap(), code);
            seen.extend(code.as_str().bytes());
        }
        assert_eq!(seen.len(), USER_CODE_ALPHABET.len());
    }

    #[test]
    fn a_device_must_give_a_name_a_person_can_read() {
        let named = |n: &str| {
            DeviceAuthorizationRequest {
                client_name: n.into(),
            }
            .parse()
        };
        assert_eq!(named("  Ward 3 tablet ").unwrap(), "Ward 3 tablet");
        assert_eq!(named(&"é".repeat(100)).unwrap().chars().count(), 100);
        for bad in ["", "   ", "a\u{7}b", "line\nbreak"] {
            assert!(
                named(bad)
                    .unwrap_err()
                    .field_message("client_name")
                    .is_some(),
                "{bad:?}"
            );
        }
        assert!(named(&"x".repeat(101)).is_err());
    }

    #[test]
    fn device_codes_are_checked_for_shape_before_the_database() {
        let code = |c: &str| DeviceTokenRequest {
            device_code: c.into(),
        };
        let good = format!("{DEVICE_CODE_PREFIX}{}", "A".repeat(TOKEN_BODY_CHARS));
        assert!(code(&good).parse().is_ok());
        for bad in [
            String::new(),
            format!("hms_rt_{}", "A".repeat(TOKEN_BODY_CHARS)),
            format!("{DEVICE_CODE_PREFIX}{}", "A".repeat(TOKEN_BODY_CHARS - 1)),
            format!("{DEVICE_CODE_PREFIX}{}!", "A".repeat(TOKEN_BODY_CHARS - 1)),
        ] {
            assert_eq!(
                code(&bad).parse().unwrap_err().field_message("device_code"),
                Some("This is not a device code.")
            );
        }
    }

    #[test]
    fn decisions_are_allow_or_deny_only() {
        assert_eq!(
            DeviceDecision::parse("allow").unwrap(),
            DeviceDecision::Allow
        );
        assert_eq!(DeviceDecision::parse("deny").unwrap(), DeviceDecision::Deny);
        assert!(DeviceDecision::parse("Allow").is_err());
    }
}
