//! The answer while the database is away: 503 at once, never a sign-out.
//! A page gets a small static page that reloads itself; a server function or
//! API call gets the usual typed error.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::domain::AppError;

/// How long a client should wait before asking again.
const RETRY_AFTER_SECS: &str = "5";

pub fn unavailable(req: &Request) -> Response {
    let page = req.method() == Method::GET && !req.uri().path().starts_with("/fn/");
    let mut res = if page {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Html(include_str!("unavailable_page.html")),
        )
            .into_response()
    } else {
        AppError::Unavailable.into_response()
    };
    let headers = res.headers_mut();
    headers.insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECS),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
