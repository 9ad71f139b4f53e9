//! A patient's identity document: its type, the rules each number follows,
//! and how it is shown (masked) to anyone but the person entering it.

use serde::{Deserialize, Serialize};

/// What a number may be at most as typed (spaces and dashes included).
pub const MAX_ID_NUMBER_CHARS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdType {
    Aadhaar,
    Pan,
    Passport,
    DrivingLicence,
    NationalId,
    Other,
    None,
}

impl IdType {
    pub const ALL: [IdType; 7] = [
        IdType::Aadhaar,
        IdType::Pan,
        IdType::Passport,
        IdType::DrivingLicence,
        IdType::NationalId,
        IdType::Other,
        IdType::None,
    ];

    /// The name stored in `patients.id_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdType::Aadhaar => "aadhaar",
            IdType::Pan => "pan",
            IdType::Passport => "passport",
            IdType::DrivingLicence => "driving_licence",
            IdType::NationalId => "national_id",
            IdType::Other => "other",
            IdType::None => "none",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            IdType::Aadhaar => "Aadhaar",
            IdType::Pan => "PAN",
            IdType::Passport => "Passport",
            IdType::DrivingLicence => "Driving licence",
            IdType::NationalId => "National ID",
            IdType::Other => "Other",
            IdType::None => "None",
        }
    }
}

/// A document's number as stored and compared: upper case, without the
/// spaces, dashes and slashes people type between groups.
pub fn normalise_id_number(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '/' | '.'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The number of a document of type `kind`, normalised, or what is wrong
/// with it. `Ok(None)` when there is no document.
pub fn parse_id_number(kind: IdType, raw: &str) -> Result<Option<String>, &'static str> {
    let typed = raw.trim();
    if kind == IdType::None {
        return if typed.is_empty() {
            Ok(None)
        } else {
            Err("Choose the document's type, or leave its number empty.")
        };
    }
    if typed.is_empty() {
        return Err("Enter the document's number.");
    }
    if typed.chars().count() > MAX_ID_NUMBER_CHARS {
        return Err("Use at most 40 characters.");
    }
    let n = normalise_id_number(typed);
    if !n.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("Use letters and digits only.");
    }
    let len = n.len();
    match kind {
        IdType::Aadhaar => {
            if len != 12 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err("An Aadhaar number has 12 digits.");
            }
            if n.starts_with(['0', '1']) || !verhoeff_valid(&n) {
                return Err("This is not a valid Aadhaar number; check it against the card.");
            }
        }
        IdType::Pan => {
            let b = n.as_bytes();
            let shaped = len == 10
                && b[..5].iter().all(u8::is_ascii_uppercase)
                && b[5..9].iter().all(u8::is_ascii_digit)
                && b[9].is_ascii_uppercase();
            if !shaped {
                return Err("A PAN has 10 characters, like ABCDE1234F.");
            }
        }
        IdType::Passport if !(6..=9).contains(&len) => {
            return Err("A passport number has 6 to 9 letters and digits.");
        }
        IdType::DrivingLicence if !(5..=20).contains(&len) => {
            return Err("A driving licence number has 5 to 20 letters and digits.");
        }
        IdType::NationalId | IdType::Other if !(4..=30).contains(&len) => {
            return Err("Enter 4 to 30 letters and digits.");
        }
        _ => {}
    }
    Ok(Some(n))
}

/// The Verhoeff check digit test that Aadhaar numbers pass.
fn verhoeff_valid(digits: &str) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 8, 7, 6, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let mut c = 0u8;
    for (i, b) in digits.bytes().rev().enumerate() {
        c = D[usize::from(c)][usize::from(P[i % 8][usize::from(b - b'0')])];
    }
    c == 0
}

/// A number as shown to everyone but the person entering it: its last four.
pub fn mask_id_number(number: &str) -> String {
    let tail: String = number
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("•••• {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_round_trip_through_their_stored_names() {
        for t in IdType::ALL {
            assert_eq!(IdType::parse(t.as_str()), Some(t));
        }
        assert_eq!(IdType::parse("ssn"), None);
    }

    #[test]
    fn aadhaar_numbers_need_twelve_digits_and_a_good_check_digit() {
        // 2345 6789 0124: a well-formed test number (Verhoeff digit 4).
        assert_eq!(
            parse_id_number(IdType::Aadhaar, "2345 6789 0124"),
            Ok(Some("234567890124".into()))
        );
        assert!(parse_id_number(IdType::Aadhaar, "2345 6789 0123").is_err());
        assert!(parse_id_number(IdType::Aadhaar, "1234 5678 9012").is_err());
        assert!(parse_id_number(IdType::Aadhaar, "2345 6789 012").is_err());
        assert!(parse_id_number(IdType::Aadhaar, "2345 6789 012X").is_err());
    }

    #[test]
    fn each_type_has_its_shape() {
        assert_eq!(
            parse_id_number(IdType::Pan, "abcde1234f"),
            Ok(Some("ABCDE1234F".into()))
        );
        assert!(parse_id_number(IdType::Pan, "ABCD12345F").is_err());
        assert_eq!(
            parse_id_number(IdType::Passport, "k 1234567"),
            Ok(Some("K1234567".into()))
        );
        assert!(parse_id_number(IdType::Passport, "K12").is_err());
        assert!(parse_id_number(IdType::DrivingLicence, "MH-12-2011-0012345").is_ok());
        assert!(parse_id_number(IdType::NationalId, "AB1").is_err());
        assert!(parse_id_number(IdType::Other, "X99 887").is_ok());
        assert!(parse_id_number(IdType::Other, "ab_cd").is_err());
        assert!(parse_id_number(IdType::Other, &"1".repeat(41)).is_err());
    }

    #[test]
    fn a_number_needs_a_type_and_a_type_needs_a_number() {
        assert_eq!(parse_id_number(IdType::None, "  "), Ok(None));
        assert!(parse_id_number(IdType::None, "K1234567").is_err());
        assert!(parse_id_number(IdType::Passport, "").is_err());
    }

    #[test]
    fn masks_show_the_last_four_only() {
        assert_eq!(mask_id_number("234567890124"), "•••• 0124");
        assert_eq!(mask_id_number("AB1"), "•••• AB1");
    }
}
