//! Cross-site request refusal: a request that changes something must come
//! from a page of this site, as its Origin (or, failing that, Referer) shows.
//! SameSite=Lax cookies stop most cross-site posts already; this also covers
//! browsers and paths where they do not.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::state::AppState;

pub async fn same_origin_mutations(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = site_origin(&state.config.base_url);
    if is_same_origin(req.headers(), expected) {
        return next.run(req).await;
    }
    tracing::warn!("cross-site or unlabelled mutation refused");
    (
        StatusCode::FORBIDDEN,
        "This request did not come from an HMS page and was refused. Reload the page and try again.",
    )
        .into_response()
}

/// `scheme://host[:port]` of the base URL.
pub fn site_origin(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map(|i| i + 3).unwrap_or(0);
    match base_url[after_scheme..].find('/') {
        Some(i) => &base_url[..after_scheme + i],
        None => base_url,
    }
}

fn is_same_origin(headers: &axum::http::HeaderMap, expected: &str) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.as_bytes() == expected.as_bytes();
    }
    match headers.get(header::REFERER).and_then(|v| v.to_str().ok()) {
        Some(referer) => {
            referer == expected
                || referer
                    .strip_prefix(expected)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_is_the_scheme_host_and_port() {
        assert_eq!(
            site_origin("https://hms.example/app"),
            "https://hms.example"
        );
        assert_eq!(
            site_origin("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        );
    }

    #[test]
    fn only_this_sites_pages_may_post() {
        let site = "https://hms.example";
        assert!(is_same_origin(
            &headers(&[("origin", "https://hms.example")]),
            site
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            site
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), site));
        // Origin decides when present, whatever the Referer says.
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("referer", "https://hms.example/login")
            ]),
            site
        ));
        assert!(is_same_origin(
            &headers(&[("referer", "https://hms.example/login")]),
            site
        ));
        assert!(!is_same_origin(
            &headers(&[("referer", "https://hms.example.evil.example/")]),
            site
        ));
        assert!(!is_same_origin(&headers(&[]), site));
    }
}
