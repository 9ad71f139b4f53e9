//! Tokens: issued by signing in, checked on every request, rotated by
//! refresh (a reused one ends its family), ended with every session.

use serde_json::json;

use super::{PASSWORD, error_of, get_as, json, post_json, tokens_for};
use crate::common::{self, Browser, count, demo_app};

#[tokio::test]
async fn a_password_gets_tokens_that_say_who_is_calling() {
    let (t, app) = demo_app().await;
    let res = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "doctor@riverside.example", "password": PASSWORD }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.header("cache-control"), "no-store");
    let pair = json(&res);
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    assert_eq!(pair["refresh_expires_in"], 30 * 86_400);
    let access = pair["access_token"].as_str().unwrap();
    assert!(access.starts_with("hms_at_"), "{access}");

    let me = get_as(&app, "/api/v1/me", access).await;
    assert_eq!(me.status, 200, "{}", me.body);
    let me = json(&me);
    assert_eq!(me["data"]["email"], "doctor@riverside.example");
    assert_eq!(me["data"]["clinics"][0]["slug"], "riverside");
    assert_eq!(me["data"]["clinics"][0]["role"], "doctor");

    // Only hashes are stored; the family is an API session, audited as a sign-in.
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from api_tokens where token_hash = sha256('{access}'::bytea)"
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from api_tokens where position('hms_'::bytea in token_hash) > 0"
        )
        .await,
        0
    );
    assert_eq!(
        count(&t, "select count(*) from user_sessions s join users u on u.id = s.user_id
                   where u.email = 'doctor@riverside.example' and s.kind = 'api' and s.ended_at is null").await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'LOGIN' and after_value->>'client' = 'api'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn wrong_missing_or_forged_credentials_get_401_in_the_error_shape() {
    let (t, app) = demo_app().await;
    let wrong = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "doctor@riverside.example", "password": "not-the-password" }),
    )
    .await;
    let body = error_of(&wrong, 401);
    assert!(
        !body["message"].as_str().unwrap().contains("password is"),
        "{body}"
    );
    let unknown = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "nobody@riverside.example", "password": PASSWORD }),
    )
    .await;
    assert_eq!(
        json(&unknown)["message"],
        body["message"],
        "no hint which was wrong"
    );

    let none = common::get(&app, "/api/v1/me").await;
    error_of(&none, 401);
    assert!(none.header("www-authenticate").starts_with("Bearer"));
    let forged = get_as(&app, "/api/v1/me", &format!("hms_at_{}", "A".repeat(43))).await;
    error_of(&forged, 401);
    let garbage = get_as(&app, "/api/v1/me", "not a token").await;
    error_of(&garbage, 401);
    assert_eq!(count(&t, "select count(*) from api_tokens").await, 0);
}

#[tokio::test]
async fn a_browser_session_cookie_does_not_authenticate_the_api() {
    let (_t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    let res = b.get("/api/v1/me").await;
    error_of(&res, 401);
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_family() {
    let (t, app) = demo_app().await;
    let (access1, refresh1) = tokens_for(&app, "nurse@riverside.example").await;

    let res = post_json(
        &app,
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": refresh1 }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let pair = json(&res);
    let access2 = pair["access_token"].as_str().unwrap().to_owned();
    let refresh2 = pair["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(refresh2, refresh1);
    assert_eq!(get_as(&app, "/api/v1/me", &access2).await.status, 200);
    // The old access token lives out its 15 minutes; the family is one session.
    assert_eq!(get_as(&app, "/api/v1/me", &access1).await.status, 200);

    // Someone replays the first refresh token: refused, and every token of
    // the family stops working, the thief's and the owner's alike.
    let replay = post_json(
        &app,
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": refresh1 }),
    )
    .await;
    error_of(&replay, 401);
    error_of(&get_as(&app, "/api/v1/me", &access2).await, 401);
    let owner = post_json(
        &app,
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": refresh2 }),
    )
    .await;
    error_of(&owner, 401);
    assert_eq!(
        count(
            &t,
            "select count(*) from user_sessions where kind = 'api' and end_reason = 'token_reused'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'LOGOUT' and outcome = 'denied'
                   and after_value->>'reason' = 'refresh_token_reused'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let (t, app) = demo_app().await;
    let (access, refresh) = tokens_for(&app, "doctor@riverside.example").await;
    common::tamper_as_superuser(
        &t,
        "update api_tokens set issued_at = now() - interval '31 days', expires_at = now() - interval '1 second' where $1::bigint is not null",
        0,
    )
    .await;
    error_of(&get_as(&app, "/api/v1/me", &access).await, 401);
    error_of(
        &post_json(
            &app,
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh }),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn signing_out_other_sessions_or_disabling_the_account_ends_tokens() {
    let (t, app) = demo_app().await;
    let (access, _) = tokens_for(&app, "doctor@riverside.example").await;
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    let res = b.post("/fn/accounts/sign_out_other_sessions", "").await;
    assert!(res.status < 400, "{} {}", res.status, res.body);
    error_of(&get_as(&app, "/api/v1/me", &access).await, 401);

    let (access, _) = tokens_for(&app, "nurse@riverside.example").await;
    assert_eq!(get_as(&app, "/api/v1/me", &access).await.status, 200);
    sqlx::query("update users set status = 'disabled' where email = 'nurse@riverside.example'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    error_of(&get_as(&app, "/api/v1/me", &access).await, 401);
}

#[tokio::test]
async fn revoke_signs_the_token_family_out() {
    let (t, app) = demo_app().await;
    let (access, refresh) = tokens_for(&app, "reception@riverside.example").await;
    let res = crate::common::send(
        &app,
        axum::http::Request::post("/api/v1/auth/revoke")
            .header("authorization", format!("Bearer {access}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 204, "{}", res.body);
    error_of(&get_as(&app, "/api/v1/me", &access).await, 401);
    error_of(
        &post_json(
            &app,
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh }),
        )
        .await,
        401,
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'LOGOUT' and after_value->>'client' = 'api'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_account_with_an_authenticator_needs_its_code() {
    let (t, app) = demo_app().await;
    let secret = b"api-test-totp-secret";
    common::give_authenticator(&t.owner_pool, "doctor@riverside.example", secret).await;
    let without = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "doctor@riverside.example", "password": PASSWORD }),
    )
    .await;
    let body = error_of(&without, 401);
    assert!(body["errors"]["totp_code"].is_array(), "{body}");

    let wrong = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "doctor@riverside.example", "password": PASSWORD, "totp_code": "000000" }),
    )
    .await;
    let body = error_of(&wrong, 401);
    assert!(body["errors"]["totp_code"].is_array(), "{body}");

    use hms::server::two_factor::totp;
    let code = totp::code_for_step(secret, totp::step_at(chrono::Utc::now().timestamp()));
    let right = post_json(
        &app,
        "/api/v1/auth/token",
        &json!({ "email": "doctor@riverside.example", "password": PASSWORD, "totp_code": code }),
    )
    .await;
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(
        count(&t, "select count(*) from user_sessions where kind = 'api'").await,
        1
    );
}

#[tokio::test]
async fn malformed_bodies_get_the_documented_errors_and_write_nothing() {
    let (t, app) = demo_app().await;
    let send_raw = |content_type: &'static str, body: String| {
        let app = app.clone();
        async move {
            crate::common::send(
                &app,
                axum::http::Request::post("/api/v1/auth/token")
                    .header("content-type", content_type)
                    .body(axum::body::Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    error_of(&send_raw("application/json", "{not json".into()).await, 400);
    error_of(
        &send_raw(
            "application/x-www-form-urlencoded",
            "email=a&password=b".into(),
        )
        .await,
        415,
    );
    let unknown = send_raw(
        "application/json",
        json!({ "email": "doctor@riverside.example", "password": PASSWORD, "role": "admin" })
            .to_string(),
    )
    .await;
    let body = error_of(&unknown, 422);
    assert!(
        body["errors"]["body"][0]
            .as_str()
            .unwrap()
            .contains("unknown field"),
        "{body}"
    );
    let wrong_type = send_raw(
        "application/json",
        json!({ "email": 7, "password": PASSWORD }).to_string(),
    )
    .await;
    error_of(&wrong_type, 422);
    let invalid = send_raw(
        "application/json",
        json!({ "email": "nope", "password": "" }).to_string(),
    )
    .await;
    let body = error_of(&invalid, 422);
    assert!(
        body["errors"]["email"].is_array() && body["errors"]["password"].is_array(),
        "{body}"
    );
    let huge = send_raw(
        "application/json",
        format!("{{\"email\": \"{}\"}}", "a".repeat(2 << 20)),
    )
    .await;
    error_of(&huge, 413);
    error_of(&common::get(&app, "/api/v1/no-such-thing").await, 404);
    error_of(&common::get(&app, "/api/v1/auth/token").await, 405);
    assert_eq!(count(&t, "select count(*) from api_tokens").await, 0);
    assert_eq!(
        count(&t, "select count(*) from user_sessions where kind = 'api'").await,
        0
    );
}

#[tokio::test]
async fn the_cleanup_job_removes_expired_tokens_and_keeps_live_ones() {
    let (t, app) = demo_app().await;
    let (access, _) = tokens_for(&app, "doctor@riverside.example").await;
    tokens_for(&app, "nurse@riverside.example").await;
    common::tamper_as_superuser(
        &t,
        "update api_tokens set issued_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
         where session_id in (select s.id from user_sessions s join users u on u.id = s.user_id
                              where u.email = 'nurse@riverside.example') and $1::bigint is not null",
        0,
    )
    .await;
    hms::server::auth::sessions::delete_expired(&t.pool, &common::scope_token())
        .await
        .unwrap();
    assert_eq!(
        count(&t, "select count(*) from api_tokens").await,
        2,
        "the doctor's pair"
    );
    assert_eq!(get_as(&app, "/api/v1/me", &access).await.status, 200);
}

#[tokio::test]
async fn the_account_page_lists_an_api_client_beside_browsers() {
    let (_t, app) = demo_app().await;
    let res = crate::common::send(
        &app,
        axum::http::Request::post("/api/v1/auth/token")
            .header("content-type", "application/json")
            .header("user-agent", "ward-tablet/2.1 (Android 14)")
            .body(axum::body::Body::from(
                json!({ "email": "doctor@riverside.example", "password": PASSWORD }).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    let page = b.get("/account").await;
    assert!(
        page.body.contains("API client (ward-tablet/2.1)"),
        "{}",
        page.body
    );
}
