//! Records' versions on the wire: the `ETag` a read answers with and the
//! `If-Match` an update must send, so that an edit made from an older copy
//! is refused (412) rather than silently undoing someone else's.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use chrono::{DateTime, Utc};

use super::errors::ApiError;

/// A record's `ETag`: when it last changed, in microseconds (the
/// database's precision), quoted. Strong: it names exactly one state.
pub fn etag(updated_at: DateTime<Utc>) -> HeaderValue {
    // Digits and quotes only: always a valid header value.
    HeaderValue::from_str(&format!("\"{}\"", updated_at.timestamp_micros()))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// The version an update was made from, from `If-Match`.
pub struct IfMatch(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let sent: Vec<_> = parts.headers.get_all(header::IF_MATCH).iter().collect();
        Ok(IfMatch(match sent.as_slice() {
            [] => None,
            [one] => Some(String::from_utf8_lossy(one.as_bytes()).into_owned()),
            // A list of versions: only one can be current, and this one must.
            _ => Some(String::new()),
        }))
    }
}

impl IfMatch {
    /// The version named, or why the update may not go ahead: none sent
    /// (428), or one that names no state of any record (412: it cannot
    /// match; `*` and weak tags are refused too, as they guard nothing).
    pub fn version(&self) -> Result<DateTime<Utc>, ApiError> {
        let sent = self
            .0
            .as_deref()
            .ok_or_else(ApiError::precondition_required)?;
        parse(sent).ok_or_else(ApiError::precondition_failed)
    }
}

fn parse(sent: &str) -> Option<DateTime<Utc>> {
    let micros = sent.trim().strip_prefix('"')?.strip_suffix('"')?;
    if micros.is_empty() || !micros.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    DateTime::from_timestamp_micros(micros.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_names_the_version_it_was_made_from() {
        let at = DateTime::from_timestamp_micros(1_796_000_000_123_456).unwrap();
        let tag = etag(at);
        assert_eq!(tag.to_str().unwrap(), "\"1796000000123456\"");
        assert_eq!(parse(tag.to_str().unwrap()), Some(at));
    }

    #[test]
    fn weak_wildcard_and_malformed_tags_match_nothing() {
        for bad in [
            "*",
            "W/\"1796000000123456\"",
            "1796000000123456",
            "\"\"",
            "\"12a\"",
            "\"1\", \"2\"",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn no_if_match_is_428_and_a_bad_one_412() {
        assert_eq!(IfMatch(None).version().unwrap_err().status().as_u16(), 428);
        assert_eq!(
            IfMatch(Some("*".into()))
                .version()
                .unwrap_err()
                .status()
                .as_u16(),
            412
        );
    }
}
