//! Reading what a client sends: a JSON body (only `application/json`) and
//! the query string, each with only the fields its type names (unknown ones
//! are refused, not ignored), each refusal in the API's error shape with the
//! status that says what was wrong.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::errors::ApiError;
use crate::domain::AppError;

pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::from(AppError::PayloadTooLarge)
            } else {
                ApiError::from(AppError::BadRequest(
                    "The request body could not be read.".into(),
                ))
            }
        })?;
        serde_json::from_slice(&bytes).map(Json).map_err(|e| {
            use serde_json::error::Category;
            match e.classify() {
                // Describes the client's own input, not anything of ours.
                Category::Data => ApiError::from(AppError::validation(
                    "body",
                    format!("The body does not fit this request: {e}."),
                )),
                Category::Syntax | Category::Eof | Category::Io => ApiError::from(
                    AppError::BadRequest("The request body is not valid JSON.".into()),
                ),
            }
        })
    }
}

/// The query string, read into `T` (which should deny unknown fields).
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Query(q.0))
            .map_err(|rejection| {
                // Names the parameter and what was wrong with the client's value.
                ApiError::from(AppError::BadRequest(format!(
                    "The query string could not be read: {}.",
                    rejection
                        .body_text()
                        .trim_start_matches("Failed to deserialize query string: ")
                )))
            })
    }
}
