//! Building query strings for links that must work without JavaScript.

/// Percent-encodes a query-string value (RFC 3986 unreserved characters pass).
pub fn encode_query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&…`, leaving out empty values.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_and_empty_ones_dropped() {
        assert_eq!(
            with_query(
                "/clinics",
                &[("q", "St John's & Co"), ("page", "2"), ("sort", "")]
            ),
            "/clinics?q=St+John%27s+%26+Co&page=2"
        );
        assert_eq!(with_query("/clinics", &[]), "/clinics");
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }
}
