//! A doctor's profile in one clinic, as the clinic admin edits it.

use serde::{Deserialize, Serialize};

use crate::domain::error::{AppError, FieldErrors};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    Available,
    OnLeave,
    Unavailable,
}

impl Availability {
    pub const ALL: [Availability; 3] = [
        Availability::Available,
        Availability::OnLeave,
        Availability::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Available => "available",
            Availability::OnLeave => "on_leave",
            Availability::Unavailable => "unavailable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Availability::Available => "Seeing patients",
            Availability::OnLeave => "On leave",
            Availability::Unavailable => "Not seeing patients",
        }
    }
}

/// The profile as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorProfile {
    pub specialization: String,
    pub licence_number: Option<String>,
    pub qualification: String,
    pub years_of_experience: Option<i32>,
    /// Minor units (cents, paise) of the clinic's currency.
    pub consultation_fee_minor: Option<i64>,
    pub availability: Availability,
}

impl Default for DoctorProfile {
    fn default() -> Self {
        Self {
            specialization: String::new(),
            licence_number: None,
            qualification: String::new(),
            years_of_experience: None,
            consultation_fee_minor: None,
            availability: Availability::Available,
        }
    }
}

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorProfileInput {
    pub specialization: String,
    pub licence_number: String,
    pub qualification: String,
    pub years_of_experience: String,
    /// "150" or "150.50".
    pub consultation_fee: String,
    pub availability: String,
}

pub fn parse_doctor_profile(input: &DoctorProfileInput) -> Result<DoctorProfile, AppError> {
    let mut errors = FieldErrors::new();
    let mut text = |field: &str, raw: &str, max: usize| {
        let t = raw.trim().to_string();
        if t.chars().count() > max {
            errors.add(field, format!("Use at most {max} characters."));
        } else if t.chars().any(char::is_control) {
            errors.add(field, "Use letters, digits and punctuation only.");
        }
        t
    };
    let specialization = text("specialization", &input.specialization, 100);
    let licence = text("licence_number", &input.licence_number, 50);
    let qualification = text("qualification", &input.qualification, 200);
    let years = match input.years_of_experience.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if (0..=70).contains(&n) => Some(n),
            _ => {
                errors.add("years_of_experience", "Enter whole years from 0 to 70.");
                None
            }
        },
    };
    let fee = match input.consultation_fee.trim() {
        "" => None,
        raw => match parse_amount(raw) {
            Some(minor) => Some(minor),
            None => {
                errors.add(
                    "consultation_fee",
                    "Enter an amount such as 150 or 150.50, up to 1,000,000.",
                );
                None
            }
        },
    };
    let availability = Availability::parse(input.availability.trim()).unwrap_or_else(|| {
        errors.add("availability", "Choose from the list.");
        Availability::Available
    });
    if !errors.is_empty() {
        return Err(AppError::from(errors));
    }
    Ok(DoctorProfile {
        specialization,
        licence_number: (!licence.is_empty()).then_some(licence),
        qualification,
        years_of_experience: years,
        consultation_fee_minor: fee,
        availability,
    })
}

/// "150" or "150.5" or "150.50" into minor units; at most 1,000,000.
fn parse_amount(raw: &str) -> Option<i64> {
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 7 {
        return None;
    }
    if frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (raw.contains('.') && frac.is_empty())
    {
        return None;
    }
    let cents = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse::<i64>().ok()?,
    };
    let minor = whole.parse::<i64>().ok()? * 100 + cents;
    (minor <= 100_000_000).then_some(minor)
}

/// Minor units as people write the amount: "150.00".
pub fn format_amount(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(fee: &str, years: &str) -> DoctorProfileInput {
        DoctorProfileInput {
            specialization: " Cardiology ".into(),
            licence_number: " GMC-7654321 ".into(),
            qualification: "MBBS, MRCP".into(),
            years_of_experience: years.into(),
            consultation_fee: fee.into(),
            availability: "on_leave".into(),
        }
    }

    #[test]
    fn a_profile_is_trimmed_and_amounts_are_kept_in_minor_units() {
        let p = parse_doctor_profile(&input("150.5", "12")).unwrap();
        assert_eq!(p.specialization, "Cardiology");
        assert_eq!(p.licence_number.as_deref(), Some("GMC-7654321"));
        assert_eq!(
            (p.years_of_experience, p.consultation_fee_minor),
            (Some(12), Some(15_050))
        );
        assert_eq!(p.availability, Availability::OnLeave);
        let empty = parse_doctor_profile(&DoctorProfileInput {
            availability: "available".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(empty, DoctorProfile::default());
    }

    #[test]
    fn amounts_are_plain_decimals_within_bounds() {
        for (raw, want) in [
            ("150", Some(15_000)),
            ("0.99", Some(99)),
            ("1000000", Some(100_000_000)),
            ("150.50", Some(15_050)),
        ] {
            assert_eq!(parse_amount(raw), want, "{raw}");
        }
        for bad in [
            "-1",
            "abc",
            "1e5",
            "150.",
            ".5",
            "150.505",
            "1000000.01",
            "1,000",
            "99999999",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        assert_eq!(format_amount(15_050), "150.50");
        assert_eq!(format_amount(99), "0.99");
    }

    #[test]
    fn bad_fields_are_named() {
        let e = parse_doctor_profile(&DoctorProfileInput {
            years_of_experience: "71".into(),
            consultation_fee: "free".into(),
            availability: "sometimes".into(),
            licence_number: "x".repeat(51),
            ..Default::default()
        })
        .unwrap_err();
        for field in [
            "years_of_experience",
            "consultation_fee",
            "availability",
            "licence_number",
        ] {
            assert!(e.field_message(field).is_some(), "{field}: {e:?}");
        }
    }
}
