//! Device sign-in (RFC 8628): a device asks for codes, its person types the
//! user code at `/device` in a signed-in browser and allows or denies it,
//! and the device's polls get tokens once (`server::api::device_grants`).

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};

use super::{error_of, get_as, json, post_json};
use crate::common::{self, Browser, TestResponse, count, demo_app, send};

const TABLET: &str = "Ward 3 tablet";

/// A device's request for codes, from a tablet's own software.
async fn start(app: &Router, name: &str) -> TestResponse {
    send(
        app,
        Request::post("/api/v1/auth/device")
            .header("content-type", "application/json")
            .header("user-agent", "WardApp/2.1 (Android 14)")
            .body(Body::from(json!({ "client_name": name }).to_string()))
            .unwrap(),
    )
    .await
}

/// The codes of a fresh request: (device code, user code as shown).
async fn codes(app: &Router) -> (String, String) {
    let res = start(app, TABLET).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = json(&res);
    (
        body["device_code"].as_str().unwrap().to_owned(),
        body["user_code"].as_str().unwrap().to_owned(),
    )
}

async fn poll(app: &Router, device_code: &str) -> TestResponse {
    post_json(
        app,
        "/api/v1/auth/device/token",
        &json!({ "device_code": device_code }),
    )
    .await
}

/// The grant's last poll moved back, as if the device had waited.
async fn waited(t: &common::TestDb) {
    sqlx::query("update api_device_grants set last_polled_at = now() - interval '1 minute'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
}

async fn answer(browser: &mut Browser, code: &str, decision: &str) -> TestResponse {
    browser
        .post(
            "/fn/device/answer_device",
            &format!("code={code}&decision={decision}"),
        )
        .await
}

async fn signed_in(app: &Router, email: &str) -> Browser {
    let mut b = Browser::new(app);
    b.sign_in(email).await;
    b
}

#[tokio::test]
async fn a_person_allows_their_device_which_gets_tokens_once() {
    let (t, app) = demo_app().await;
    let res = start(&app, "  Ward 3 tablet ").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.header("cache-control"), "no-store");
    let body = json(&res);
    let device_code = body["device_code"].as_str().unwrap().to_owned();
    let user_code = body["user_code"].as_str().unwrap().to_owned();
    assert!(device_code.starts_with("hms_dc_"), "{body}");
    assert_eq!(user_code.len(), 9, "{body}");
    assert_eq!(&user_code[4..5], "-", "{body}");
    assert_eq!(body["verification_uri"], "http://127.0.0.1:3000/device");
    assert_eq!(
        body["verification_uri_complete"],
        format!("http://127.0.0.1:3000/device?code={user_code}")
    );
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["interval"], 5);
    // Only the device code's hash is kept.
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from api_device_grants
                 where device_code_hash = sha256('{device_code}'::bytea)
                   and client_name = 'Ward 3 tablet'"
            )
        )
        .await,
        1
    );

    // Nobody has answered: wait; asked again at once: slow down, and wait
    // longer from now on.
    let pending = poll(&app, &device_code).await;
    assert_eq!(pending.status, 202, "{}", pending.body);
    assert_eq!(
        json(&pending),
        json!({ "status": "authorization_pending", "interval": 5 })
    );
    let hasty = poll(&app, &device_code).await;
    let refused = error_of(&hasty, 429);
    assert_eq!(hasty.header("retry-after"), "10");
    assert!(refused["errors"]["device_code"].is_array(), "{refused}");

    // The person types the code as they like (any case, no dash) and sees
    // what is asking before answering.
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let typed = user_code.replace('-', "").to_lowercase();
    let page = doctor.get(&format!("/device?code={typed}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Allow “Ward 3 tablet”?"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("WardApp/2.1 (Android 14)"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&user_code), "{}", page.body);
    let allowed = answer(&mut doctor, &typed, "allow").await;
    assert!(
        allowed.header("location").ends_with("/device?done=allow"),
        "{}: {}",
        allowed.status,
        allowed.body
    );

    // The allowed device's next poll gets the pair, whatever the interval.
    let granted = poll(&app, &device_code).await;
    assert_eq!(granted.status, 200, "{}", granted.body);
    assert_eq!(granted.header("cache-control"), "no-store");
    let pair = json(&granted);
    assert_eq!(pair["token_type"], "Bearer");
    let access = pair["access_token"].as_str().unwrap();
    let me = get_as(&app, "/api/v1/me", access).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(json(&me)["data"]["email"], "doctor@riverside.example");
    // Once only.
    error_of(&poll(&app, &device_code).await, 401);

    // A sign-in of the person, through the device, from the device: an API
    // session the account page lists, audited as a LOGIN by "device".
    assert_eq!(
        count(
            &t,
            "select count(*) from user_sessions s join users u on u.id = s.user_id
             where u.email = 'doctor@riverside.example' and s.kind = 'api'
               and s.user_agent = 'WardApp/2.1 (Android 14)' and s.ended_at is null"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'LOGIN'
             and after_value->>'method' = 'device' and after_value->>'client' = 'api'"
        )
        .await,
        1
    );
    // The answered code finds nothing any more.
    let again = doctor.get(&format!("/device?code={user_code}")).await;
    assert_eq!(again.status, 200);
    assert!(
        again.body.contains("No device is waiting"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn a_denied_device_is_told_so_and_the_refusal_is_audited() {
    let (t, app) = demo_app().await;
    let (device_code, user_code) = codes(&app).await;
    let mut nurse = signed_in(&app, "nurse@riverside.example").await;
    let denied = answer(&mut nurse, &user_code, "deny").await;
    assert!(
        denied.header("location").ends_with("/device?done=deny"),
        "{}: {}",
        denied.status,
        denied.body
    );
    let refused = error_of(&poll(&app, &device_code).await, 403);
    assert!(
        refused["message"].as_str().unwrap().contains("declined"),
        "{refused}"
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'LOGIN_FAILED'
             and outcome = 'denied' and after_value->>'reason' = 'denied_by_person'
             and after_value->>'device' = 'Ward 3 tablet'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&t, "select count(*) from user_sessions where kind = 'api'").await,
        0
    );
    // A second answer to an answered code changes nothing.
    let late = answer(&mut nurse, &user_code, "allow").await;
    assert_eq!(late.status, 422, "{}", late.body);
    assert!(late.body.contains("\"field\":\"code\""), "{}", late.body);
    assert_eq!(
        count(&t, "select count(*) from user_sessions where kind = 'api'").await,
        0
    );
}

#[tokio::test]
async fn expired_unknown_and_malformed_codes_are_refused_and_write_nothing() {
    let (t, app) = demo_app().await;
    let (device_code, user_code) = codes(&app).await;
    sqlx::query(
        "update api_device_grants set created_at = now() - interval '11 minutes',
                expires_at = now() - interval '1 minute'",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let expired = error_of(&poll(&app, &device_code).await, 401);
    assert!(
        expired["message"].as_str().unwrap().contains("expired"),
        "{expired}"
    );
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let late = answer(&mut doctor, &user_code, "allow").await;
    assert_eq!(late.status, 422, "{}", late.body);
    assert!(late.body.contains("No device is waiting"), "{}", late.body);

    // Well-formed but unknown; malformed; or not a device code at all.
    let unknown = format!("hms_dc_{}", "A".repeat(43));
    error_of(&poll(&app, &unknown).await, 401);
    for bad in ["", "hms_dc_short", &format!("hms_at_{}", "A".repeat(43))] {
        let res = error_of(&poll(&app, bad).await, 422);
        assert!(res["errors"]["device_code"].is_array(), "{bad}: {res}");
    }
    for (code, decision) in [
        ("ABCD-EFGH", "allow"), // vowels: never a code
        ("BCDF", "allow"),
        (&"B".repeat(200) as &str, "allow"),
        ("BCDF-GHJK", "maybe"),
    ] {
        let res = answer(&mut doctor, code, decision).await;
        assert_eq!(res.status, 422, "{code} {decision}: {}", res.body);
    }
    assert_eq!(
        count(&t, "select count(*) from user_sessions where kind = 'api'").await,
        0
    );

    // Bad requests for codes.
    let before = count(&t, "select count(*) from api_device_grants").await;
    for (body, status, field) in [
        (json!({}), 422, None),
        (json!({ "client_name": "   " }), 422, Some("client_name")),
        (
            json!({ "client_name": "x".repeat(101) }),
            422,
            Some("client_name"),
        ),
        (
            json!({ "client_name": "tab\u{7}let" }),
            422,
            Some("client_name"),
        ),
        (json!({ "client_name": "Kiosk", "scope": "all" }), 422, None),
        (json!({ "client_name": 7 }), 422, None),
    ] {
        let res = post_json(&app, "/api/v1/auth/device", &body).await;
        let err = error_of(&res, status);
        if let Some(field) = field {
            assert!(err["errors"][field].is_array(), "{body}: {err}");
        }
    }
    let not_json = send(
        &app,
        Request::post("/api/v1/auth/device")
            .header("content-type", "text/plain")
            .body(Body::from("client_name=Kiosk"))
            .unwrap(),
    )
    .await;
    error_of(&not_json, 415);
    let broken = send(
        &app,
        Request::post("/api/v1/auth/device")
            .header("content-type", "application/json")
            .body(Body::from("{\"client_name\":"))
            .unwrap(),
    )
    .await;
    error_of(&broken, 400);
    assert_eq!(
        count(&t, "select count(*) from api_device_grants").await,
        before
    );
}

#[tokio::test]
async fn guessing_codes_at_the_page_is_throttled_per_person() {
    let (_t, app) = demo_app().await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = doctor.get("/device?code=BCDF-GHJK").await;
        assert_eq!(res.status, 200);
        statuses.push(if res.body.contains("No device is waiting") {
            "unknown"
        } else if res.body.contains("Too many") {
            "limited"
        } else {
            panic!("{}", res.body)
        });
    }
    assert_eq!(statuses[..10], ["unknown"; 10]);
    assert_eq!(statuses[10..], ["limited"; 2]);
    // The answer is throttled too: a real code is out of reach meanwhile.
    let (_, user_code) = codes(&app).await;
    let res = answer(&mut doctor, &user_code, "allow").await;
    assert_eq!(res.status, 429, "{}", res.body);
    // Without signing in there is no page to guess at.
    let anonymous = common::get(&app, "/device?code=BCDF-GHJK").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.header("location").starts_with("/login"));
}

#[tokio::test]
async fn the_database_decides_only_as_a_person_and_into_their_own_session() {
    let (t, app) = demo_app().await;
    let (_, user_code) = codes(&app).await;
    let code = user_code.replace('-', "");
    let doctor = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let nurse = common::user_id(&t.owner_pool, "nurse@riverside.example").await;
    // The nurse's API session, which the doctor must not hand the device.
    let (nurse_access, _) = super::tokens_for(&app, "nurse@riverside.example").await;
    assert_eq!(get_as(&app, "/api/v1/me", &nurse_access).await.status, 200);
    let nurse_session: uuid::Uuid =
        sqlx::query_scalar("select id from user_sessions where user_id = $1 and kind = 'api'")
            .bind(nurse)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();

    let mut tx = hms::server::tenancy::begin_personal(&t.pool, doctor)
        .await
        .unwrap();
    let listed: i64 = sqlx::query_scalar("select count(*) from api_device_grants")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(listed, 0, "the app role lists no grants");
    let err = sqlx::query("select api_device_grant_decide($1, true, $2)")
        .bind(&code)
        .bind(nurse_session)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a live API session"), "{err}");
    drop(tx);

    let mut anonymous = hms::server::tenancy::begin_anonymous(&t.pool)
        .await
        .unwrap();
    let err = sqlx::query("select api_device_grant_decide($1, false, null)")
        .bind(&code)
        .execute(&mut *anonymous)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("decided by someone"), "{err}");
    drop(anonymous);
    let waiting: Vec<Value> =
        sqlx::query_scalar("select to_jsonb(g) from api_device_grant_waiting($1) g")
            .bind(&code)
            .fetch_all(&t.pool)
            .await
            .unwrap();
    assert!(waiting.is_empty(), "nobody, nothing: {waiting:?}");
    assert_eq!(
        count(
            &t,
            "select count(*) from api_device_grants where decision is not null"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn ending_sessions_ends_device_tokens_and_unfetched_approvals_expire() {
    let (t, app) = demo_app().await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;

    // Allowed and fetched, then "Sign out other sessions": the device is out.
    let (device_code, user_code) = codes(&app).await;
    answer(&mut doctor, &user_code, "allow").await;
    let pair = json(&poll(&app, &device_code).await);
    let access = pair["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get_as(&app, "/api/v1/me", &access).await.status, 200);
    let out = doctor
        .post("/fn/accounts/sign_out_other_sessions", "")
        .await;
    assert!(out.status < 400, "{}: {}", out.status, out.body);
    error_of(&get_as(&app, "/api/v1/me", &access).await, 401);

    // Allowed but never fetched: the cleanup ends its empty family.
    let (device_code, user_code) = codes(&app).await;
    waited(&t).await;
    answer(&mut doctor, &user_code, "allow").await;
    sqlx::query(
        "update api_device_grants set created_at = now() - interval '11 minutes',
                expires_at = now() - interval '1 minute'",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    hms::server::auth::sessions::delete_expired(&t.pool, &common::scope_token())
        .await
        .unwrap();
    assert_eq!(count(&t, "select count(*) from api_device_grants").await, 0);
    assert_eq!(
        count(
            &t,
            "select count(*) from user_sessions where kind = 'api' and ended_at is null"
        )
        .await,
        0
    );
    error_of(&poll(&app, &device_code).await, 401);
}
