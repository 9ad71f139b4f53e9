//! Sign-in, sessions and their limits, through the HTTP stack the browser uses.

use crate::common;

use common::{Browser, app, app_with, seed_demo_clinics, test_config, test_db};

async fn audit_count(t: &common::TestDb, action: &str, reason: Option<&str>) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "select count(*) from audit_events
         where action = $1 and ($2::text is null or after_value ->> 'reason' = $2)",
    )
    .bind(action)
    .bind(reason)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn sign_in_lands_on_the_role_dashboard_with_a_new_session_id_each_time() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    let res = b.sign_in("Doctor@Riverside.example").await;
    assert!(
        res.headers.contains_key("serverfnredirect"),
        "{:?}",
        res.headers
    );
    assert_eq!(res.header("location"), "/c/riverside/doctor");
    let cookie = res.header("set-cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let first = b.cookie.clone().unwrap();
    assert_eq!(b.get("/c/riverside/doctor").await.status, 200);

    // Signing in again on the same browser replaces the session id.
    b.sign_in("doctor@riverside.example").await;
    let second = b.cookie.clone().unwrap();
    assert_ne!(first, second);
    let mut old = Browser::new(&app);
    old.cookie = Some(first);
    let res = old.get("/c/riverside/doctor").await;
    assert_eq!(res.status, 303);
    assert_eq!(audit_count(&t, "LOGIN", None).await, 2);
}

#[tokio::test]
async fn each_role_lands_on_its_own_dashboard() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let app = app(t.pool.clone());
    for (email, landing) in [
        ("admin@hilltop.example", "/c/hilltop/admin"),
        ("hod@riverside.example", "/c/riverside/doctor"),
        ("reception@riverside.example", "/c/riverside/reception"),
        ("lab@riverside.example", "/c/riverside/lab"),
        ("nurse@hilltop.example", "/c/hilltop/nurse"),
        ("patient@riverside.example", "/c/riverside/my-records"),
        ("platform@hms.example", "/platform"),
    ] {
        let mut b = Browser::new(&app);
        let res = b.sign_in(email).await;
        assert_eq!(res.header("location"), landing, "{email}");
        let page = b.get(landing).await;
        assert_eq!(page.status, 200, "{email}: {}", page.body);
    }
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_get_one_generic_answer_and_are_audited() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    let wrong = b
        .post(
            "/fn/auth/sign_in",
            "email=doctor%40riverside.example&password=not-the-password",
        )
        .await;
    let unknown = b
        .post(
            "/fn/auth/sign_in",
            "email=nobody%40riverside.example&password=not-the-password",
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.body, unknown.body);
    assert!(
        wrong.body.contains("do not match an active account"),
        "{}",
        wrong.body
    );
    assert!(b.cookie.is_none());
    assert_eq!(
        audit_count(&t, "LOGIN_FAILED", Some("bad_password")).await,
        1
    );
    assert_eq!(
        audit_count(&t, "LOGIN_FAILED", Some("unknown_account")).await,
        1
    );
}

#[tokio::test]
async fn malformed_sign_in_input_is_refused_field_by_field_and_writes_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    let long_password = "p".repeat(129);
    let long_email = format!("{}%40example.org", "a".repeat(260));
    for (body, field) in [
        ("email=not-an-email&password=x".to_string(), "email"),
        ("email=a%40example.org&password=".to_string(), "password"),
        (
            format!("email=a%40example.org&password={long_password}"),
            "password",
        ),
        (format!("email={long_email}&password=x"), "email"),
    ] {
        let res = b.post("/fn/auth/sign_in", &body).await;
        assert_eq!(res.status, 422, "{body}");
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{}",
            res.body
        );
    }
    // A missing field is a malformed request.
    let res = b.post("/fn/auth/sign_in", "email=a%40example.org").await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(audit_count(&t, "LOGIN_FAILED", None).await, 0);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app_with(
        t.pool.clone(),
        test_config(&[("HMS_LOCKOUT_AFTER_FAILURES", "3")]),
    );
    let mut b = Browser::new(&app);
    for _ in 0..3 {
        let res = b
            .post(
                "/fn/auth/sign_in",
                "email=nurse%40riverside.example&password=wrong-password",
            )
            .await;
        assert_eq!(res.status, 422);
    }
    let res = b
        .post(
            "/fn/auth/sign_in",
            "email=nurse%40riverside.example&password=hms-demo-password",
        )
        .await;
    assert_eq!(res.status, 422, "a locked account must not sign in");
    assert_eq!(
        audit_count(&t, "LOGIN_FAILED", Some("account_locked")).await,
        1
    );
    let locked: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'LOGIN_FAILED' and (after_value ->> 'locked')::boolean",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(locked, 1);
    // Once the lock has passed, the right password works again.
    sqlx::query("update users set locked_until = now() - interval '1 second' where email = 'nurse@riverside.example'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    b.sign_in("nurse@riverside.example").await;
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_account() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app_with(
        t.pool.clone(),
        test_config(&[
            ("HMS_SIGN_IN_ATTEMPTS_PER_ACCOUNT", "2"),
            ("HMS_LOCKOUT_AFTER_FAILURES", "50"),
        ]),
    );
    let mut b = Browser::new(&app);
    for _ in 0..2 {
        let res = b
            .post(
                "/fn/auth/sign_in",
                "email=lab%40riverside.example&password=wrong-password",
            )
            .await;
        assert_eq!(res.status, 422);
    }
    let res = b
        .post(
            "/fn/auth/sign_in",
            "email=lab%40riverside.example&password=hms-demo-password",
        )
        .await;
    assert_eq!(res.status, 429, "{}", res.body);
    assert!(b.cookie.is_none());
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once_and_stops_sign_in() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    assert_eq!(b.get("/c/riverside/doctor").await.status, 200);

    let user: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'doctor@riverside.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    // As an operator does (no page disables accounts yet).
    let mut tx = t.owner_pool.begin().await.unwrap();
    let ended = hms::server::accounts::status::disable(&mut tx, user)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ended, 1);

    let res = b.get("/c/riverside/doctor").await;
    assert_eq!(res.status, 303);
    assert!(
        res.header("location").contains("reason=account_disabled"),
        "{}",
        res.header("location")
    );
    let res = b
        .post(
            "/fn/auth/sign_in",
            "email=doctor%40riverside.example&password=hms-demo-password",
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        audit_count(&t, "LOGIN_FAILED", Some("account_disabled")).await,
        1
    );
}

#[tokio::test]
async fn idle_and_expired_sessions_send_the_next_request_to_sign_in_and_back() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    for (column, reason) in [("last_seen_at", "idle"), ("expires_at", "expired")] {
        let mut b = Browser::new(&app);
        b.sign_in("reception@riverside.example").await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "update user_sessions set {column} = now() - interval '1 hour' where ended_at is null"
        )))
        .execute(&t.owner_pool)
        .await
        .unwrap();
        let res = b.get("/c/riverside/reception?page=2").await;
        assert_eq!(res.status, 303);
        assert_eq!(
            res.header("location"),
            format!("/login?next=%2Fc%2Friverside%2Freception%3Fpage%3D2&reason={reason}")
        );
        // Server functions answer 401 rather than redirecting.
        let res = b.post("/fn/auth/keep_alive", "").await;
        assert_eq!(res.status, 401);
    }
}

#[tokio::test]
async fn requests_record_activity_only_when_the_last_record_is_stale() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("reception@riverside.example").await;
    let last_seen = || async {
        let at: chrono::DateTime<chrono::Utc> =
            sqlx::query_scalar("select last_seen_at from user_sessions where ended_at is null")
                .fetch_one(&t.owner_pool)
                .await
                .unwrap();
        at
    };
    // A recent record (within a sixtieth of the 15-minute timeout) is left
    // alone: the request writes nothing.
    sqlx::query("update user_sessions set last_seen_at = now() - interval '10 seconds'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let recent = last_seen().await;
    assert_eq!(b.get("/c/riverside/reception").await.status, 200);
    assert_eq!(last_seen().await, recent);
    // An older one is brought up to now, so the idle timeout counts from here.
    sqlx::query("update user_sessions set last_seen_at = now() - interval '20 seconds'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let stale = last_seen().await;
    assert_eq!(b.get("/c/riverside/reception").await.status, 200);
    let touched = last_seen().await;
    assert!(
        touched > stale + chrono::Duration::seconds(15),
        "{stale} → {touched}"
    );
}

#[tokio::test]
async fn loading_a_session_checks_its_sign_in_in_the_same_call() {
    use hms::server::auth::session_store::{CHECK_KEY, PgSessionStore};
    use std::str::FromStr;
    use tower_sessions::SessionStore;
    use tower_sessions::session::Id;

    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("reception@riverside.example").await;
    let signed_in: uuid::Uuid =
        sqlx::query_scalar("select id from user_sessions where ended_at is null")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    // The stored row notes the sign-in its record carries.
    let noted: Option<uuid::Uuid> =
        sqlx::query_scalar("select auth_session from tower_sessions.session")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!(noted, Some(signed_in));
    let cookie = b.cookie.clone().unwrap();
    let id = Id::from_str(cookie.split_once('=').unwrap().1).unwrap();
    let store = PgSessionStore::new(t.pool.clone());
    let check = |record: &tower_sessions::session::Record| record.data.get(CHECK_KEY).cloned();
    // Loaded, the record carries the check: live, whose, and which sign-in.
    let mut record = store.load(&id).await.unwrap().unwrap();
    let live = check(&record).unwrap();
    assert_eq!(live["session_id"], signed_in.to_string());
    assert_eq!(live["live"]["email"], "reception@riverside.example");
    // Saved back, the check is not stored, whatever a record holds there…
    record
        .data
        .insert(CHECK_KEY.to_owned(), serde_json::json!({"forged": true}));
    store.save(&record).await.unwrap();
    let stored: String =
        sqlx::query_scalar("select convert_from(data, 'UTF8') from tower_sessions.session")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert!(!stored.contains(CHECK_KEY), "{stored}");
    assert!(!stored.contains("forged"), "{stored}");
    // …and a load says afresh how the sign-in stands.
    let record = store.load(&id).await.unwrap().unwrap();
    assert_eq!(
        check(&record).unwrap()["live"]["email"],
        "reception@riverside.example"
    );
    // A row stored without a note (before notes were kept) carries no
    // check; its request checks the sign-in by itself and is let in.
    sqlx::query("update tower_sessions.session set auth_session = null")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(check(&store.load(&id).await.unwrap().unwrap()), None);
    assert_eq!(b.get("/c/riverside/reception").await.status, 200);
    // An ended sign-in is found ended by the load itself, and the next
    // request is sent to sign in.
    sqlx::query("update tower_sessions.session set auth_session = $1")
        .bind(signed_in)
        .execute(&t.owner_pool)
        .await
        .unwrap();
    sqlx::query("update user_sessions set ended_at = now(), end_reason = 'signed_out_elsewhere'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let ended = check(&store.load(&id).await.unwrap().unwrap()).unwrap();
    assert_eq!(ended["session_id"], signed_in.to_string());
    assert!(ended["live"].is_null(), "{ended}");
    let res = b.get("/c/riverside/reception").await;
    assert_eq!(res.status, 303);
    assert!(res.header("location").starts_with("/login?"));
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("admin@riverside.example").await;
    let cookie = b.cookie.clone();
    let res = b.post("/fn/auth/sign_out", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.header("location"), "/login?reason=signed_out");
    // Replaying the old cookie shows nothing private.
    let mut replay = Browser::new(&app);
    replay.cookie = cookie;
    assert_eq!(replay.get("/c/riverside/admin").await.status, 303);
    assert_eq!(audit_count(&t, "LOGOUT", None).await, 1);
    let open: i64 = sqlx::query_scalar("select count(*) from user_sessions where ended_at is null")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(open, 0);
}

#[tokio::test]
async fn cross_site_and_unlabelled_posts_are_refused_before_anything_runs() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let mut req = axum::http::Request::post("/fn/auth/sign_in")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let body =
            axum::body::Body::from("email=doctor%40riverside.example&password=hms-demo-password");
        let res = common::send(&app, req.body(body).unwrap()).await;
        assert_eq!(res.status, 403, "{origin:?}");
        assert!(res.headers.get("set-cookie").is_none());
    }
    assert_eq!(audit_count(&t, "LOGIN", None).await, 0);
}

#[tokio::test]
async fn tampered_cookies_are_treated_as_signed_out() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.cookie = Some("hms_session=not-a-real-session-id".into());
    let res = b.get("/c/riverside/admin").await;
    assert_eq!(res.status, 303);
    assert!(res.header("location").starts_with("/login?next="));
    b.cookie = Some("hms_session=not-a-real-session-id".into());
    assert_eq!(b.get("/").await.status, 200);
    let res = b
        .post("/fn/staff/staff_directory", "slug=riverside&page=1")
        .await;
    assert_eq!(res.status, 401);
}

#[tokio::test]
async fn session_cleanup_removes_expired_sessions() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("nurse@riverside.example").await;
    sqlx::query("update tower_sessions.session set expiry_date = now() - interval '1 minute'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    sqlx::query("update user_sessions set expires_at = now() - interval '40 days'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let (cookies, records) =
        hms::server::auth::sessions::delete_expired(&t.pool, &common::scope_token())
            .await
            .unwrap();
    assert_eq!((cookies, records), (1, 1));
}

/// Whoever reads the session store (here the app role with no context set,
/// as a stray query would) finds no id that works as a cookie.
#[tokio::test]
async fn the_session_store_holds_no_usable_cookie_values() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    let app = app(t.pool.clone());
    let mut b = Browser::new(&app);
    b.sign_in("doctor@riverside.example").await;
    let cookie = b.cookie.clone().unwrap();
    let value = cookie.split_once('=').unwrap().1.to_string();
    let stored: Vec<String> = sqlx::query_scalar("select id from tower_sessions.session")
        .fetch_all(&t.owner_pool)
        .await
        .unwrap();
    let seen_by_app: Vec<String> = sqlx::query_scalar("select id from tower_sessions.session")
        .fetch_all(&t.pool)
        .await
        .unwrap();
    assert!(seen_by_app.is_empty(), "the app role lists no sessions");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], value);
    assert!(!stored[0].contains(&value));
    // The stored key, put in a cookie, signs nobody in.
    let mut thief = Browser::new(&app);
    thief.cookie = Some(format!("hms_session={}", stored[0]));
    let res = thief.get("/c/riverside/doctor").await;
    assert_eq!(res.status, 303, "{}", res.body);
    // A clear id cannot be written to the store at all.
    let clear = sqlx::query(
        "insert into tower_sessions.session (id, data, expiry_date)
         values ('plain-session-id', '\\x00', now() + interval '1 hour')",
    )
    .execute(&t.pool)
    .await;
    assert!(clear.is_err(), "a session id was stored in the clear");
    // The owner of the cookie is still signed in.
    assert_eq!(b.get("/c/riverside/doctor").await.status, 200);
}

/// A sign-in post as it reaches HMS through the hospital's reverse proxy
/// (`10.9.0.2`, trusted), for a client the proxy saw at `client`.
async fn sign_in_through_proxy(
    app: &axum::Router,
    client: &str,
    email: &str,
    password: &str,
) -> common::TestResponse {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    let mut req = axum::http::Request::post("/fn/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", common::SITE)
        .header("x-forwarded-for", client)
        .body(Body::from(format!(
            "email={}&password={password}",
            email.replace('@', "%40")
        )))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [10, 9, 0, 2],
            443,
        ))));
    common::send(app, req).await
}

/// A shift change behind one NAT: 100 colleagues sign in from one address
/// within a minute and all get in, while a guessing run from the same
/// address is stopped, and the trail records the client, not the proxy.
#[tokio::test]
async fn a_hospital_behind_one_address_signs_in_while_guessing_from_it_is_stopped() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    sqlx::query(
        "with made as (
             insert into users (email, display_name, password_hash)
             select format('shift.%s@riverside.example', n), format('Shift %s', n),
                    (select password_hash from users where email = 'doctor@riverside.example')
             from generate_series(1, 100) n
             returning id)
         insert into memberships (clinic_id, user_id, role)
         select (select id from clinics where slug = 'riverside'), id, 'nurse' from made",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let app = common::app_with(
        t.pool.clone(),
        test_config(&[
            ("HMS_TRUSTED_PROXIES", "10.9.0.0/24"),
            ("HMS_SIGN_IN_FAILURES_PER_ADDRESS", "30"),
        ]),
    );
    let nat = "203.0.113.50";
    let started = std::time::Instant::now();
    let mut guesses = Vec::new();
    for n in 1..=100 {
        let res = sign_in_through_proxy(
            &app,
            nat,
            &format!("shift.{n}@riverside.example"),
            "hms-demo-password",
        )
        .await;
        assert_eq!(res.status, 200, "colleague {n}: {}", res.body);
        // Every third colleague, the attacker on the same network guesses.
        if n % 3 == 0 {
            let res =
                sign_in_through_proxy(&app, nat, "lab@riverside.example", &format!("guess-{n}"))
                    .await;
            guesses.push(res.status);
        }
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // Wrong guesses are refused, then the account's own limit stops them.
    assert!(
        guesses.iter().all(|s| *s == 422 || *s == 429),
        "{guesses:?}"
    );
    assert!(
        guesses.contains(&429),
        "the guessing was never stopped: {guesses:?}"
    );
    let res = sign_in_through_proxy(&app, nat, "lab@riverside.example", "hms-demo-password").await;
    assert_ne!(res.status, 200, "the guessed account opened after the run");

    // Spraying many accounts from one address meets the address's limit,
    // which refuses even a right password from there, and nowhere else.
    let sprayer = "198.51.100.66";
    for n in 0..30 {
        let res = sign_in_through_proxy(
            &app,
            sprayer,
            &format!("shift.{}@riverside.example", n + 1),
            "wrong-password",
        )
        .await;
        assert_eq!(res.status, 422, "spray {n}");
    }
    let res = sign_in_through_proxy(
        &app,
        sprayer,
        "shift.99@riverside.example",
        "hms-demo-password",
    )
    .await;
    assert_eq!(res.status, 429, "{}", res.body);
    let res =
        sign_in_through_proxy(&app, nat, "shift.99@riverside.example", "hms-demo-password").await;
    assert_eq!(res.status, 200, "{}", res.body);

    // The trail has the client's address, from the proxy's header.
    let recorded: Vec<String> = sqlx::query_scalar(
        "select distinct host(client_addr) from audit_events where action = 'LOGIN'",
    )
    .fetch_all(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(recorded, [nat]);
    // Nor does a forged header from outside count: the peer is the client.
    let mut req = axum::http::Request::post("/fn/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", common::SITE)
        .header("x-forwarded-for", nat)
        .body(axum::body::Body::from(
            "email=shift.98%40riverside.example&password=hms-demo-password",
        ))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [192, 0, 2, 77],
            5000,
        ))));
    assert_eq!(common::send(&app, req).await.status, 200);
    let last: String = sqlx::query_scalar(
        "select host(client_addr) from audit_events where action = 'LOGIN' order by id desc limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(last, "192.0.2.77");
}
