//! How to reach a patient and whom to call for them: the part of the record
//! the front desk registers and the patient may keep up to date from the
//! portal. One set of rules serves both forms.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::PatientDetails;
use crate::domain::accounts::check_phone;
use crate::domain::auth::{Email, MAX_EMAIL_CHARS};
use crate::domain::error::{AppError, FieldErrors};

pub const MAX_ADDRESS_CHARS: usize = 300;
pub const MAX_PLACE_CHARS: usize = 100;
pub const MAX_POSTAL_CODE_CHARS: usize = 16;
pub const MAX_CONTACT_NAME_CHARS: usize = 200;
pub const MAX_RELATIONSHIP_CHARS: usize = 50;
pub const MAX_PHONE_CHARS: usize = 32;

/// The contact form as typed: every field a string, so that a refused form
/// comes back exactly as it was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactDetailsInput {
    pub phone: String,
    pub email: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relationship: String,
}

impl ContactDetailsInput {
    /// The form filled with what the record holds.
    pub fn from_record(r: &PatientDetails) -> Self {
        Self {
            phone: r.phone.clone(),
            email: r.email.clone().unwrap_or_default(),
            address: r.address.clone(),
            city: r.city.clone(),
            state: r.state.clone(),
            postal_code: r.postal_code.clone(),
            emergency_contact_name: r.emergency_contact_name.clone(),
            emergency_contact_phone: r.emergency_contact_phone.clone(),
            emergency_contact_relationship: r.emergency_contact_relationship.clone(),
        }
    }

    /// What the form holds, in bytes.
    pub fn typed_bytes(&self) -> usize {
        [
            &self.phone,
            &self.email,
            &self.address,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.emergency_contact_name,
            &self.emergency_contact_phone,
            &self.emergency_contact_relationship,
        ]
        .iter()
        .map(|s| s.len())
        .sum()
    }
}

/// Checked contact details, as stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactDetails {
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relationship: String,
}

impl ContactDetails {
    /// The details as the audit trail keeps them.
    pub fn audit_view(&self) -> serde_json::Value {
        json!({
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "emergency_contact_name": self.emergency_contact_name,
            "emergency_contact_phone": self.emergency_contact_phone,
            "emergency_contact_relationship": self.emergency_contact_relationship,
        })
    }
}

/// Checks the portal's contact form: every field at once.
pub fn parse_contact_details(input: &ContactDetailsInput) -> Result<ContactDetails, AppError> {
    let mut e = FieldErrors::new();
    let details = check_contact_details(&mut e, input);
    e.finish(details)
}

/// The contact fields' rules, adding each refusal to `e` by its field.
pub(super) fn check_contact_details(
    e: &mut FieldErrors,
    input: &ContactDetailsInput,
) -> ContactDetails {
    let phone = phone_number(e, "phone", &input.phone);
    let email = optional_email(e, &input.email);
    let address = optional_text(e, "address", &input.address, MAX_ADDRESS_CHARS);
    let city = optional_text(e, "city", &input.city, MAX_PLACE_CHARS);
    let state = optional_text(e, "state", &input.state, MAX_PLACE_CHARS);
    let postal_code = optional_text(e, "postal_code", &input.postal_code, MAX_POSTAL_CODE_CHARS);
    if !postal_code.is_empty()
        && !e.has("postal_code")
        && !postal_code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        e.add("postal_code", "Use letters, digits, spaces and - only.");
    }
    let emergency_contact_name = optional_text(
        e,
        "emergency_contact_name",
        &input.emergency_contact_name,
        MAX_CONTACT_NAME_CHARS,
    );
    let emergency_contact_phone =
        phone_number(e, "emergency_contact_phone", &input.emergency_contact_phone);
    let emergency_contact_relationship = optional_text(
        e,
        "emergency_contact_relationship",
        &input.emergency_contact_relationship,
        MAX_RELATIONSHIP_CHARS,
    );
    // A contact is someone to call: a name without a number (or the other
    // way round) is no use at 3 a.m.
    if !emergency_contact_name.is_empty()
        && emergency_contact_phone.is_empty()
        && !e.has("emergency_contact_phone")
    {
        e.add(
            "emergency_contact_phone",
            "Enter the emergency contact's phone number.",
        );
    }
    if emergency_contact_name.is_empty()
        && !emergency_contact_phone.is_empty()
        && !e.has("emergency_contact_name")
    {
        e.add(
            "emergency_contact_name",
            "Enter the emergency contact's name.",
        );
    }
    ContactDetails {
        phone,
        email,
        address,
        city,
        state,
        postal_code,
        emergency_contact_name,
        emergency_contact_phone,
        emergency_contact_relationship,
    }
}

pub(super) fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Trimmed free text of at most `max` characters, without control characters.
pub(super) fn optional_text(e: &mut FieldErrors, field: &str, raw: &str, max: usize) -> String {
    let v = raw.trim().to_string();
    if v.chars().count() > max {
        e.add(field, format!("Use at most {max} characters."));
    } else if has_control(&v) {
        e.add(field, "Use letters, digits, spaces and punctuation only.");
    }
    v
}

fn phone_number(e: &mut FieldErrors, field: &str, raw: &str) -> String {
    let v = raw.trim().to_string();
    if let Some(m) = check_phone(&v) {
        e.add(field, m);
    } else if v.chars().filter(char::is_ascii_digit).count() > 15 {
        // E.164: no number has more.
        e.add(field, "A phone number has at most 15 digits.");
    }
    v
}

fn optional_email(e: &mut FieldErrors, raw: &str) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > MAX_EMAIL_CHARS {
        e.add("email", "That email address is too long.");
        return None;
    }
    e.check("email", Email::parse(v))
        .map(|m| m.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ContactDetailsInput {
        ContactDetailsInput {
            phone: " +91 98450 12345 ".into(),
            email: "Asha@Example.com".into(),
            address: "12 MG Road".into(),
            city: "Bengaluru".into(),
            state: "Karnataka".into(),
            postal_code: "560001".into(),
            emergency_contact_name: "Ravi Rao".into(),
            emergency_contact_phone: "+91 98450 54321".into(),
            emergency_contact_relationship: "Brother".into(),
        }
    }

    #[test]
    fn a_complete_form_is_trimmed() {
        let d = parse_contact_details(&valid()).unwrap();
        assert_eq!(d.phone, "+91 98450 12345");
        assert_eq!(d.email.as_deref(), Some("asha@example.com"));
        assert_eq!(d.emergency_contact_relationship, "Brother");
    }

    #[test]
    fn every_field_may_be_left_empty() {
        let d = parse_contact_details(&ContactDetailsInput::default()).unwrap();
        assert_eq!(d, ContactDetails::default());
    }

    #[test]
    fn each_field_refuses_what_it_cannot_hold_by_its_name() {
        let long = "x".repeat(301);
        type Set = fn(&mut ContactDetailsInput, String);
        let cases: Vec<(Set, &str, String)> = vec![
            (|i, v| i.phone = v, "phone", "call me".into()),
            (|i, v| i.phone = v, "phone", "1234567890123456".into()),
            (|i, v| i.email = v, "email", "not-an-email".into()),
            (
                |i, v| i.email = v,
                "email",
                format!("{}@example.com", "a".repeat(300)),
            ),
            (|i, v| i.address = v, "address", long.clone()),
            (|i, v| i.address = v, "address", "line\u{0}".into()),
            (|i, v| i.city = v, "city", "x".repeat(101)),
            (|i, v| i.state = v, "state", "x".repeat(101)),
            (|i, v| i.postal_code = v, "postal_code", "560 001!".into()),
            (|i, v| i.postal_code = v, "postal_code", "1".repeat(17)),
            (
                |i, v| i.emergency_contact_relationship = v,
                "emergency_contact_relationship",
                "x".repeat(51),
            ),
        ];
        for (set, field, value) in cases {
            let mut input = valid();
            set(&mut input, value.clone());
            let err = parse_contact_details(&input).unwrap_err();
            assert!(
                err.field_message(field).is_some(),
                "{field} accepted {value:?}"
            );
        }
    }

    #[test]
    fn an_emergency_contact_needs_both_a_name_and_a_phone() {
        let mut input = valid();
        input.emergency_contact_phone.clear();
        let err = parse_contact_details(&input).unwrap_err();
        assert!(err.field_message("emergency_contact_phone").is_some());
        let mut input = valid();
        input.emergency_contact_name.clear();
        let err = parse_contact_details(&input).unwrap_err();
        assert!(err.field_message("emergency_contact_name").is_some());
    }

    #[test]
    fn the_form_starts_from_the_record() {
        let record = PatientDetails {
            id: uuid::Uuid::nil(),
            patient_number: "PT-2026-00001".into(),
            given_name: "Asha".into(),
            family_name: "Rao".into(),
            date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            sex: "female".into(),
            phone: "+91 98450 12345".into(),
            email: None,
            address: "12 MG Road".into(),
            city: "Bengaluru".into(),
            blood_group: None,
            emergency_contact_name: String::new(),
            emergency_contact_phone: String::new(),
            registered_at: chrono::Utc::now(),
            state: String::new(),
            postal_code: String::new(),
            preferred_language: String::new(),
            emergency_contact_relationship: String::new(),
            id_type: "none".into(),
            id_number_masked: None,
            status: "registered".into(),
            updated_at: chrono::Utc::now(),
        };
        let input = ContactDetailsInput::from_record(&record);
        assert_eq!(input.phone, record.phone);
        assert_eq!(input.email, "");
        assert_eq!(input.address, "12 MG Road");
    }
}
