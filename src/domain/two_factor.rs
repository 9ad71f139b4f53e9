//! Two-factor sign-in: the codes people type, who must use it, and what the
//! pages show. The code arithmetic (RFC 6238) lives on the server.

use serde::{Deserialize, Serialize};

use super::AppError;

/// Digits of an authenticator code.
pub const TOTP_DIGITS: usize = 6;
/// Recovery codes given at set-up (and when renewed).
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Characters of a recovery code, without its dashes: 12 of 32 symbols, 60
/// random bits, so a stored hash cannot be reversed by trying them all.
pub const RECOVERY_CODE_CHARS: usize = 12;
/// Crockford's base 32: no I, L, O or U to misread.
pub const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Wrong codes allowed in one sign-in before it must start again.
pub const MAX_SECOND_STEP_ATTEMPTS: u8 = 5;
/// Longest input worth reading as a code.
const MAX_CODE_INPUT: usize = 40;

pub const CODE_MISSING: &str =
    "Enter the 6-digit code from your authenticator app, or one of your recovery codes.";
pub const CODE_MALFORMED: &str = "That is neither a 6-digit code nor a recovery code.";
pub const CODE_WRONG: &str =
    "That code is not right, or it was already used. Wait for the next code and try again.";
pub const ENROL_CODE_MISSING: &str = "Enter the 6-digit code your authenticator app shows.";
pub const ENROL_CODE_WRONG: &str =
    "That code does not match. Check the app's clock is right and enter the newest code.";
pub const TOO_MANY_ATTEMPTS: &str = "Too many wrong codes. Sign in again to try once more.";
pub const STEP_EXPIRED: &str = "Your sign-in took too long. Sign in again.";

/// What someone typed at the second step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, lower-cased and without separators.
    Recovery(String),
}

/// Reads the second step's one field: an authenticator code ("123 456" is
/// fine) or a recovery code ("7k2m-p9xq-4hrt", any case, misread letters
/// forgiven).
pub fn parse_second_factor(input: &str) -> Result<SecondFactor, AppError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(AppError::validation("code", CODE_MISSING));
    }
    if input.chars().count() > MAX_CODE_INPUT {
        return Err(AppError::validation("code", CODE_MALFORMED));
    }
    if let Ok(code) = parse_totp(input) {
        return Ok(SecondFactor::Totp(code));
    }
    normalise_recovery_code(input)
        .map(SecondFactor::Recovery)
        .ok_or_else(|| AppError::validation("code", CODE_MALFORMED))
}

/// An authenticator code when setting the app up (recovery codes do not
/// exist yet).
pub fn parse_enrolment_code(input: &str) -> Result<String, AppError> {
    let input = input.trim();
    if input.is_empty() || input.chars().count() > MAX_CODE_INPUT {
        return Err(AppError::validation("code", ENROL_CODE_MISSING));
    }
    parse_totp(input).map_err(|()| AppError::validation("code", ENROL_CODE_MISSING))
}

fn parse_totp(input: &str) -> Result<String, ()> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() == TOTP_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(())
    }
}

/// The canonical form of a recovery code, or `None` when it cannot be one.
pub fn normalise_recovery_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(RECOVERY_CODE_CHARS);
    for c in input.chars() {
        let c = match c.to_ascii_lowercase() {
            ' ' | '-' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c => c,
        };
        if !c.is_ascii() || !RECOVERY_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == RECOVERY_CODE_CHARS).then_some(out)
}

/// How a recovery code is shown: three groups of four.
pub fn format_recovery_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether someone must sign in with a second factor: platform admins and
/// clinic admins always, and all staff of a clinic that requires it.
pub fn two_factor_required(
    is_platform_admin: bool,
    is_clinic_admin: bool,
    staff_of_clinic_requiring_it: bool,
) -> bool {
    is_platform_admin || is_clinic_admin || staff_of_clinic_requiring_it
}

/// Whether an identity provider's `amr` claim (RFC 8176) says the person
/// already proved a second factor there.
pub fn provider_asserted_mfa(methods: &[String]) -> bool {
    methods.iter().any(|m| m == "mfa")
}

/// The second factor on the account page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    /// Required by the person's role or clinic, so it cannot be turned off.
    pub required: bool,
    pub recovery_codes_left: u32,
    pub trusted_devices: u32,
}

/// What the set-up page shows: the QR code (an SVG drawn by the server) and
/// the same key as text for typing in by hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    pub qr_svg: String,
    /// Base 32, in groups of four.
    pub key_text: String,
    pub account: String,
    /// Set-up happens during sign-in (the account needs it before entering).
    pub during_sign_in: bool,
}

/// What the second-step page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondStep {
    pub email: String,
    /// The account has no authenticator yet and must set one up.
    pub must_enrol: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_are_an_authenticator_code_with_or_without_spaces() {
        for typed in ["123456", " 123 456 ", "123-456"] {
            assert_eq!(
                parse_second_factor(typed).unwrap(),
                SecondFactor::Totp("123456".into())
            );
        }
        assert_eq!(parse_enrolment_code("000 042").unwrap(), "000042");
    }

    #[test]
    fn recovery_codes_forgive_case_dashes_and_misread_letters() {
        let want = SecondFactor::Recovery("7k2mp9xq4hr1".into());
        for typed in ["7k2m-p9xq-4hr1", "7K2M P9XQ 4HRL", "7k2mp9xq4hri"] {
            assert_eq!(parse_second_factor(typed).unwrap(), want, "{typed}");
        }
        assert_eq!(
            normalise_recovery_code("oooo-0000-oooo").as_deref(),
            Some("000000000000")
        );
        assert_eq!(format_recovery_code("7k2mp9xq4hr1"), "7k2m-p9xq-4hr1");
    }

    #[test]
    fn anything_else_is_refused_at_the_field() {
        let message = |typed: &str| {
            parse_second_factor(typed)
                .unwrap_err()
                .field_message("code")
                .map(str::to_owned)
        };
        assert_eq!(message("").as_deref(), Some(CODE_MISSING));
        assert_eq!(message("   ").as_deref(), Some(CODE_MISSING));
        for bad in [
            "12345",
            "1234567",
            "12345a",
            "7k2m-p9xq-4hr",
            "7k2m-p9xq-4hr1u",
            "ŝŝŝŝŝŝ",
        ] {
            assert_eq!(message(bad).as_deref(), Some(CODE_MALFORMED), "{bad}");
        }
        assert_eq!(
            message(&"1".repeat(10_000)).as_deref(),
            Some(CODE_MALFORMED)
        );
        for bad in ["", "12345", "7k2m-p9xq-4hr1", &"9".repeat(100)] {
            assert!(parse_enrolment_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn admins_and_staff_of_strict_clinics_need_a_second_factor() {
        assert!(two_factor_required(true, false, false));
        assert!(two_factor_required(false, true, false));
        assert!(two_factor_required(false, false, true));
        assert!(!two_factor_required(false, false, false));
    }

    #[test]
    fn only_an_mfa_claim_counts_as_the_provider_proving_a_second_factor() {
        let amr = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(provider_asserted_mfa(&amr(&["pwd", "mfa", "otp"])));
        assert!(!provider_asserted_mfa(&amr(&["pwd"])));
        assert!(!provider_asserted_mfa(&amr(&[])));
    }
}
