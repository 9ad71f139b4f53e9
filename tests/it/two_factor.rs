//! Two-factor sign-in through the server functions the pages call: setting
//! up an authenticator at sign-in, codes that work once, recovery codes,
//! trusted devices, turning it off, and a clinic admin's policy and resets.

use crate::common;

use common::{ADMIN_TOTP_SECRET, Browser, TestResponse, count, demo_app};
use hms::domain::two_factor::{
    CODE_MALFORMED, CODE_WRONG, ENROL_CODE_WRONG, STEP_EXPIRED, TOO_MANY_ATTEMPTS,
};
use hms::server::two_factor::totp;

fn now_code(secret: &[u8], offset: i64) -> String {
    totp::code_for_step(
        secret,
        totp::step_at(chrono::Utc::now().timestamp()) + offset,
    )
}

/// The base-32 key the set-up page shows, as bytes.
fn key_bytes(key_text: &str) -> Vec<u8> {
    let text: String = key_text.split_whitespace().collect();
    common::base32_decode(&text)
}

async fn answer(b: &mut Browser, code: &str) -> TestResponse {
    b.post("/fn/two_factor/answer_second_step", &format!("code={code}"))
        .await
}

/// Sets up an authenticator for the signed-in (or signing-in) person and
/// returns its key and the ten recovery codes.
async fn enrol(b: &mut Browser) -> (Vec<u8>, Vec<String>) {
    let (key, done) = b.set_up_authenticator().await;
    assert_eq!(key.len(), 20);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.header("location")
            .starts_with("/account/recovery-codes")
    );
    let codes = b.post("/fn/two_factor/fresh_recovery_codes", "").await;
    let codes: Vec<String> = serde_json::from_str(&codes.body).unwrap();
    assert_eq!(codes.len(), 10);
    (key, codes)
}

#[tokio::test]
async fn an_admin_without_an_authenticator_sets_one_up_before_entering() {
    let (t, app) = demo_app().await;
    sqlx::query("delete from user_totp where user_id = (select id from users where email = 'admin@riverside.example')")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let mut b = Browser::new(&app);
    let res = b.password_step("admin@riverside.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    let step = b.post("/fn/two_factor/pending_second_step", "").await;
    assert!(step.body.contains("\"must_enrol\":true"), "{}", step.body);
    // Not signed in yet: the clinic is closed and no session exists.
    assert_eq!(b.get("/c/riverside/admin").await.status, 303);
    let sessions = "select count(*) from user_sessions s join users u on u.id = s.user_id where u.email = 'admin@riverside.example'";
    assert_eq!(count(&t, sessions).await, 0);
    // A code cannot be answered instead of setting up.
    let refused = answer(&mut b, "123456").await;
    assert!(refused.body.contains(STEP_EXPIRED), "{}", refused.body);

    let setup = b.post("/fn/two_factor/start_totp_setup", "").await;
    let view: serde_json::Value = serde_json::from_str(&setup.body).unwrap();
    let qr = view["qr_svg"].as_str().unwrap();
    assert!(qr.starts_with("data:image/svg+xml;base64,") && qr.len() > 1000);
    let key = key_bytes(view["key_text"].as_str().unwrap());
    // Reloading the page shows the same key.
    let again: serde_json::Value =
        serde_json::from_str(&b.post("/fn/two_factor/start_totp_setup", "").await.body).unwrap();
    assert_eq!(again["key_text"], view["key_text"]);
    let wrong = b.post("/fn/two_factor/confirm_totp", "code=12345").await;
    assert!(wrong.body.contains("6-digit"), "{}", wrong.body);
    let other = if now_code(&key, 0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let wrong = b
        .post("/fn/two_factor/confirm_totp", &format!("code={other}"))
        .await;
    assert!(wrong.body.contains(ENROL_CODE_WRONG), "{}", wrong.body);
    assert_eq!(count(&t, "select count(*) from user_totp where confirmed_at is not null and user_id = (select id from users where email = 'admin@riverside.example')").await, 0);

    let done = b
        .post(
            "/fn/two_factor/confirm_totp",
            &format!("code={}", now_code(&key, 0)),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        done.header("location"),
        "/account/recovery-codes?next=%2Fc%2Friverside%2Fadmin"
    );
    assert_eq!(b.get("/c/riverside/admin").await.status, 200);
    let codes: Vec<String> =
        serde_json::from_str(&b.post("/fn/two_factor/fresh_recovery_codes", "").await.body)
            .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 14 && c.matches('-').count() == 2)
    );
    // Shown once; stored only as hashes.
    assert_eq!(
        b.post("/fn/two_factor/fresh_recovery_codes", "").await.body,
        "[]"
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from recovery_codes where used_at is null"
        )
        .await,
        10
    );
    let plain = format!(
        "select count(*) from recovery_codes where position(convert_to('{}', 'UTF8') in code_hash) > 0",
        codes[0].replace('-', "")
    );
    assert_eq!(count(&t, &plain).await, 0);
    assert_eq!(count(&t, "select count(*) from audit_events where action = 'LOGIN' and after_value->>'second_factor' = 'totp'").await, 1);
    assert_eq!(count(&t, "select count(*) from audit_events where action = 'UPDATE' and after_value->>'two_factor' = 'enabled'").await, 1);
}

#[tokio::test]
async fn a_code_works_once_and_wrong_codes_are_refused_audited_and_limited() {
    let (t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    b.password_step("admin@riverside.example").await;
    for (typed, message) in [
        ("", "Enter the 6-digit code"),
        ("12ab", CODE_MALFORMED),
        (&"9".repeat(500)[..], CODE_MALFORMED),
    ] {
        let res = answer(&mut b, typed).await;
        assert!(
            res.status >= 400 && res.body.contains(message),
            "{typed}: {}",
            res.body
        );
    }
    let right = now_code(ADMIN_TOTP_SECRET, 0);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let res = answer(&mut b, wrong).await;
    assert!(res.body.contains(CODE_WRONG), "{}", res.body);
    assert_eq!(count(&t, "select count(*) from audit_events where action = 'LOGIN_FAILED' and after_value->>'reason' = 'bad_second_factor'").await, 1);
    let res = answer(&mut b, &right).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.header("location"), "/c/riverside/admin");

    // The same code, seen over someone's shoulder, does not work again.
    let mut other = Browser::new(&app);
    other.password_step("admin@riverside.example").await;
    let res = answer(&mut other, &right).await;
    assert!(res.body.contains(CODE_WRONG), "{}", res.body);
    // Five wrong codes end the attempt.
    for _ in 0..3 {
        answer(&mut other, wrong).await;
    }
    let res = answer(&mut other, wrong).await;
    assert!(res.body.contains(TOO_MANY_ATTEMPTS), "{}", res.body);
    let res = answer(&mut other, &now_code(ADMIN_TOTP_SECRET, 1)).await;
    assert!(res.body.contains(STEP_EXPIRED), "{}", res.body);
    assert_eq!(other.get("/c/riverside/admin").await.status, 303);
    // Nobody started a sign-in in a fresh browser: the page says so, too.
    let page = Browser::new(&app).get("/login/two-factor").await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains(STEP_EXPIRED) && page.body.contains("Go to sign in"),
        "{}",
        page.body
    );
    let res = answer(&mut Browser::new(&app), &right).await;
    assert!(res.body.contains(STEP_EXPIRED), "{}", res.body);
}

#[tokio::test]
async fn a_nurse_turns_it_on_signs_in_with_a_recovery_code_once_and_turns_it_off() {
    let (t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    b.sign_in("nurse@riverside.example").await;
    let (key, codes) = enrol(&mut b).await;
    let page = b.post("/fn/accounts/my_account", "").await;
    assert!(
        page.body.contains("\"enabled\":true") && page.body.contains("\"required\":false"),
        "{}",
        page.body
    );

    let mut phone_lost = Browser::new(&app);
    let res = phone_lost.password_step("nurse@riverside.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    let res = answer(&mut phone_lost, &codes[0].to_uppercase()).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from recovery_codes where used_at is not null"
        )
        .await,
        1
    );
    let mut again = Browser::new(&app);
    again.password_step("nurse@riverside.example").await;
    let res = answer(&mut again, &codes[0]).await;
    assert!(
        res.body.contains(CODE_WRONG),
        "a recovery code works once: {}",
        res.body
    );

    // Turning it off needs a current code; a wrong one is refused and audited.
    let res = b
        .post("/fn/two_factor/disable_two_factor", "code=000000")
        .await;
    let res = if res.status == 200 {
        panic!("accepted a guess")
    } else {
        res
    };
    assert!(res.body.contains(CODE_WRONG), "{}", res.body);
    assert_eq!(count(&t, "select count(*) from audit_events where action = 'ACCESS_DENIED' and after_value->>'two_factor' like 'turn off refused%'").await, 1);
    let res = b
        .post(
            "/fn/two_factor/disable_two_factor",
            &format!("code={}", now_code(&key, 1)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(count(&t, "select count(*) from user_totp where user_id = (select id from users where email = 'nurse@riverside.example')").await, 0);
    assert_eq!(count(&t, "select count(*) from recovery_codes").await, 0);
    let mut plain = Browser::new(&app);
    let res = plain.password_step("nurse@riverside.example").await;
    assert_eq!(res.header("location"), "/c/riverside/nurse");
}

#[tokio::test]
async fn admins_cannot_turn_it_off_and_new_recovery_codes_replace_the_old() {
    let (t, app) = demo_app().await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/two_factor/disable_two_factor",
            &format!("code={}", now_code(ADMIN_TOTP_SECRET, 1)),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from user_totp where confirmed_at is not null"
        )
        .await,
        3
    );
    let res = admin
        .post(
            "/fn/two_factor/renew_recovery_codes",
            &format!("code={}", now_code(ADMIN_TOTP_SECRET, 1)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let codes: Vec<String> = serde_json::from_str(
        &admin
            .post("/fn/two_factor/fresh_recovery_codes", "")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(count(&t, "select count(*) from recovery_codes").await, 10);
}

#[tokio::test]
async fn a_trusted_device_skips_the_code_until_the_password_changes() {
    let (t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    b.password_step("admin@riverside.example").await;
    let res = b.answer_totp(ADMIN_TOTP_SECRET, true).await;
    assert!(res.header("set-cookie").contains("HttpOnly"));
    let device = b.device.clone().expect("a device cookie");
    b.post("/fn/auth/sign_out", "").await;
    let res = b.password_step("admin@riverside.example").await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/admin",
        "trusted: no code"
    );
    assert_eq!(count(&t, "select count(*) from audit_events where action = 'LOGIN' and after_value->>'second_factor' = 'trusted_device'").await, 1);
    // Another person on the same device is not trusted through it.
    let mut shared = Browser::new(&app);
    shared.device = Some(device.clone());
    let res = shared.password_step("admin@hilltop.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    // A forged device cookie is nothing.
    let mut forged = Browser::new(&app);
    forged.device = Some(format!("hms_device={}", "ab".repeat(32)));
    let res = forged.password_step("admin@riverside.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");

    let res = b
        .post(
            "/fn/accounts/change_password",
            "current=hms-demo-password&password=violet+harbour+lantern&confirm=violet+harbour+lantern",
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut later = Browser::new(&app);
    later.device = Some(device);
    let res = later
        .post(
            "/fn/auth/sign_in",
            "email=admin%40riverside.example&password=violet+harbour+lantern",
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/login/two-factor",
        "the device was forgotten"
    );
}

#[tokio::test]
async fn a_clinic_requires_it_of_all_staff_and_its_admin_resets_a_lost_phone() {
    let (t, app) = demo_app().await;
    let mut reception = Browser::new(&app);
    reception.sign_in("reception@riverside.example").await;
    let res = reception
        .post(
            "/fn/two_factor/set_clinic_two_factor",
            "slug=riverside&required=yes",
        )
        .await;
    assert_eq!(res.status, 403);
    let mut hilltop = Browser::new(&app);
    hilltop.sign_in("admin@hilltop.example").await;
    let res = hilltop
        .post(
            "/fn/two_factor/set_clinic_two_factor",
            "slug=riverside&required=yes",
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        count(&t, "select count(*) from clinics where require_two_factor").await,
        0
    );

    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/two_factor/set_clinic_two_factor",
            "slug=riverside&required=yes",
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        admin
            .post("/fn/two_factor/clinic_two_factor", "slug=riverside")
            .await
            .body,
        "true"
    );

    // The nurse must set it up now, before entering.
    let mut nurse = Browser::new(&app);
    let res = nurse.password_step("nurse@riverside.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    let (_key, _codes) = enrol(&mut nurse).await;
    assert_eq!(nurse.get("/c/riverside/nurse").await.status, 200);
    let res = nurse
        .post("/fn/two_factor/disable_two_factor", "code=000000")
        .await;
    assert_eq!(res.status, 409, "required: it stays on");

    // The nurse lost the phone: the admin resets it; the nurse is signed out.
    let member: uuid::Uuid = sqlx::query_scalar(
        "select m.id from memberships m join users u on u.id = m.user_id where u.email = 'nurse@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let res = hilltop
        .post(
            "/fn/two_factor/reset_member_two_factor",
            &format!("slug=riverside&id={member}"),
        )
        .await;
    assert_eq!(res.status, 404);
    let res = admin
        .post(
            "/fn/two_factor/reset_member_two_factor",
            &format!("slug=riverside&id={member}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(nurse.get("/c/riverside/nurse").await.status, 303);
    assert_eq!(count(&t, "select count(*) from user_totp u join users x on x.id = u.user_id where x.email = 'nurse@riverside.example'").await, 0);
    let res = admin
        .post(
            "/fn/two_factor/reset_member_two_factor",
            &format!("slug=riverside&id={member}"),
        )
        .await;
    assert_eq!(res.status, 409, "nothing left to reset: {}", res.body);
    // An admin cannot reset themselves (or anyone in another clinic too).
    let own: uuid::Uuid = sqlx::query_scalar(
        "select m.id from memberships m join users u on u.id = m.user_id where u.email = 'admin@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let res = admin
        .post(
            "/fn/two_factor/reset_member_two_factor",
            &format!("slug=riverside&id={own}"),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(count(&t, "select count(*) from user_totp u join users x on x.id = u.user_id where x.email = 'admin@riverside.example'").await, 1);
    assert_eq!(count(&t, "select count(*) from audit_events where after_value->>'two_factor' = 'reset by clinic admin'").await, 1);
}

#[tokio::test]
async fn the_operator_resets_a_platform_admin_no_clinic_admin_may_reset() {
    let (t, app) = demo_app().await;
    let mut platform = Browser::new(&app);
    platform.sign_in("platform@hms.example").await;
    assert_eq!(platform.get("/platform").await.status, 200);
    let reset = hms::server::two_factor::operator::reset;
    assert!(!reset(&t.owner_pool, "nobody@hms.example").await.unwrap());
    assert!(
        reset(&t.owner_pool, " Platform@HMS.example ")
            .await
            .unwrap()
    );
    assert_eq!(platform.get("/platform").await.status, 303, "signed out");
    assert_eq!(count(&t, "select count(*) from audit_events where after_value->>'two_factor' = 'reset by operator'").await, 1);
    let mut again = Browser::new(&app);
    let res = again.password_step("platform@hms.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    let step = again.post("/fn/two_factor/pending_second_step", "").await;
    assert!(step.body.contains("\"must_enrol\":true"), "{}", step.body);
}

#[tokio::test]
async fn two_renders_of_the_set_up_page_at_once_show_the_key_that_is_kept() {
    let (_t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    b.sign_in("nurse@riverside.example").await;
    let mut twin = Browser {
        app: app.clone(),
        cookie: b.cookie.clone(),
        device: None,
    };
    let (one, two) = tokio::join!(
        b.post("/fn/two_factor/start_totp_setup", ""),
        twin.post("/fn/two_factor/start_totp_setup", "")
    );
    let key = |r: &TestResponse| {
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["key_text"].as_str().unwrap().to_string()
    };
    assert_eq!(key(&one), key(&two));
    let code = now_code(&key_bytes(&key(&one)), 0);
    let res = b
        .post("/fn/two_factor/confirm_totp", &format!("code={code}"))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}
