//! Keeps a refused no-JavaScript form's error out of the address bar.
//!
//! Without JavaScript a form posts to its server function, and a refusal is
//! answered with a redirect back to the form's page. Leptos puts the error
//! in that address (`?__path=/fn/auth/sign_in&__err=…`), where people see
//! it, bookmark it and pass it on. This moves those two parameters into a
//! one-minute cookie on the redirect, and puts them back on the next page
//! request inside the server, so the page renders the error beside its
//! field as before while the address stays clean.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::server::state::AppState;

const COOKIE: &str = "hms_form_outcome";
/// The parameters leptos writes (server_fn's `ServerFnUrlError`).
const KEYS: [&str; 2] = ["__path", "__err"];
/// An error of ours encodes to a few hundred bytes; anything longer is not one.
const MAX_LEN: usize = 3000;

pub async fn keep_out_of_urls(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let carried = super::request_cookie(req.headers(), COOKIE);
    if let Some(outcome) = carried.as_deref().filter(|_| req.method() == Method::GET)
        && let Some(uri) = with_outcome(req.uri(), outcome)
    {
        *req.uri_mut() = uri;
    }
    let mut res = next.run(req).await;
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    if res.status().is_redirection()
        && let Some(location) = res
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
        && let Some((clean, outcome)) = split_outcome(location)
        && let (Ok(clean), Ok(cookie)) = (
            HeaderValue::from_str(&clean),
            HeaderValue::from_str(&format!(
                "{COOKIE}={outcome}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{secure}"
            )),
        )
    {
        res.headers_mut().insert(header::LOCATION, clean);
        res.headers_mut().append(header::SET_COOKIE, cookie);
    } else if carried.is_some()
        && let Ok(clear) = HeaderValue::from_str(&format!(
            "{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
        ))
    {
        // Shown once: the page that rendered it has used it up.
        res.headers_mut().append(header::SET_COOKIE, clear);
    }
    res
}

/// `uri` with the outcome's parameters added, when the outcome is one (only
/// the two known keys, within the size) and the address has none already.
fn with_outcome(uri: &Uri, outcome: &str) -> Option<Uri> {
    let well_formed = !outcome.is_empty()
        && outcome.len() <= MAX_LEN
        && outcome.split('&').all(|pair| {
            pair.split_once('=').is_some_and(|(k, v)| {
                KEYS.contains(&k)
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"%-_.+*".contains(&b))
            })
        });
    let query = uri.query().unwrap_or_default();
    if !well_formed || query.split('&').any(is_outcome_pair) {
        return None;
    }
    let joined = if query.is_empty() {
        format!("{}?{outcome}", uri.path())
    } else {
        format!("{}?{query}&{outcome}", uri.path())
    };
    joined.parse().ok()
}

fn is_outcome_pair(pair: &str) -> bool {
    KEYS.iter().any(|k| pair.split('=').next() == Some(k))
}

/// A redirect's address without the outcome parameters, and those
/// parameters (`__path=…&__err=…`); None when it has none.
fn split_outcome(location: &str) -> Option<(String, String)> {
    let (base, rest) = location.split_once('?')?;
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let (outcome, kept): (Vec<&str>, Vec<&str>) = query
        .split('&')
        .filter(|p| !p.is_empty())
        .partition(|p| is_outcome_pair(p));
    if outcome.is_empty() {
        return None;
    }
    let mut clean = base.to_string();
    if !kept.is_empty() {
        clean.push('?');
        clean.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        clean.push('#');
        clean.push_str(f);
    }
    Some((clean, outcome.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_leaves_the_redirect_and_comes_back_on_the_page() {
        let (clean, outcome) = split_outcome(
            "http://127.0.0.1:3000/login?next=%2Fc%2Fx&__path=%2Ffn%2Fauth%2Fsign_in&__err=eyJ9",
        )
        .unwrap();
        assert_eq!(clean, "http://127.0.0.1:3000/login?next=%2Fc%2Fx");
        assert_eq!(outcome, "__path=%2Ffn%2Fauth%2Fsign_in&__err=eyJ9");
        let uri: Uri = "/login?next=%2Fc%2Fx".parse().unwrap();
        assert_eq!(
            with_outcome(&uri, &outcome).unwrap().to_string(),
            "/login?next=%2Fc%2Fx&__path=%2Ffn%2Fauth%2Fsign_in&__err=eyJ9"
        );
        let bare: Uri = "/login".parse().unwrap();
        assert_eq!(
            with_outcome(&bare, &outcome).unwrap().query(),
            Some(outcome.as_str())
        );
        assert_eq!(
            split_outcome("/login?__err=x").unwrap(),
            ("/login".to_string(), "__err=x".to_string())
        );
    }

    #[test]
    fn other_redirects_and_forged_cookies_are_left_alone() {
        assert_eq!(split_outcome("/c/x/patients?s=abc"), None);
        assert_eq!(split_outcome("/login"), None);
        let uri: Uri = "/login".parse().unwrap();
        assert_eq!(with_outcome(&uri, "next=/evil"), None);
        assert_eq!(with_outcome(&uri, "__err=a b"), None);
        assert_eq!(
            with_outcome(&uri, &format!("__err={}", "a".repeat(4000))),
            None
        );
        let already: Uri = "/login?__err=x".parse().unwrap();
        assert_eq!(with_outcome(&already, "__err=y"), None);
    }
}
