//! Cache headers by what a response is: hashed bundle files never change,
//! other static files change rarely, pages carry live data and are never stored.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn cache_control(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let value = cache_policy(&path, res.status().is_success());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

fn cache_policy(path: &str, ok: bool) -> &'static str {
    if !ok {
        "no-store"
    } else if path.starts_with("/pkg/") && is_hashed(path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/") || path.starts_with("/icons/") || has_static_extension(path)
    {
        "public, max-age=3600"
    } else {
        // Pages and API answers carry patient data: never stored, so Back after
        // sign-out asks the server again instead of showing a cached page.
        "no-store"
    }
}

/// `hms.<hash>.js`: a name with a content hash between name and extension.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3 && parts[parts.len() - 2].len() >= 8
}

fn has_static_extension(path: &str) -> bool {
    [
        ".css",
        ".svg",
        ".png",
        ".ico",
        ".webmanifest",
        ".html",
        ".txt",
    ]
    .iter()
    .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_bundle_files_are_immutable() {
        assert_eq!(
            cache_policy("/pkg/hms.Xq3k9Lm2pQ7vRt.wasm", true),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_policy("/pkg/hms.js", true), "public, max-age=3600");
    }

    #[test]
    fn pages_and_errors_are_not_cached_long() {
        assert_eq!(cache_policy("/", true), "no-store");
        assert_eq!(cache_policy("/clinics", true), "no-store");
        assert_eq!(cache_policy("/pkg/hms.abcdefghij.js", false), "no-store");
        assert_eq!(
            cache_policy("/manifest.webmanifest", true),
            "public, max-age=3600"
        );
    }
}
