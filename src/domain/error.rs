//! The one error type that crosses the wire.
//!
//! Every variant carries only text that is safe to show a user. Internal causes
//! (database errors, I/O) are logged on the server where they are converted and
//! reach the browser as [`AppError::Internal`] with no detail.

use leptos::server_fn::{self, ServerFnError, codec::JsonEncoding, error::FromServerFnError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One invalid form field and what is wrong with it, shown next to the field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A form's field errors, gathered while parsing it, so that one answer
/// names every bad field at once (each domain parser collects into one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// The value of `result`, or `None` with its message recorded by `field`.
    pub fn check<T, M: Into<String>>(&mut self, field: &str, result: Result<T, M>) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    /// Takes in the field errors of a nested check; any other error is
    /// returned as it is.
    pub fn absorb(&mut self, result: Result<(), AppError>) -> Result<(), AppError> {
        match result {
            Err(AppError::Validation(fields)) => {
                self.0.extend(fields);
                Ok(())
            }
            other => other,
        }
    }

    /// Whether `field` already has a message (to report one problem per field).
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_fields(self) -> Vec<FieldError> {
        self.0
    }

    /// `value` when nothing was recorded, else every message as one error.
    pub fn finish<T>(self, value: T) -> Result<T, AppError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    /// The request itself is malformed (bad arguments, wrong encoding).
    #[error("{0}")]
    BadRequest(String),
    /// One or more fields are invalid; the form shows each message by its field.
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("The page or record you asked for does not exist.")]
    NotFound,
    /// The write clashes with existing data; the text says with what.
    #[error("{0}")]
    Conflict(String),
    #[error("The request is larger than the server accepts.")]
    PayloadTooLarge,
    #[error("Too many attempts. Please wait a moment and try again.")]
    RateLimited,
    #[error("The service is temporarily unavailable. Please try again shortly.")]
    Unavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Validation(_) => 422,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::PayloadTooLarge => 413,
            AppError::RateLimited => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// The message for one field, if this is a validation error naming it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Validation(fields) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            // The arguments could not be read: the client sent something malformed.
            E::Args(_) | E::MissingArg(_) => {
                AppError::BadRequest("The request could not be read.".into())
            }
            // On the server these mean the incoming request could not be read
            // (the client's fault; a body over the size limit says so). In the
            // browser they mean the server was unreachable or its answer unreadable.
            E::Request(m) | E::Deserialization(m) => {
                if !cfg!(feature = "ssr") {
                    AppError::Unavailable
                } else if m.contains("length limit exceeded") {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest("The request could not be read.".into())
                }
            }
            E::Response(_) => AppError::Unavailable,
            E::UnsupportedRequestMethod(_) => {
                AppError::BadRequest("This request method is not supported here.".into())
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(cause = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }

    fn ser(&self) -> bytes::Bytes {
        // The error leaves the server here, so this is where its HTTP status is
        // set: a malformed request is a 4xx, not the framework's blanket 500.
        // A plain HTML form post (no JavaScript) is answered with a redirect
        // back to its page carrying the error; a 4xx here would stop the
        // browser from following it.
        #[cfg(feature = "ssr")]
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(self.status_code())
            && !is_html_form_post()
        {
            options.set_status(status);
        }
        <Self::Encoder as server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| bytes::Bytes::from_static(br#""Internal""#))
    }

    /// An error body that is not ours (a proxy's HTML page, a truncated
    /// answer) means the server could not be reached properly.
    fn de(data: bytes::Bytes) -> Self {
        <Self::Encoder as server_fn::Decodes<Self>>::decode(data).unwrap_or(AppError::Unavailable)
    }
}

#[cfg(feature = "ssr")]
fn is_html_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

impl From<ServerFnError> for AppError {
    fn from(value: ServerFnError) -> Self {
        AppError::from_server_fn_error(server_fn::error::ServerFnErrorErr::ServerError(
            value.to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::error::ServerFnErrorErr;

    #[test]
    fn field_errors_gather_every_field_and_pass_other_errors_on() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            errors.check("age", "41".parse::<u32>().map_err(|_| "x")),
            Some(41)
        );
        assert_eq!(errors.check::<u32, _>("age", Err("Enter a number.")), None);
        errors.add("name", "Enter a name.");
        assert!(errors.has("age") && errors.has("name") && !errors.has("email"));
        assert_eq!(
            errors.absorb(Err(AppError::validation("email", "Enter an email."))),
            Ok(())
        );
        assert_eq!(
            errors.absorb(Err(AppError::Forbidden)),
            Err(AppError::Forbidden)
        );
        let err = errors.finish(()).unwrap_err();
        assert_eq!(err.field_message("age"), Some("Enter a number."));
        assert_eq!(err.field_message("email"), Some("Enter an email."));
        assert_eq!(FieldErrors::new().finish(7), Ok(7));
    }

    #[test]
    fn malformed_arguments_are_a_bad_request_not_an_internal_error() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("expected `,`".into()));
        assert_eq!(e.status_code(), 400);
        assert!(
            !e.to_string().contains("expected"),
            "parser detail leaked: {e}"
        );
    }

    #[test]
    fn internal_causes_never_reach_the_message() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"clinics\" does not exist".into(),
        ));
        assert_eq!(e, AppError::Internal);
        assert!(!e.to_string().contains("relation"));
    }

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::Unauthenticated.status_code(), 401);
        assert_eq!(AppError::validation("email", "x").status_code(), 422);
        assert_eq!(AppError::Conflict("taken".into()).status_code(), 409);
        assert_eq!(AppError::PayloadTooLarge.status_code(), 413);
        assert_eq!(AppError::Unavailable.status_code(), 503);
    }

    #[test]
    fn field_messages_are_found_by_field_name() {
        let e = AppError::Validation(vec![
            FieldError::new("email", "Enter a valid email address."),
            FieldError::new("phone", "Enter a phone number."),
        ]);
        assert_eq!(e.field_message("phone"), Some("Enter a phone number."));
        assert_eq!(e.field_message("name"), None);
        assert_eq!(AppError::NotFound.field_message("email"), None);
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let e = AppError::validation("name", "Required.");
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
    }

    #[test]
    fn undecodable_error_bodies_become_unavailable_not_a_panic() {
        let e = AppError::de(bytes::Bytes::from_static(b"<html>proxy error</html>"));
        assert_eq!(e, AppError::Unavailable);
    }
}
