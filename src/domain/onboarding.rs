//! "Register your hospital": the plans, the three steps of the form, and
//! what a platform admin sees and decides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::accounts::check_phone;
use super::auth::{Email, MAX_EMAIL_CHARS};
use super::{AppError, FieldErrors};

/// How long a trial lasts; other plans do not end.
pub const TRIAL_DAYS: i32 = 30;
/// Hours the email confirmation link works.
pub const VERIFY_HOURS: i64 = 24;
pub const MAX_HOSPITAL_NAME_CHARS: usize = 200;
pub const MAX_ADDRESS_CHARS: usize = 500;
pub const MAX_IDENTIFIER_CHARS: usize = 64;
pub const MAX_REASON_CHARS: usize = 1000;

/// What a clinic pays for, and what it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    Trial,
    Basic,
    Professional,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Trial, Plan::Basic, Plan::Professional];

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Trial => "trial",
            Plan::Basic => "basic",
            Plan::Professional => "professional",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Trial => "Trial",
            Plan::Basic => "Basic",
            Plan::Professional => "Professional",
        }
    }

    /// Doctors and heads of department on staff at once.
    pub fn max_doctors(self) -> i32 {
        match self {
            Plan::Trial => 3,
            Plan::Basic => 15,
            Plan::Professional => 100,
        }
    }

    pub fn max_patients(self) -> i32 {
        match self {
            Plan::Trial => 200,
            Plan::Basic => 10_000,
            Plan::Professional => 250_000,
        }
    }

    pub fn summary(self) -> String {
        let patients = match self.max_patients() {
            n if n >= 1000 => format!("{},{:03}", n / 1000, n % 1000),
            n => n.to_string(),
        };
        let base = format!(
            "up to {} doctors and {patients} patients",
            self.max_doctors()
        );
        match self {
            Plan::Trial => format!("30 days free, {base}"),
            _ => base,
        }
    }
}

/// Step 1: the hospital.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HospitalDetails {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub registration_number: String,
    pub tax_id: String,
}

/// Step 2: the first administrator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirstAdmin {
    pub name: String,
    pub email: String,
}

/// The steps done so far (kept in the browser's session between steps),
/// and what was last typed in each, valid or not: a form sent back with an
/// error keeps its values even without JavaScript.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationDraft {
    pub hospital: Option<HospitalDetails>,
    pub admin: Option<FirstAdmin>,
    pub typed_hospital: Option<HospitalDetails>,
    pub typed_admin: Option<FirstAdmin>,
}

pub fn parse_hospital(input: &HospitalDetails) -> Result<HospitalDetails, AppError> {
    let mut errors = FieldErrors::new();
    let name = text(
        &mut errors,
        "name",
        &input.name,
        MAX_HOSPITAL_NAME_CHARS,
        "Enter the hospital's name.",
    );
    let address = text(
        &mut errors,
        "address",
        &input.address,
        MAX_ADDRESS_CHARS,
        "Enter the hospital's address.",
    );
    let phone = input.phone.trim().to_string();
    if phone.is_empty() {
        errors.add("phone", "Enter the hospital's phone number.");
    } else if let Some(m) = check_phone(&phone) {
        errors.add("phone", m);
    }
    let email = email(&mut errors, "email", &input.email);
    let registration_number = identifier(
        &mut errors,
        "registration_number",
        &input.registration_number,
        "Enter the hospital's registration number.",
    );
    let tax_id = identifier(
        &mut errors,
        "tax_id",
        &input.tax_id,
        "Enter the hospital's tax id.",
    );
    errors.finish(HospitalDetails {
        name,
        address,
        phone,
        email,
        registration_number,
        tax_id,
    })
}

/// Typed values are kept in the draft (to show the form again) only when of
/// a sane size: the session is no place for megabytes.
pub fn keepable(bytes: usize) -> bool {
    bytes <= 8 * 1024
}

pub fn parse_first_admin(input: &FirstAdmin) -> Result<FirstAdmin, AppError> {
    let mut errors = FieldErrors::new();
    let name = text(
        &mut errors,
        "admin_name",
        &input.name,
        MAX_HOSPITAL_NAME_CHARS,
        "Enter the administrator's name.",
    );
    let email = email(&mut errors, "admin_email", &input.email);
    errors.finish(FirstAdmin { name, email })
}

pub fn parse_plan(input: &str) -> Result<Plan, AppError> {
    Plan::parse(input).ok_or_else(|| AppError::validation("plan", "Choose a plan."))
}

fn text(errors: &mut FieldErrors, field: &str, raw: &str, max: usize, missing: &str) -> String {
    let value = raw.trim().to_string();
    if value.is_empty() {
        errors.add(field, missing);
    } else if value.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        errors.add(field, "Use letters, digits, spaces and punctuation only.");
    }
    value
}

fn identifier(errors: &mut FieldErrors, field: &str, raw: &str, missing: &str) -> String {
    let value = text(errors, field, raw, MAX_IDENTIFIER_CHARS, missing);
    if !value.is_empty()
        && !errors.has(field)
        && !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -/.".contains(c))
    {
        errors.add(field, "Use letters, digits, spaces and - / . only.");
    }
    value
}

fn email(errors: &mut FieldErrors, field: &str, raw: &str) -> String {
    if raw.chars().count() > MAX_EMAIL_CHARS * 2 {
        errors.add(field, "That email address is too long.");
        return String::new();
    }
    match Email::parse(raw) {
        Ok(e) => e.as_str().to_owned(),
        Err(m) => {
            errors.add(field, m);
            raw.trim().to_owned()
        }
    }
}

/// A web address for the clinic from its name: "St. Mary's Hospital" →
/// "st-marys-hospital".
pub fn suggest_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if c != '\'' && c != '’' && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(48).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 2 {
        "clinic".into()
    } else {
        slug
    }
}

/// The clinic's web address as the approving admin typed it.
pub fn parse_slug(raw: &str) -> Result<String, AppError> {
    let s = raw.trim().to_string();
    if super::clinics::is_slug(&s) {
        Ok(s)
    } else {
        Err(AppError::validation(
            "slug",
            "Use 2 to 48 lowercase letters, digits and hyphens.",
        ))
    }
}

pub fn parse_rejection_reason(raw: &str) -> Result<String, AppError> {
    let reason = raw.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::validation(
            "reason",
            "Say why, for the hospital's email.",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::validation(
            "reason",
            "Use at most 1000 characters.",
        ));
    }
    Ok(reason)
}

/// A verified request as the platform admin reviews it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingRegistration {
    pub id: Uuid,
    pub hospital: HospitalDetails,
    pub admin: FirstAdmin,
    pub plan: Plan,
    pub requested_at: DateTime<Utc>,
    pub suggested_slug: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hospital() -> HospitalDetails {
        HospitalDetails {
            name: " St Mary's Hospital ".into(),
            address: "1 Harbour Road, Northfield".into(),
            phone: "+44 20 7946 0000".into(),
            email: "Office@StMarys.example".into(),
            registration_number: "REG-2026/114".into(),
            tax_id: "GB 123 4567 89".into(),
        }
    }

    #[test]
    fn plans_carry_their_limits() {
        assert_eq!(Plan::Trial.max_doctors(), 3);
        assert!(Plan::Basic.max_patients() < Plan::Professional.max_patients());
        assert_eq!(Plan::parse("basic"), Some(Plan::Basic));
        assert_eq!(Plan::parse("enterprise"), None);
        assert_eq!(
            Plan::Professional.summary(),
            "up to 100 doctors and 250,000 patients"
        );
        assert!(Plan::Trial.summary().starts_with("30 days free"));
    }

    #[test]
    fn hospital_details_are_trimmed_and_checked_by_field() {
        let ok = parse_hospital(&hospital()).unwrap();
        assert_eq!(ok.name, "St Mary's Hospital");
        assert_eq!(ok.email, "office@stmarys.example");
        let bad = parse_hospital(&HospitalDetails {
            name: "x".repeat(201),
            address: "".into(),
            phone: "call us".into(),
            email: "not-an-email".into(),
            registration_number: "REG;drop".into(),
            tax_id: "".into(),
        })
        .unwrap_err();
        for field in [
            "name",
            "address",
            "phone",
            "email",
            "registration_number",
            "tax_id",
        ] {
            assert!(bad.field_message(field).is_some(), "{field}");
        }
        let empty = parse_hospital(&HospitalDetails::default()).unwrap_err();
        assert_eq!(
            empty.field_message("phone"),
            Some("Enter the hospital's phone number.")
        );
    }

    #[test]
    fn the_first_admin_needs_a_name_and_an_email() {
        let ok = parse_first_admin(&FirstAdmin {
            name: "Ada Obi".into(),
            email: "ADA@stmarys.example".into(),
        })
        .unwrap();
        assert_eq!(ok.email, "ada@stmarys.example");
        let bad = parse_first_admin(&FirstAdmin {
            name: "".into(),
            email: "x".repeat(2000),
        })
        .unwrap_err();
        assert!(bad.field_message("admin_name").is_some());
        assert_eq!(
            bad.field_message("admin_email"),
            Some("That email address is too long.")
        );
        assert!(
            parse_plan("gold")
                .unwrap_err()
                .field_message("plan")
                .is_some()
        );
    }

    #[test]
    fn slugs_are_suggested_from_names_and_checked() {
        assert_eq!(suggest_slug("St. Mary's Hospital"), "st-marys-hospital");
        assert_eq!(suggest_slug("  Ørsted -- Clinic!! "), "rsted-clinic");
        assert_eq!(suggest_slug("?"), "clinic");
        assert_eq!(suggest_slug(&"a".repeat(80)).len(), 48);
        assert_eq!(parse_slug(" riverside-2 ").unwrap(), "riverside-2");
        for bad in [
            "",
            "a",
            "-abc",
            "abc-",
            "Upper",
            "with space",
            &"a".repeat(49),
        ] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
        assert!(parse_rejection_reason("  ").is_err());
        assert!(parse_rejection_reason(&"x".repeat(1001)).is_err());
    }
}
