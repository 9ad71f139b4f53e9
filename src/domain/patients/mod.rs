//! Patients as the pages show them, and the rules for finding them.

pub mod contact_details;
pub mod identity_document;
pub mod registration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use registration::DuplicateReason;

/// A line in a patient list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatientSummary {
    pub id: Uuid,
    pub patient_number: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub phone: String,
}

/// The patient record page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatientDetails {
    pub id: Uuid,
    pub patient_number: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub city: String,
    pub blood_group: Option<String>,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub registered_at: DateTime<Utc>,
    pub state: String,
    pub postal_code: String,
    pub preferred_language: String,
    pub emergency_contact_relationship: String,
    /// `identity_document::IdType`'s stored name.
    pub id_type: String,
    /// The document's number, masked to its last four.
    pub id_number_masked: Option<String>,
    /// `PatientStatus`'s stored name.
    pub status: String,
    /// When the record last changed: its version (the API's `ETag`, the
    /// edit form's guard against lost updates).
    pub updated_at: DateTime<Utc>,
}

/// The front desk's edit form: the record's number and name, what the form
/// holds (the record, or a refused save as typed) and the record's version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PatientEditPage {
    pub patient_number: String,
    pub name: String,
    pub typed: registration::RegistrationInput,
    /// When the record last changed (RFC 3339), sent back with the save.
    pub version: String,
}

/// Where a patient is in the hospital's workflows (moved by later ones:
/// consultation, admission, discharge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatientStatus {
    Registered,
    InConsultation,
    UnderTreatment,
    Admitted,
    Discharged,
    Deceased,
}

impl PatientStatus {
    pub const ALL: [PatientStatus; 6] = [
        PatientStatus::Registered,
        PatientStatus::InConsultation,
        PatientStatus::UnderTreatment,
        PatientStatus::Admitted,
        PatientStatus::Discharged,
        PatientStatus::Deceased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PatientStatus::Registered => "registered",
            PatientStatus::InConsultation => "in_consultation",
            PatientStatus::UnderTreatment => "under_treatment",
            PatientStatus::Admitted => "admitted",
            PatientStatus::Discharged => "discharged",
            PatientStatus::Deceased => "deceased",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PatientStatus::Registered => "Registered",
            PatientStatus::InConsultation => "In consultation",
            PatientStatus::UnderTreatment => "Under treatment",
            PatientStatus::Admitted => "Admitted",
            PatientStatus::Discharged => "Discharged",
            PatientStatus::Deceased => "Deceased",
        }
    }
}

/// The printable label or card of a patient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientLabel {
    pub id: Uuid,
    pub name: String,
    pub patient_number: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub clinic_name: String,
    /// The patient number as a QR code (an SVG data URI), for scanners.
    pub qr: String,
}

/// A registered patient who may be the person being registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PossibleDuplicate {
    pub patient: PatientSummary,
    pub reasons: Vec<DuplicateReason>,
}

/// The registration page: what was typed last (kept while the form is
/// corrected), and the possible duplicates awaiting a decision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationPage {
    pub typed: registration::RegistrationInput,
    pub duplicates: Vec<PossibleDuplicate>,
}

/// Age in whole years on `today`.
pub fn age_on(date_of_birth: NaiveDate, today: NaiveDate) -> u32 {
    today.years_since(date_of_birth).unwrap_or(0)
}

pub const MAX_PATIENT_QUERY_CHARS: usize = 100;

/// What a front-desk search box can hold, as the database is asked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatientQuery {
    /// No search: the most recently registered patients.
    Recent,
    /// The start of a patient number, lowercased.
    Number(String),
    /// The last digits of a phone number (without a leading trunk 0).
    PhoneDigits(String),
    /// One or two name parts, lowercased: each the start of a given or family name.
    Name(String, Option<String>),
}

pub fn parse_patient_query(raw: &str) -> Result<PatientQuery, &'static str> {
    let q = raw.trim();
    if q.is_empty() {
        return Ok(PatientQuery::Recent);
    }
    if q.chars().count() > MAX_PATIENT_QUERY_CHARS {
        return Err("Search with at most 100 characters.");
    }
    if q.chars().any(char::is_control) {
        return Err("Search with letters, digits and spaces only.");
    }
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if phone_like {
        // A whole national number's trunk 0 is not stored ("+44 7700…");
        // the zeros of a short tail ("0321") are part of it.
        let digits = if digits.len() >= 10 {
            digits.trim_start_matches('0').to_string()
        } else {
            digits
        };
        if digits.len() < 4 {
            return Err("Enter at least 4 digits of a phone number.");
        }
        return Ok(PatientQuery::PhoneDigits(digits));
    }
    // Patient numbers look like PT-2026-00042 (or RGH-0000123 from an
    // earlier system): letters, dashes, digits.
    if q.contains('-') && q.chars().any(|c| c.is_ascii_digit()) && !q.contains(' ') {
        return Ok(PatientQuery::Number(q.to_lowercase()));
    }
    let mut parts = q.split_whitespace().map(str::to_lowercase);
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    if parts.next().is_some() {
        return Err("Search with one or two names, like “Grace Okafor”.");
    }
    if first.chars().count() < 2 {
        return Err("Enter at least 2 letters of a name.");
    }
    Ok(PatientQuery::Name(first, second))
}

/// What the search page's address carries instead of the words searched
/// for: 32 hexadecimal digits, meaningful only to the session that made it
/// (`server::patients::searches`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHandle(String);

impl SearchHandle {
    /// A handle as it appears in an address, or `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The pages that search patients, which a search goes back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchFrom {
    Reception,
    Patients,
    /// The booking page, choosing whom an appointment is for.
    Booking,
}

impl SearchFrom {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "reception" => Some(Self::Reception),
            "patients" => Some(Self::Patients),
            "booking" => Some(Self::Booking),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reception => "reception",
            Self::Patients => "patients",
            Self::Booking => "booking",
        }
    }

    /// The page under `/c/{slug}/` that shows the results.
    pub fn path(self) -> &'static str {
        match self {
            Self::Reception => "reception",
            Self::Patients => "patients",
            Self::Booking => "appointments/new",
        }
    }
}

/// What a search started on the booking page carries to its results: the
/// department, doctor, day and time already chosen there (on the
/// calendar), so picking the patient keeps them. Each is optional; a malformed one means a tampered or stale
/// form, refused rather than dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BookingChoice {
    pub department: Option<Uuid>,
    pub doctor: Option<Uuid>,
    pub day: Option<NaiveDate>,
    /// The free time picked on the calendar, to preselect.
    pub at: Option<DateTime<Utc>>,
}

impl BookingChoice {
    pub fn parse(
        department: &str,
        doctor: &str,
        day: &str,
        at: &str,
    ) -> Result<Self, &'static str> {
        const STALE: &str = "This form is out of date: open the booking page again.";
        let id = |raw: &str| match raw.trim() {
            "" => Ok(None),
            v => Uuid::parse_str(v).map(Some).map_err(|_| STALE),
        };
        let day = match day.trim() {
            "" => None,
            v => Some(NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| STALE)?),
        };
        let at = match at.trim() {
            "" => None,
            v => Some(
                DateTime::parse_from_rfc3339(v)
                    .map_err(|_| STALE)?
                    .with_timezone(&Utc),
            ),
        };
        Ok(Self {
            department: id(department)?,
            doctor: id(doctor)?,
            day,
            at,
        })
    }

    /// As query pairs, in the booking page's names (empty ones dropped by
    /// `url::with_query`).
    pub fn query(&self) -> [(&'static str, String); 4] {
        let text = |v: Option<Uuid>| v.map(|v| v.to_string()).unwrap_or_default();
        [
            ("department", text(self.department)),
            ("doctor", text(self.doctor)),
            ("day", self.day.map(|d| d.to_string()).unwrap_or_default()),
            ("at", self.at.map(|a| a.to_rfc3339()).unwrap_or_default()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_read_as_numbers_phones_or_names() {
        assert_eq!(parse_patient_query("  "), Ok(PatientQuery::Recent));
        assert_eq!(
            parse_patient_query("PT-2026-00042"),
            Ok(PatientQuery::Number("pt-2026-00042".into()))
        );
        assert_eq!(
            parse_patient_query("RGH-00012"),
            Ok(PatientQuery::Number("rgh-00012".into()))
        );
        assert_eq!(
            parse_patient_query("07700 900123"),
            Ok(PatientQuery::PhoneDigits("7700900123".into()))
        );
        assert_eq!(
            parse_patient_query("+44 7700 900123"),
            Ok(PatientQuery::PhoneDigits("447700900123".into()))
        );
        assert_eq!(
            parse_patient_query("0321"),
            Ok(PatientQuery::PhoneDigits("0321".into()))
        );
        assert_eq!(
            parse_patient_query("Okafor"),
            Ok(PatientQuery::Name("okafor".into(), None))
        );
        assert_eq!(
            parse_patient_query("Grace  Okafor"),
            Ok(PatientQuery::Name("grace".into(), Some("okafor".into())))
        );
    }

    #[test]
    fn a_booking_search_carries_only_well_formed_choices() {
        let dep = "01a25397-e173-77f4-9fa8-85acfd681565";
        let choice =
            BookingChoice::parse(dep, "", "2026-12-09", "2026-12-09T10:30:00+05:30").unwrap();
        assert_eq!(
            choice.query(),
            [
                ("department", dep.to_string()),
                ("doctor", String::new()),
                ("day", "2026-12-09".to_string()),
                ("at", "2026-12-09T05:00:00+00:00".to_string()),
            ]
        );
        assert_eq!(
            BookingChoice::parse("", "", "", ""),
            Ok(BookingChoice::default())
        );
        assert!(BookingChoice::parse("cardiology", "", "", "").is_err());
        assert!(BookingChoice::parse("", dep, "9 December", "").is_err());
        assert!(BookingChoice::parse("", "", "2026-02-30", "").is_err());
        assert!(BookingChoice::parse("", "", "", "10:30").is_err());
        assert_eq!(
            SearchFrom::parse("booking").map(SearchFrom::path),
            Some("appointments/new")
        );
        assert_eq!(SearchFrom::parse("../admin"), None);
    }

    #[test]
    fn unusable_searches_say_why() {
        assert!(parse_patient_query("12").is_err());
        assert!(parse_patient_query("a").is_err());
        assert!(parse_patient_query("one two three").is_err());
        assert!(parse_patient_query(&"x".repeat(101)).is_err());
        assert!(parse_patient_query("a\u{0}b").is_err());
    }

    #[test]
    fn age_counts_whole_years() {
        let dob = NaiveDate::from_ymd_opt(2000, 6, 15).unwrap();
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()),
            25
        );
        assert_eq!(
            age_on(dob, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()),
            26
        );
    }

    #[test]
    fn search_handles_are_32_lowercase_hex_digits_and_nothing_else() {
        let good = "0123456789abcdef0123456789abcdef";
        assert_eq!(SearchHandle::parse(good).unwrap().as_str(), good);
        for bad in [
            "",
            "smith",
            &good.to_uppercase(),
            &good[1..],
            &format!("{good}0"),
            "0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(SearchHandle::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn searches_go_back_to_the_two_search_pages_only() {
        for from in [SearchFrom::Reception, SearchFrom::Patients] {
            assert_eq!(SearchFrom::parse(from.as_str()), Some(from));
        }
        assert_eq!(SearchFrom::parse("../admin"), None);
        assert_eq!(SearchFrom::parse("https://evil.example"), None);
    }
}
