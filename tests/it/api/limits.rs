//! The API's request limits: per token family and per client address, 429
//! with `Retry-After` in the API's error shape, and counts that two server
//! processes share through the database.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hms::server::api::limits::{ApiLimiter, Counted};
use hms::server::config::ApiLimits;

use super::{error_of, get_as, json, tokens_for};
use crate::common::{self, send};

#[tokio::test]
async fn a_token_over_its_limit_gets_429_with_retry_after() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 3).await;
    let app = common::app_with(
        t.pool.clone(),
        common::test_config(&[("HMS_API_REQUESTS_PER_TOKEN", "3")]),
    );
    let (token, _) = tokens_for(&app, "doctor@riverside.example").await;
    for _ in 0..3 {
        assert_eq!(get_as(&app, "/api/v1/me", &token).await.status, 200);
    }
    let res = get_as(&app, "/api/v1/me", &token).await;
    let body = error_of(&res, 429);
    let wait: u64 = res.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(body["message"].as_str().unwrap().contains("Too many"));
    // Another person's token is counted apart.
    let (other, _) = tokens_for(&app, "nurse@riverside.example").await;
    assert_eq!(get_as(&app, "/api/v1/me", &other).await.status, 200);
}

#[tokio::test]
async fn one_address_over_its_limit_gets_429_whoever_it_claims_to_be() {
    let app = common::app_with(
        common::unreachable_pool(),
        common::test_config(&[("HMS_API_REQUESTS_PER_ADDRESS", "2")]),
    );
    let from = |addr: &str| {
        let mut req = Request::get("/api/v1/me")
            .header("authorization", "Bearer hms_at_forged")
            .body(Body::empty())
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(addr.parse::<SocketAddr>().unwrap()));
        req
    };
    // Guessing tokens counts too: 401, 401, then 429.
    assert_eq!(send(&app, from("192.0.2.7:5000")).await.status, 401);
    assert_eq!(send(&app, from("192.0.2.7:5001")).await.status, 401);
    let res = send(&app, from("192.0.2.7:5002")).await;
    error_of(&res, 429);
    assert!(!res.header("retry-after").is_empty());
    assert_eq!(send(&app, from("192.0.2.8:5000")).await.status, 401);
    // The document (static, for reading) is not counted.
    let mut doc = Request::get("/api/v1/openapi.json")
        .body(Body::empty())
        .unwrap();
    doc.extensions_mut()
        .insert(ConnectInfo("192.0.2.7:5003".parse::<SocketAddr>().unwrap()));
    let res = send(&app, doc).await;
    assert_eq!(res.status, 200);
    assert!(json(&res)["paths"].is_object());
}

#[tokio::test]
async fn two_processes_share_their_counts() {
    let t = common::test_db().await;
    let limits = ApiLimits {
        per_token: 10,
        per_address: 1000,
        window: Duration::from_secs(3600),
    };
    let (a, b) = (ApiLimiter::new(limits), ApiLimiter::new(limits));
    let family = Counted::Token(uuid::Uuid::now_v7());
    let now = chrono::Utc::now();
    for _ in 0..6 {
        assert!(a.allow(family, now).is_ok());
    }
    a.flush(&t.pool).await.unwrap();
    for _ in 0..4 {
        assert!(b.allow(family, now).is_ok());
    }
    // B learns of A's six when it adds its own four.
    b.flush(&t.pool).await.unwrap();
    assert!(b.allow(family, now).is_err());
    // A, not yet told, lets one more through; its next flush tells it.
    assert!(a.allow(family, now).is_ok());
    a.flush(&t.pool).await.unwrap();
    assert!(a.allow(family, now).is_err());
    let hits: i64 = sqlx::query_scalar("select sum(hits)::bigint from rate_limit_hits")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(hits, 11);
}
