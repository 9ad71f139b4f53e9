//! A person's own account: profile, password and where they are signed in.

use serde::{Deserialize, Serialize};

use super::auth::{check_chosen_password, check_sign_in_password};
use super::error::{AppError, FieldErrors};

pub const MAX_PHONE_CHARS: usize = 32;

/// The account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub display_name: String,
    pub email: String,
    pub phone: String,
    /// False for accounts that sign in only through their organisation.
    pub has_password: bool,
    pub sessions: Vec<SessionInfo>,
    pub two_factor: super::two_factor::TwoFactorStatus,
}

/// One place the person is signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// "Chrome on Android", from the browser's user agent.
    pub device: String,
    pub client_addr: Option<String>,
    pub signed_in_at: chrono::DateTime<chrono::Utc>,
    pub last_active_at: chrono::DateTime<chrono::Utc>,
    /// This browser.
    pub current: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub display_name: String,
    pub phone: String,
}

/// (display name, phone), trimmed and checked.
pub fn parse_profile(input: &ProfileInput) -> Result<(String, String), AppError> {
    let mut errors = FieldErrors::new();
    let name = input.display_name.trim().to_string();
    if name.is_empty() {
        errors.add("display_name", "Enter your name.");
    } else if name.chars().count() > 200 {
        errors.add("display_name", "Use at most 200 characters.");
    } else if name.chars().any(char::is_control) {
        errors.add("display_name", "Use letters, spaces and punctuation only.");
    }
    let phone = input.phone.trim().to_string();
    if let Some(m) = check_phone(&phone) {
        errors.add("phone", m);
    }
    if errors.is_empty() {
        Ok((name, phone))
    } else {
        Err(AppError::from(errors))
    }
}

/// What is wrong with a phone number (already trimmed), if anything; an
/// empty one is fine here (callers that need one say so).
pub fn check_phone(phone: &str) -> Option<&'static str> {
    if phone.chars().count() > MAX_PHONE_CHARS {
        Some("Use at most 32 characters.")
    } else if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        Some("Use digits, spaces and + - ( ) only.")
    } else if !phone.is_empty() && phone.chars().filter(char::is_ascii_digit).count() < 6 {
        Some("Enter the whole number, at least 6 digits.")
    } else {
        None
    }
}

/// The change-password form: the current password present, the new one
/// following the policy, typed twice, and different from the current one.
pub fn check_password_change(current: &str, new: &str, confirm: &str) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    // The current password's message comes first, as the form lists it first.
    if let Err(m) = check_sign_in_password(current) {
        errors.add("current", m);
    }
    errors.absorb(check_chosen_password(new, confirm))?;
    if errors.is_empty() && current == new {
        errors.add(
            "password",
            "Choose a password different from the current one.",
        );
    }
    errors.finish(())
}

/// A short, human name for a browser from its user agent.
pub fn describe_device(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "A browser"
    };
    let system = if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "an unknown system"
    };
    format!("{browser} on {system}")
}

/// A name for an API token family (a session of an app or another
/// system): "API client", with the product its user agent names first.
pub fn describe_api_client(user_agent: &str) -> String {
    let product: String = user_agent
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    if product.is_empty() {
        "API client".into()
    } else {
        format!("API client ({product})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_clients_are_named_by_their_product() {
        assert_eq!(describe_api_client("curl/8.5.0"), "API client (curl/8.5.0)");
        assert_eq!(
            describe_api_client("python-httpx/0.28.1 extra words"),
            "API client (python-httpx/0.28.1)"
        );
        assert_eq!(describe_api_client(""), "API client");
        assert_eq!(
            describe_api_client(&"x".repeat(500)).len(),
            "API client ()".len() + 40
        );
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn profiles_are_trimmed_and_checked() {
        let ok = parse_profile(&ProfileInput {
            display_name: "  Asha Patel ".into(),
            phone: " +44 (0)20 7946-0958 ".into(),
        })
        .unwrap();
        assert_eq!(ok, ("Asha Patel".into(), "+44 (0)20 7946-0958".into()));
        assert!(
            parse_profile(&ProfileInput {
                display_name: "A".into(),
                phone: "".into()
            })
            .is_ok()
        );
        let bad = parse_profile(&ProfileInput {
            display_name: " ".into(),
            phone: "call me".into(),
        });
        assert_eq!(fields(bad.unwrap_err()), ["display_name", "phone"]);
        let short = parse_profile(&ProfileInput {
            display_name: "A".into(),
            phone: "12".into(),
        });
        assert_eq!(fields(short.unwrap_err()), ["phone"]);
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_a_new_good_one() {
        assert!(
            check_password_change(
                "old one",
                "lantern orchard pebble",
                "lantern orchard pebble"
            )
            .is_ok()
        );
        assert_eq!(
            fields(check_password_change("", "short", "other").unwrap_err()),
            ["current", "password", "confirm"]
        );
        let same = "lantern orchard pebble";
        assert_eq!(
            fields(check_password_change(same, same, same).unwrap_err()),
            ["password"]
        );
    }

    #[test]
    fn devices_are_named_as_people_say_them() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
                "Safari on iPad",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
                "Firefox on Android",
            ),
            ("curl/8.0", "A browser on an unknown system"),
        ];
        for (ua, want) in cases {
            assert_eq!(describe_device(ua), want, "{ua}");
        }
    }
}
