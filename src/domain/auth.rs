//! Sign-in input rules, shared by the form (checked before sending) and the
//! server (the authority).

use serde::{Deserialize, Serialize};

use super::error::{AppError, FieldErrors};

pub const MAX_EMAIL_CHARS: usize = 254;
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Long enough for any passphrase, short enough that hashing it costs nothing extra.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// An email address, trimmed and compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("Enter your email address.");
        }
        if s.chars().count() > MAX_EMAIL_CHARS {
            return Err("That email address is too long.");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Enter an email address like name@example.org.");
        };
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err("Enter an email address like name@example.org.");
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a password typed at sign-in must be before it is even checked: present
/// and not absurdly long. The strength policy applies when one is chosen.
pub fn check_sign_in_password(raw: &str) -> Result<(), &'static str> {
    if raw.is_empty() {
        return Err("Enter your password.");
    }
    if raw.chars().count() > MAX_PASSWORD_CHARS {
        return Err("That password is too long.");
    }
    Ok(())
}

/// The rule for a new password: 12 to 128 characters, not one of the most
/// common passwords (nor one of them with digits or symbols added).
pub fn check_new_password(raw: &str) -> Result<(), &'static str> {
    let chars = raw.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err("Use at least 12 characters. A few unrelated words work well.");
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("Use at most 128 characters.");
    }
    if is_common_password(raw) {
        return Err("That password is too common. Choose something less predictable.");
    }
    Ok(())
}

/// A password being chosen (invitation, reset): the policy, typed the same
/// twice.
pub fn check_chosen_password(password: &str, confirm: &str) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Err(m) = check_new_password(password) {
        errors.add("password", m);
    }
    if password != confirm {
        errors.add("confirm", "The two passwords are not the same.");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::from(errors))
    }
}

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

fn is_common_password(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    // "Password2024!" is "password" with decorations; so is "!!qwerty123".
    let core: String = lower.trim_matches(|c: char| !c.is_alphabetic()).to_string();
    let distinct = lower
        .chars()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if distinct <= 3 {
        return true;
    }
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| common == lower || common == core)
}

/// The sign-in form after validation.
#[derive(Clone, Debug)]
pub struct SignInInput {
    pub email: Email,
}

pub fn parse_sign_in(email: &str, password: &str) -> Result<SignInInput, AppError> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(email).map_err(|m| errors.add("email", m)).ok();
    if let Err(m) = check_sign_in_password(password) {
        errors.add("password", m);
    }
    match email {
        Some(email) if errors.is_empty() => Ok(SignInInput { email }),
        _ => Err(AppError::from(errors)),
    }
}

/// The one message for every failed sign-in, so it says nothing about which
/// part was wrong or whether the account exists.
pub const SIGN_IN_FAILED: &str = "That email and password do not match an active account.";

/// A place to return to after signing in: a path on this site only, so a link
/// cannot send someone elsewhere after they sign in.
pub fn safe_return_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 512
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next.starts_with("/login")
        && !next.starts_with("/fn/")
        && !next.starts_with("/api/");
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            Email::parse("  Doctor@Riverside.Example ")
                .unwrap()
                .as_str(),
            "doctor@riverside.example"
        );
        for bad in [
            "",
            "  ",
            "no-at-sign",
            "a@b",
            "@x.org",
            "a@.org",
            "a@x.org.",
            "a b@x.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err("That email address is too long."));
    }

    #[test]
    fn new_passwords_need_length_and_must_not_be_common() {
        assert!(check_new_password("correct horse battery").is_ok());
        assert!(check_new_password("hms-demo-password").is_ok());
        assert!(check_new_password("short").is_err());
        assert!(check_new_password(&"x".repeat(129)).is_err());
        for common in [
            "password1234",
            "Password2024!",
            "qwertyuiop123",
            "111111111111",
            "abababababab",
            "iloveyou1234",
        ] {
            assert_eq!(
                check_new_password(common),
                Err("That password is too common. Choose something less predictable."),
                "{common}"
            );
        }
    }

    #[test]
    fn sign_in_reports_every_bad_field_at_once() {
        let Err(AppError::Validation(fields)) = parse_sign_in("not-an-email", "") else {
            panic!("expected field errors");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["email", "password"]);
        assert!(parse_sign_in("a@example.org", &"p".repeat(129)).is_err());
        assert!(parse_sign_in("a@example.org", "anything").is_ok());
    }

    #[test]
    fn only_local_paths_are_return_targets() {
        assert_eq!(
            safe_return_path("/c/riverside/doctor"),
            Some("/c/riverside/doctor")
        );
        assert_eq!(safe_return_path("/c/x?page=2"), Some("/c/x?page=2"));
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/login?next=/x",
            "/ok\nx",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_chosen_password_follows_the_policy_and_is_confirmed() {
        assert!(check_chosen_password("correct horse battery", "correct horse battery").is_ok());
        let fields = match check_chosen_password("password1", "password2").unwrap_err() {
            AppError::Validation(f) => f.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields, ["password", "confirm"]);
    }
}
