//! The API's one error shape: `{"status", "message", "errors", "request_id",
//! "timestamp"}`, whatever failed (a handler, a body that could not be read,
//! a route that does not exist). Built from [`AppError`], so it carries only
//! text fit for the client; internal causes were logged where they arose.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::AppError;

/// A failed API request. Answered with the status and message of its
/// [`AppError`], unless a handler says more precisely.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    errors: BTreeMap<String, Vec<String>>,
    /// For a 429: when to try again, in seconds.
    retry_after: Option<u64>,
}

impl ApiError {
    fn plain(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: BTreeMap::new(),
            retry_after: None,
        }
    }

    /// Over the request limit (429): try again after `secs`.
    pub fn rate_limited(secs: u64) -> Self {
        Self {
            retry_after: Some(secs),
            ..AppError::RateLimited.into()
        }
    }

    /// Not signed in, or the token is unknown, expired or revoked: `message`
    /// says which the client may know.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::plain(StatusCode::UNAUTHORIZED, message)
    }

    /// Refused for a reason the client may know (403).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::plain(StatusCode::FORBIDDEN, message)
    }

    /// A body sent as something other than JSON.
    pub fn unsupported_media_type() -> Self {
        Self::plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON (Content-Type: application/json).",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "This method is not allowed on this address.",
        )
    }

    /// An update sent without `If-Match` (428): it could undo an edit its
    /// sender never saw.
    pub fn precondition_required() -> Self {
        Self::plain(
            StatusCode::PRECONDITION_REQUIRED,
            "Send If-Match with the record's ETag (from reading it), so that \
             an edit made since is not overwritten.",
        )
    }

    /// An update made from an older copy of the record (412).
    pub fn precondition_failed() -> Self {
        Self::plain(
            StatusCode::PRECONDITION_FAILED,
            "The record changed after you read it, so nothing was saved. \
             Read it again (for its new ETag) and make your change again.",
        )
    }

    /// `e`'s message and fields answered as a conflict (409): the request
    /// was sound but lost to another made first (a time just booked).
    pub fn conflict(e: AppError) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            ..e.into()
        }
    }

    /// Adds a message by a field (and keeps the status).
    pub fn with_field(mut self, field: &str, message: &str) -> Self {
        push(&mut self.errors, field, message);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// `e` with its messages for the field `from` moved to `to`: a rule shared
/// with a page names the page's field, and the API's body may call it
/// something else.
pub fn rename_field(e: AppError, from: &str, to: &str) -> AppError {
    match e {
        AppError::Validation(mut fields) => {
            for f in fields.iter_mut().filter(|f| f.field == from) {
                f.field = to.to_owned();
            }
            AppError::Validation(fields)
        }
        other => other,
    }
}

fn push(errors: &mut BTreeMap<String, Vec<String>>, field: &str, message: &str) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(message.to_owned());
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status =
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut errors = BTreeMap::new();
        if let AppError::Validation(fields) = &e {
            for f in fields {
                push(&mut errors, &f.field, &f.message);
            }
        }
        Self {
            status,
            message: e.to_string(),
            errors,
            retry_after: None,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

/// Every error's body, as the OpenAPI document describes it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The HTTP status, repeated for clients that only see the body.
    pub status: u16,
    /// What went wrong, in words fit for the person using the client.
    pub message: String,
    /// Messages by field, for a request with invalid fields (else empty).
    pub errors: BTreeMap<String, Vec<String>>,
    /// The request's id (also in the `x-request-id` header): quote it
    /// when reporting a problem.
    pub request_id: Option<String>,
    /// When the error happened (RFC 3339, UTC).
    pub timestamp: String,
}

/// The error waiting for [`envelope`] to write it with the request's id.
#[derive(Clone, Debug)]
struct Unwritten {
    message: String,
    errors: BTreeMap<String, Vec<String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"hms\""),
            );
        }
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res.extensions_mut().insert(Unwritten {
            message: self.message,
            errors: self.errors,
        });
        res
    }
}

/// Middleware over the whole app, acting on `/api/`: writes every error in
/// the one shape, with the request's id (the one in the `x-request-id`
/// response header and the server's log) for the client to quote. An error
/// response made by a layer that knows nothing of the API (a body over the
/// size limit, a timeout) gets the shape too.
pub async fn envelope(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let res = next.run(req).await;
    let status = res.status();
    let unwritten = res.extensions().get::<Unwritten>().cloned();
    if unwritten.is_none() && !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let Unwritten { message, errors } = unwritten.unwrap_or_else(|| Unwritten {
        message: fallback_message(status),
        errors: BTreeMap::new(),
    });
    let body = ErrorBody {
        status: status.as_u16(),
        message,
        errors,
        request_id,
        timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let body = serde_json::to_string(&body).unwrap_or_default();
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The message for an error status that no handler of ours produced.
fn fallback_message(status: StatusCode) -> String {
    let known = match status {
        StatusCode::PAYLOAD_TOO_LARGE => Some(AppError::PayloadTooLarge),
        StatusCode::NOT_FOUND => Some(AppError::NotFound),
        StatusCode::TOO_MANY_REQUESTS => Some(AppError::RateLimited),
        StatusCode::SERVICE_UNAVAILABLE => Some(AppError::Unavailable),
        s if s.is_server_error() => Some(AppError::Internal),
        _ => None,
    };
    match known {
        Some(e) => e.to_string(),
        None if status == StatusCode::REQUEST_TIMEOUT => {
            "The request took too long. Please try again.".into()
        }
        None if status == StatusCode::METHOD_NOT_ALLOWED => {
            "This method is not allowed on this address.".into()
        }
        None => "The request could not be handled.".into(),
    }
}
