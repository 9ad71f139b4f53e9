//! Password reset by email through the server functions the pages call: the
//! same answer for every address, a link (delivered by a real SMTP server)
//! that works once for 30 minutes, sessions ended and the account unlocked
//! after a reset; forged, used and expired links refused and audited.

use crate::common;

use common::smtp::{SmtpServer, readable};
use common::{Browser, app, seed_demo_clinics, test_db};
use sqlx::{Connection, PgConnection};

const NEW: &str = "quiet+river+copper+lamp";

fn token_in(text: &str) -> String {
    let start =
        text.find("reset-password?token=").expect("a reset link") + "reset-password?token=".len();
    text[start..start + 64].to_string()
}

async fn superuser(db: &str) -> PgConnection {
    PgConnection::connect(&common::url_for(db)).await.unwrap()
}

#[tokio::test]
async fn a_reset_link_arrives_works_once_and_signs_the_account_out_everywhere() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    // Signed in elsewhere, and locked after too many wrong passwords.
    let mut elsewhere = Browser::new(&app);
    elsewhere.sign_in("lab@riverside.example").await;
    sqlx::query("update users set locked_until = now() + interval '1 hour' where email = 'lab@riverside.example'")
        .execute(&mut superuser(&t.name).await)
        .await
        .unwrap();

    let mut visitor = Browser::new(&app);
    let known = visitor
        .post(
            "/fn/auth/request_password_reset",
            "email=LAB%40riverside.example",
        )
        .await;
    let unknown = visitor
        .post(
            "/fn/auth/request_password_reset",
            "email=nobody%40riverside.example",
        )
        .await;
    // Identical answers: nobody learns which address has an account.
    assert_eq!(
        (known.status, known.header("location")),
        (unknown.status, unknown.header("location"))
    );
    assert_eq!(known.body, unknown.body);

    let smtp = SmtpServer::start();
    assert_eq!(
        common::smtp::sender_to(&t.pool, smtp.port)
            .await
            .deliver_due()
            .await
            .unwrap()
            .sent,
        1
    );
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "only the real account gets an email");
    let mail = readable(&messages[0]);
    assert!(mail.contains("Subject: Reset your HMS password"), "{mail}");
    assert!(mail.contains("30 minutes"), "{mail}");
    let token = token_in(&mail);

    let status = visitor
        .post("/fn/auth/password_reset_status", &format!("token={token}"))
        .await;
    assert_eq!(status.status, 200, "{}", status.body);
    let res = visitor
        .post(
            "/fn/auth/reset_password",
            &format!("token={token}&password={NEW}&confirm={NEW}"),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);

    // Signed out everywhere; the old password is gone, the new one works
    // (the lock is lifted).
    let res = elsewhere.get("/c/riverside/lab").await;
    assert!(
        res.header("location").contains("reason=password_reset"),
        "{}",
        res.header("location")
    );
    let old = Browser::new(&app)
        .post(
            "/fn/auth/sign_in",
            "email=lab%40riverside.example&password=hms-demo-password",
        )
        .await;
    assert_eq!(old.status, 422, "{}", old.body);
    let new = Browser::new(&app)
        .post(
            "/fn/auth/sign_in",
            &format!("email=lab%40riverside.example&password={NEW}"),
        )
        .await;
    assert!(new.status < 400, "{}", new.body);

    let again = visitor
        .post(
            "/fn/auth/reset_password",
            &format!("token={token}&password={NEW}&confirm={NEW}"),
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already been used"), "{}", again.body);
}

#[tokio::test]
async fn forged_expired_and_superseded_links_and_bad_passwords_are_refused() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut visitor = Browser::new(&app);
    for email in ["nurse%40riverside.example", "nurse%40riverside.example"] {
        let res = visitor
            .post("/fn/auth/request_password_reset", &format!("email={email}"))
            .await;
        assert!(res.status < 400, "{}", res.body);
    }
    let mut su = superuser(&t.name).await;
    let bodies: Vec<String> =
        sqlx::query_scalar("select body_text from outbox_emails order by created_at")
            .fetch_all(&mut su)
            .await
            .unwrap();
    let (first, second) = (token_in(&bodies[0]), token_in(&bodies[1]));
    let hash_before: Option<String> = sqlx::query_scalar(
        "select password_hash from users where email = 'nurse@riverside.example'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    let reset = |token: &str, password: &str, confirm: &str| {
        format!("token={token}&password={password}&confirm={confirm}")
    };

    for (body, status, says) in [
        (reset(&"0".repeat(64), NEW, NEW), 409, "not valid"),
        (reset("short", NEW, NEW), 409, "not valid"),
        (
            reset(&second, "password12345", "password12345"),
            422,
            "too common",
        ),
        (
            reset(&second, NEW, "something+else+entirely"),
            422,
            "not the same",
        ),
    ] {
        let res = visitor.post("/fn/auth/reset_password", &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
    }
    // Malformed addresses get a field error, not the generic answer.
    let res = visitor
        .post("/fn/auth/request_password_reset", "email=not-an-email")
        .await;
    assert_eq!(res.status, 422, "{}", res.body);

    sqlx::query("update password_resets set expires_at = now() - interval '1 second', created_at = now() - interval '31 minutes' where token_hash = sha256($1::bytea)")
        .bind(first.as_bytes())
        .execute(&mut su)
        .await
        .unwrap();
    let res = visitor
        .post("/fn/auth/reset_password", &reset(&first, NEW, NEW))
        .await;
    assert!(
        res.status == 409 && res.body.contains("expired"),
        "{}",
        res.body
    );
    let hash_after: Option<String> = sqlx::query_scalar(
        "select password_hash from users where email = 'nurse@riverside.example'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    assert_eq!(
        hash_before, hash_after,
        "no refused link changed the password"
    );

    // Using the newer link retires every other outstanding one.
    let res = visitor
        .post("/fn/auth/reset_password", &reset(&second, NEW, NEW))
        .await;
    assert!(res.status < 400, "{}", res.body);
    let open: i64 =
        sqlx::query_scalar("select count(*) from password_resets where used_at is null")
            .fetch_one(&mut su)
            .await
            .unwrap();
    assert_eq!(open, 0);
    let refusals: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'ACCESS_DENIED' and entity_type = 'password_reset'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    assert_eq!(refusals, 3, "forged twice and expired");
}

#[tokio::test]
async fn asking_again_and_again_is_rate_limited() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app_with(
        t.pool.clone(),
        common::test_config(&[("HMS_SIGN_IN_ATTEMPTS_PER_ACCOUNT", "3")]),
    );
    let mut visitor = Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            visitor
                .post(
                    "/fn/auth/request_password_reset",
                    "email=doctor%40riverside.example",
                )
                .await
                .status,
        );
    }
    assert!(statuses[..3].iter().all(|s| *s < 400), "{statuses:?}");
    assert_eq!(statuses[3], 429);
    let sent: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&mut superuser(&t.name).await)
        .await
        .unwrap();
    assert_eq!(sent, 3);
}

/// Asking for a link for an account and for no account take the same
/// time, so a stopwatch does not tell which addresses have one.
#[tokio::test]
async fn reset_requests_take_the_same_time_whether_or_not_the_account_exists() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 0).await;
    sqlx::query(
        "insert into users (email, display_name)
         select format('known.%s@riverside.example', n), 'Known' from generate_series(1, 15) n",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let app = app(t.pool.clone());
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for n in 1..=15 {
        for (kind, times) in [("known", &mut known), ("nobody", &mut unknown)] {
            let started = std::time::Instant::now();
            let res = common::post_form(
                &app,
                "/fn/auth/request_password_reset",
                &format!("email={kind}.{n}%40riverside.example"),
            )
            .await;
            assert!(res.status < 400, "{}", res.body);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (k, u) = (median(&mut known), median(&mut unknown));
    // Within 5% of each other: before the padding the medians were 3.1 and
    // 2.3 ms, a third apart; padded they differ by scheduling noise.
    assert!(
        (k - u).abs() < 0.05 * k.min(u),
        "known {k:.1} ms, unknown {u:.1} ms"
    );
    let sent: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&mut superuser(&t.name).await)
        .await
        .unwrap();
    assert_eq!(sent, 15, "only the known accounts got a link");
}
