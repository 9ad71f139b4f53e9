//! The public REST API (`/api/v1`) through the real router, as a client
//! outside the browser uses it.

mod appointments;
mod clinics;
mod device;
mod endpoints;
mod limits;
mod openapi;
mod tokens;
mod writes;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use serde_json::Value;

use crate::common::{TestResponse, send};

pub const PASSWORD: &str = "hms-demo-password";

pub async fn post_json(app: &Router, uri: &str, body: &Value) -> TestResponse {
    send(
        app,
        Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

pub async fn get_as(app: &Router, uri: &str, token: &str) -> TestResponse {
    send(
        app,
        Request::get(uri)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Any request as the holder of `token`, with a JSON body if given and
/// extra headers.
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"));
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    send(app, req.body(body).unwrap()).await
}

pub fn json(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

/// Asserts the API's error shape and returns the body.
pub fn error_of(res: &TestResponse, status: u16) -> Value {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/json");
    let body = json(res);
    assert_eq!(body["status"], status);
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["errors"].is_object(), "{body}");
    assert!(body["timestamp"].as_str().is_some(), "{body}");
    assert_eq!(body["request_id"], res.header("x-request-id"), "{body}");
    body
}

/// Signs in through the API; returns (access, refresh).
pub async fn tokens_for(app: &Router, email: &str) -> (String, String) {
    let res = post_json(
        app,
        "/api/v1/auth/token",
        &serde_json::json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = json(&res);
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}
