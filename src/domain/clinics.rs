//! Clinics (tenants) as the public directory shows them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::paging::SortDirection;

/// Whether `s` can be a clinic's web address: 2 to 48 lowercase letters,
/// digits and inner hyphens. Checked before any slug from a URL or form
/// reaches SQL, so that nothing else (a NUL byte, a megabyte) ever does.
pub fn is_slug(s: &str) -> bool {
    (2..=48).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// What anyone may see of an active clinic: enough to find it and call it.
/// A clinic's status (`clinics.status`) in words.
pub fn clinic_status_label(status: &str) -> &str {
    match status {
        "active" => "Active",
        "suspended" => "Suspended",
        "closed" => "Closed",
        other => other,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinicListing {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub timezone: String,
}

/// Columns the clinic directory can be sorted by. A closed set, so a sort
/// request can never inject SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClinicSortKey {
    Name,
    Address,
}

impl ClinicSortKey {
    pub fn as_str(self) -> &'static str {
        match self {
            ClinicSortKey::Name => "name",
            ClinicSortKey::Address => "address",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "name" => Some(ClinicSortKey::Name),
            "address" => Some(ClinicSortKey::Address),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicSort {
    pub key: ClinicSortKey,
    pub direction: SortDirection,
}

impl Default for ClinicSort {
    fn default() -> Self {
        Self {
            key: ClinicSortKey::Name,
            direction: SortDirection::Asc,
        }
    }
}

impl ClinicSort {
    /// Reads `sort` and `dir` query values; unknown values mean the default order.
    pub fn from_query(sort: Option<&str>, dir: Option<&str>) -> Self {
        let default = Self::default();
        Self {
            key: sort.and_then(ClinicSortKey::parse).unwrap_or(default.key),
            direction: dir
                .and_then(SortDirection::parse)
                .unwrap_or(default.direction),
        }
    }
}

/// Longest search text accepted by the directory; longer input is rejected
/// rather than truncated so the user sees why nothing matched.
pub const MAX_DIRECTORY_QUERY_CHARS: usize = 100;

/// Trims and checks a directory search; `Ok(None)` means no filter.
pub fn parse_directory_query(raw: &str) -> Result<Option<String>, String> {
    let q = raw.trim();
    if q.is_empty() {
        return Ok(None);
    }
    if q.chars().count() > MAX_DIRECTORY_QUERY_CHARS {
        return Err(format!(
            "Search text can be at most {MAX_DIRECTORY_QUERY_CHARS} characters."
        ));
    }
    if q.chars().any(char::is_control) {
        return Err("Search text contains characters that are not allowed.".into());
    }
    Ok(Some(q.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_slugs_are_slugs() {
        for ok in ["riverside", "st-marys-2", "ab"] {
            assert!(is_slug(ok), "{ok}");
        }
        let long = "a".repeat(49);
        for bad in [
            "",
            "a",
            "river\0side",
            "River",
            "-river",
            "river-",
            "río",
            long.as_str(),
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn unknown_sort_values_fall_back_to_name_ascending() {
        assert_eq!(
            ClinicSort::from_query(Some("id; drop"), Some("sideways")),
            ClinicSort::default()
        );
        let s = ClinicSort::from_query(Some("address"), Some("desc"));
        assert_eq!(s.key, ClinicSortKey::Address);
        assert_eq!(s.direction, SortDirection::Desc);
    }

    #[test]
    fn directory_queries_are_trimmed_and_bounded() {
        assert_eq!(parse_directory_query("   "), Ok(None));
        assert_eq!(
            parse_directory_query("  river "),
            Ok(Some("river".to_string()))
        );
        assert!(parse_directory_query(&"x".repeat(101)).is_err());
        assert!(parse_directory_query(&"é".repeat(100)).is_ok());
        assert!(parse_directory_query("a\u{0}b").is_err());
    }
}
