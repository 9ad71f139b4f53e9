//! Screens requests to server functions (`/fn/...`) before Leptos sees them:
//! unknown functions and wrong methods, unsupported content types and
//! oversized bodies get a clear 4xx without the body being read or logged.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::AppError;
use crate::server::state::AppState;

/// Where server functions are served (`#[server(prefix = "/fn", …)]`):
/// the web app's own calls, apart from the public API's `/api/v1`.
pub const API_PREFIX: &str = "/fn/";

/// Content types a server function accepts: URL-encoded forms (the default
/// encoding, and what a form posts without JavaScript) and JSON.
const ACCEPTED_TYPES: &[&str] = &["application/x-www-form-urlencoded", "application/json"];

pub async fn guard_server_fns(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !path.starts_with(API_PREFIX) {
        return next.run(req).await;
    }
    let registered: Vec<Method> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(p, _)| *p == path)
        .map(|(_, m)| m)
        .collect();
    if registered.is_empty() {
        return json_error(StatusCode::NOT_FOUND, AppError::NotFound);
    }
    if !registered.contains(req.method()) {
        let allow = registered
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let mut res = json_error(
            StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadRequest(format!("Use {allow} for this request.")),
        );
        if let Ok(v) = allow.parse() {
            res.headers_mut().insert(header::ALLOW, v);
        }
        return res;
    }
    if req.method() != Method::GET {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            });
        if !content_type
            .as_deref()
            .is_some_and(|t| ACCEPTED_TYPES.contains(&t))
        {
            return json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                AppError::BadRequest(
                    "Send this request as a form (application/x-www-form-urlencoded) or as JSON."
                        .into(),
                ),
            );
        }
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > state.config.max_body_bytes) {
            return json_error(StatusCode::PAYLOAD_TOO_LARGE, AppError::PayloadTooLarge);
        }
    }
    next.run(req).await
}

fn json_error(status: StatusCode, error: AppError) -> Response {
    let mut res = error.into_response();
    *res.status_mut() = status;
    res
}
