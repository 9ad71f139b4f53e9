//! Registering a patient at the front desk: the form as typed, the rules
//! each field follows, and what counts as a possible duplicate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contact_details::{
    ContactDetailsInput, check_contact_details, has_control, optional_text,
};
pub use super::contact_details::{
    MAX_ADDRESS_CHARS, MAX_CONTACT_NAME_CHARS, MAX_PHONE_CHARS, MAX_PLACE_CHARS,
    MAX_POSTAL_CODE_CHARS, MAX_RELATIONSHIP_CHARS,
};
use super::identity_document::{IdType, parse_id_number};
use crate::domain::error::{AppError, FieldErrors};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_LANGUAGE_CHARS: usize = 50;
pub const MAX_REASON_CHARS: usize = 500;
/// Nobody registered is older.
pub const MAX_AGE_YEARS: u32 = 130;

pub const SEXES: [(&str, &str); 4] = [
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other"),
    ("unknown", "Unknown"),
];

pub const BLOOD_GROUPS: [&str; 8] = ["O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"];

/// The number the database gives the `n`th patient registered in `year`
/// (`assign_patient_number()` in the migrations; tests hold the two equal).
pub fn patient_number(year: i32, n: u32) -> String {
    format!("PT-{year}-{n:05}")
}

/// How a stored sex reads.
pub fn sex_label(stored: &str) -> &'static str {
    SEXES
        .iter()
        .find(|(s, _)| *s == stored)
        .map_or("Unknown", |(_, l)| l)
}

/// The registration form as typed: every field a string, so that a form
/// sent back with errors shows exactly what was typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationInput {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub blood_group: String,
    pub preferred_language: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relationship: String,
    pub id_type: String,
    pub id_number: String,
}

impl RegistrationInput {
    /// The form filled with what the record holds; `id_number` is the
    /// document's number unsealed, for the one editing it.
    pub fn from_record(r: &super::PatientDetails, id_number: String) -> Self {
        Self {
            given_name: r.given_name.clone(),
            family_name: r.family_name.clone(),
            date_of_birth: r.date_of_birth.to_string(),
            sex: r.sex.clone(),
            phone: r.phone.clone(),
            email: r.email.clone().unwrap_or_default(),
            address: r.address.clone(),
            city: r.city.clone(),
            state: r.state.clone(),
            postal_code: r.postal_code.clone(),
            blood_group: r.blood_group.clone().unwrap_or_default(),
            preferred_language: r.preferred_language.clone(),
            emergency_contact_name: r.emergency_contact_name.clone(),
            emergency_contact_phone: r.emergency_contact_phone.clone(),
            emergency_contact_relationship: r.emergency_contact_relationship.clone(),
            id_type: r.id_type.clone(),
            id_number,
        }
    }

    /// A form holding the contact fields only (the portal's form, kept
    /// as a draft the way the others are).
    pub fn with_contact(c: ContactDetailsInput) -> Self {
        Self {
            phone: c.phone,
            email: c.email,
            address: c.address,
            city: c.city,
            state: c.state,
            postal_code: c.postal_code,
            emergency_contact_name: c.emergency_contact_name,
            emergency_contact_phone: c.emergency_contact_phone,
            emergency_contact_relationship: c.emergency_contact_relationship,
            ..Self::default()
        }
    }

    /// The contact fields, which follow the portal form's rules.
    pub fn contact(&self) -> ContactDetailsInput {
        ContactDetailsInput {
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            postal_code: self.postal_code.clone(),
            emergency_contact_name: self.emergency_contact_name.clone(),
            emergency_contact_phone: self.emergency_contact_phone.clone(),
            emergency_contact_relationship: self.emergency_contact_relationship.clone(),
        }
    }

    /// What the form holds, in bytes (a draft is kept only when sane).
    pub fn typed_bytes(&self) -> usize {
        [
            &self.given_name,
            &self.family_name,
            &self.date_of_birth,
            &self.sex,
            &self.phone,
            &self.email,
            &self.address,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.blood_group,
            &self.preferred_language,
            &self.emergency_contact_name,
            &self.emergency_contact_phone,
            &self.emergency_contact_relationship,
            &self.id_type,
            &self.id_number,
        ]
        .iter()
        .map(|s| s.len())
        .sum()
    }
}

/// A checked registration, as it is stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewPatient {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub blood_group: Option<String>,
    pub preferred_language: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relationship: String,
    pub id_type: IdType,
    /// Normalised; `None` exactly when `id_type` is `None`.
    pub id_number: Option<String>,
}

impl NewPatient {
    /// The record as stored, in the form an edit compares against;
    /// `id_number` is the document's number unsealed.
    pub fn from_record(r: &super::PatientDetails, id_number: Option<String>) -> Self {
        let id_type = IdType::parse(&r.id_type).unwrap_or(IdType::None);
        Self {
            given_name: r.given_name.clone(),
            family_name: r.family_name.clone(),
            date_of_birth: r.date_of_birth,
            sex: r.sex.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            address: r.address.clone(),
            city: r.city.clone(),
            state: r.state.clone(),
            postal_code: r.postal_code.clone(),
            blood_group: r.blood_group.clone(),
            preferred_language: r.preferred_language.clone(),
            emergency_contact_name: r.emergency_contact_name.clone(),
            emergency_contact_phone: r.emergency_contact_phone.clone(),
            emergency_contact_relationship: r.emergency_contact_relationship.clone(),
            id_type,
            id_number: id_number.filter(|_| id_type != IdType::None),
        }
    }
}

/// Checks every field at once; `today` is the clinic's date.
pub fn parse_registration(
    input: &RegistrationInput,
    today: NaiveDate,
) -> Result<NewPatient, AppError> {
    let mut e = FieldErrors::new();
    let given_name = name(
        &mut e,
        "given_name",
        &input.given_name,
        "Enter the given name.",
    );
    let family_name = name(
        &mut e,
        "family_name",
        &input.family_name,
        "Enter the family name.",
    );
    let date_of_birth = e.check(
        "date_of_birth",
        parse_date_of_birth(&input.date_of_birth, today),
    );
    let sex = match SEXES.iter().find(|(s, _)| *s == input.sex.trim()) {
        Some((s, _)) => (*s).to_string(),
        None => {
            e.add("sex", "Choose the patient's sex.");
            String::new()
        }
    };
    let contact = check_contact_details(&mut e, &input.contact());
    let blood_group = match input.blood_group.trim() {
        "" => None,
        b => match BLOOD_GROUPS.iter().find(|g| **g == b) {
            Some(g) => Some((*g).to_string()),
            None => {
                e.add("blood_group", "Choose a blood group from the list.");
                None
            }
        },
    };
    let preferred_language = optional_text(
        &mut e,
        "preferred_language",
        &input.preferred_language,
        MAX_LANGUAGE_CHARS,
    );
    if !preferred_language.is_empty()
        && !e.has("preferred_language")
        && !preferred_language
            .chars()
            .all(|c| c.is_alphabetic() || " -()".contains(c))
    {
        e.add(
            "preferred_language",
            "Name a language, like Hindi or English.",
        );
    }
    let id_type = IdType::parse(input.id_type.trim()).unwrap_or_else(|| {
        e.add("id_type", "Choose the type of identity document, or None.");
        IdType::None
    });
    let id_number = if e.has("id_type") {
        None
    } else {
        e.check("id_number", parse_id_number(id_type, &input.id_number))
            .flatten()
    };
    let patient = NewPatient {
        given_name,
        family_name,
        date_of_birth: date_of_birth.unwrap_or_default(),
        sex,
        phone: contact.phone,
        email: contact.email,
        address: contact.address,
        city: contact.city,
        state: contact.state,
        postal_code: contact.postal_code,
        blood_group,
        preferred_language,
        emergency_contact_name: contact.emergency_contact_name,
        emergency_contact_phone: contact.emergency_contact_phone,
        emergency_contact_relationship: contact.emergency_contact_relationship,
        id_type,
        id_number,
    };
    e.finish(patient)
}

/// A date of birth as the date field sends it (YYYY-MM-DD): not after
/// `today`, and within the last 130 years.
pub fn parse_date_of_birth(raw: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter the date of birth.");
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| "Enter the date of birth as a date, like 1986-04-12.")?;
    if date > today {
        return Err("The date of birth cannot be in the future.");
    }
    if today.years_since(date).unwrap_or(0) >= MAX_AGE_YEARS {
        return Err("Enter a date of birth within the last 130 years.");
    }
    Ok(date)
}

fn name(e: &mut FieldErrors, field: &str, raw: &str, missing: &str) -> String {
    let v = raw.trim().to_string();
    if v.is_empty() {
        e.add(field, missing);
    } else if v.chars().count() > MAX_NAME_CHARS {
        e.add(field, format!("Use at most {MAX_NAME_CHARS} characters."));
    } else if has_control(&v)
        || !v.chars().any(char::is_alphabetic)
        || v.chars()
            .any(|c| !(c.is_alphabetic() || c.is_whitespace() || "'’-.".contains(c)))
    {
        e.add(field, "Use letters, spaces, hyphens and apostrophes.");
    }
    v
}

/// Why a registered patient may be the one at the desk, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DuplicateReason {
    SameIdNumber,
    SamePhone,
    SameNameAndBirth,
}

impl DuplicateReason {
    pub fn label(self) -> &'static str {
        match self {
            DuplicateReason::SamePhone => "Same phone number",
            DuplicateReason::SameIdNumber => "Same identity document",
            DuplicateReason::SameNameAndBirth => "Same family name and date of birth",
        }
    }
}

/// Whether two given names may be the same person's: equal, one the start of
/// the other ("Jo", "Joanna"), or a typing slip apart ("Meera", "Mira").
pub fn similar_given_names(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.chars().count() >= 2 && long.starts_with(short.as_str()) {
        return true;
    }
    let slips = if long.chars().count() >= 5 { 2 } else { 1 };
    edit_distance(&a, &b) <= slips
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// "Register anyway": why the receptionist is sure this is someone new.
pub fn parse_override_reason(raw: &str) -> Result<String, AppError> {
    let v = raw.trim();
    let message = if v.chars().count() < 3 {
        Some("Say why this is a different person, for the audit trail.")
    } else if v.chars().count() > MAX_REASON_CHARS {
        Some("Use at most 500 characters.")
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        Some("Use letters, digits, spaces and punctuation only.")
    } else {
        None
    };
    match message {
        Some(m) => Err(AppError::validation("reason", m)),
        None => Ok(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn valid() -> RegistrationInput {
        RegistrationInput {
            given_name: " Meera ".into(),
            family_name: "Iyer".into(),
            date_of_birth: "1986-04-12".into(),
            sex: "female".into(),
            phone: "+91 98450 12345".into(),
            email: "Meera@Example.org".into(),
            id_type: "aadhaar".into(),
            id_number: "2345 6789 0124".into(),
            emergency_contact_name: "Arjun Iyer".into(),
            emergency_contact_phone: "+91 98450 54321".into(),
            emergency_contact_relationship: "Brother".into(),
            preferred_language: "Tamil".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_is_trimmed_and_normalised() {
        let p = parse_registration(&valid(), today()).unwrap();
        assert_eq!(p.given_name, "Meera");
        assert_eq!(p.email.as_deref(), Some("meera@example.org"));
        assert_eq!(p.id_type, IdType::Aadhaar);
        assert_eq!(p.id_number.as_deref(), Some("234567890124"));
        assert_eq!(p.blood_group, None);
    }

    #[test]
    fn only_names_date_of_birth_sex_and_document_type_are_required() {
        let bare = RegistrationInput {
            given_name: "Ravi".into(),
            family_name: "Kumar".into(),
            date_of_birth: "2020-01-31".into(),
            sex: "male".into(),
            id_type: "none".into(),
            ..Default::default()
        };
        assert!(parse_registration(&bare, today()).is_ok());
        let err = parse_registration(&RegistrationInput::default(), today()).unwrap_err();
        for field in [
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "id_type",
        ] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
        assert!(err.field_message("phone").is_none());
    }

    #[test]
    fn every_field_refuses_what_it_cannot_hold() {
        let cases: Vec<(&str, RegistrationInput)> = vec![
            (
                "given_name",
                RegistrationInput {
                    given_name: "x".repeat(101),
                    ..valid()
                },
            ),
            (
                "given_name",
                RegistrationInput {
                    given_name: "R2D2".into(),
                    ..valid()
                },
            ),
            (
                "family_name",
                RegistrationInput {
                    family_name: "a\u{0}b".into(),
                    ..valid()
                },
            ),
            (
                "date_of_birth",
                RegistrationInput {
                    date_of_birth: "12/04/1986".into(),
                    ..valid()
                },
            ),
            (
                "sex",
                RegistrationInput {
                    sex: "robot".into(),
                    ..valid()
                },
            ),
            (
                "phone",
                RegistrationInput {
                    phone: "call me".into(),
                    ..valid()
                },
            ),
            (
                "phone",
                RegistrationInput {
                    phone: "12345".into(),
                    ..valid()
                },
            ),
            (
                "phone",
                RegistrationInput {
                    phone: "1234567890123456".into(),
                    ..valid()
                },
            ),
            (
                "phone",
                RegistrationInput {
                    phone: "1".repeat(33),
                    ..valid()
                },
            ),
            (
                "email",
                RegistrationInput {
                    email: "meera@".into(),
                    ..valid()
                },
            ),
            (
                "email",
                RegistrationInput {
                    email: format!("{}@x.org", "a".repeat(260)),
                    ..valid()
                },
            ),
            (
                "address",
                RegistrationInput {
                    address: "a".repeat(301),
                    ..valid()
                },
            ),
            (
                "city",
                RegistrationInput {
                    city: "a".repeat(101),
                    ..valid()
                },
            ),
            (
                "state",
                RegistrationInput {
                    state: "a\u{7}".into(),
                    ..valid()
                },
            ),
            (
                "postal_code",
                RegistrationInput {
                    postal_code: "560<01>".into(),
                    ..valid()
                },
            ),
            (
                "postal_code",
                RegistrationInput {
                    postal_code: "1".repeat(17),
                    ..valid()
                },
            ),
            (
                "blood_group",
                RegistrationInput {
                    blood_group: "C+".into(),
                    ..valid()
                },
            ),
            (
                "preferred_language",
                RegistrationInput {
                    preferred_language: "Tamil1".into(),
                    ..valid()
                },
            ),
            (
                "emergency_contact_phone",
                RegistrationInput {
                    emergency_contact_phone: String::new(),
                    ..valid()
                },
            ),
            (
                "emergency_contact_name",
                RegistrationInput {
                    emergency_contact_name: String::new(),
                    ..valid()
                },
            ),
            (
                "emergency_contact_relationship",
                RegistrationInput {
                    emergency_contact_relationship: "a".repeat(51),
                    ..valid()
                },
            ),
            (
                "id_type",
                RegistrationInput {
                    id_type: "ssn".into(),
                    ..valid()
                },
            ),
            (
                "id_number",
                RegistrationInput {
                    id_number: "2345 6789 0123".into(),
                    ..valid()
                },
            ),
            (
                "id_number",
                RegistrationInput {
                    id_type: "none".into(),
                    ..valid()
                },
            ),
        ];
        for (field, input) in cases {
            let err = parse_registration(&input, today()).unwrap_err();
            assert!(err.field_message(field).is_some(), "{field}: {err:?}");
        }
    }

    #[test]
    fn patient_numbers_have_five_digits_at_least() {
        assert_eq!(patient_number(2026, 42), "PT-2026-00042");
        assert_eq!(patient_number(2027, 99_999), "PT-2027-99999");
        assert_eq!(patient_number(2027, 123_456), "PT-2027-123456");
    }

    #[test]
    fn dates_of_birth_are_past_and_within_130_years() {
        assert!(parse_date_of_birth("2026-12-04", today()).is_ok());
        assert_eq!(
            parse_date_of_birth("2026-12-05", today()),
            Err("The date of birth cannot be in the future.")
        );
        assert!(parse_date_of_birth("1896-12-05", today()).is_ok());
        assert!(parse_date_of_birth("1896-12-04", today()).is_err());
        assert!(parse_date_of_birth("2026-02-30", today()).is_err());
        assert!(parse_date_of_birth("", today()).is_err());
    }

    #[test]
    fn similar_given_names_catch_short_forms_and_slips() {
        assert!(similar_given_names("Meera", "meera"));
        assert!(similar_given_names("Jo", "Joanna"));
        assert!(similar_given_names("Meera", "Mira"));
        assert!(similar_given_names("Katherine", "Kathrine"));
        assert!(!similar_given_names("Ravi", "Rohan"));
        assert!(!similar_given_names("Ann", "Bob"));
        assert!(!similar_given_names("", "Ann"));
    }

    #[test]
    fn registering_anyway_needs_a_reason() {
        assert!(parse_override_reason("  ").is_err());
        assert!(parse_override_reason(&"x".repeat(501)).is_err());
        assert_eq!(
            parse_override_reason(" Twins, different ID cards "),
            Ok("Twins, different ID cards".into())
        );
    }
}
