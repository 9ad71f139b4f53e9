//! Single sign-on against a real OpenID provider (npm oidc-provider, started
//! by the test), through the app's own routes and server functions: a clinic
//! admin saves the settings, people sign in at the provider's pages and come
//! back signed in, provisioned, linked or waiting for approval; and every
//! forged, replayed or unacceptable sign-in is refused, audited and creates
//! nothing.

use crate::common;

use common::oidc::{CLIENT_ID, CLIENT_SECRET, OidcProvider, sign_in_at_provider};
use common::{Browser, TestDb, app_with, seed_demo_clinics, test_config, test_db};
use sqlx::{Connection, PgConnection};

const CALLBACK: &str = "http://127.0.0.1:3000/sso/callback";
const SEALED: &str = "select client_secret_sealed from clinic_sso_settings";

fn enc(s: &str) -> String {
    s.replace('%', "%25")
        .replace('@', "%40")
        .replace(':', "%3A")
        .replace('/', "%2F")
        .replace(' ', "+")
        .replace(',', "%2C")
}

async fn setup() -> (TestDb, axum::Router) {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app_with(t.pool.clone(), test_config(&[]));
    (t, app)
}

/// Saves riverside's settings as its admin through the settings form's
/// server function; `new_users` is "provision" (as nurses) or "approval".
async fn configure(app: &axum::Router, issuer: &str, new_users: &str) -> common::TestResponse {
    let mut admin = Browser::new(app);
    admin.sign_in("admin@riverside.example").await;
    let role = if new_users == "provision" {
        "nurse"
    } else {
        ""
    };
    admin
        .post(
            "/fn/sso/save_sso_settings",
            &format!(
                "slug=riverside&settings%5Bdisplay_name%5D=Northfield+Identity\
                 &settings%5Bissuer_url%5D={}&settings%5Bclient_id%5D={CLIENT_ID}\
                 &settings%5Bclient_secret%5D={CLIENT_SECRET}\
                 &settings%5Ballowed_domains%5D={}\
                 &settings%5Bnew_users%5D={new_users}&settings%5Bprovision_role%5D={role}\
                 &settings%5Benabled%5D=on",
                enc(issuer),
                enc("riverside.example, northfield.example")
            ),
        )
        .await
}

/// Starts single sign-on in `browser` and returns the provider's address.
async fn start(browser: &mut Browser) -> String {
    let res = browser.get("/sso/riverside/start").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let to = res.header("location").to_string();
    assert!(to.contains("code_challenge_method=S256"), "{to}");
    assert!(to.contains("nonce=") && to.contains("state="), "{to}");
    to
}

/// The path of the provider's redirect back to HMS.
fn local(callback: &str) -> String {
    callback
        .strip_prefix("http://127.0.0.1:3000")
        .unwrap()
        .to_string()
}

/// Signs in through the provider as `email`; returns the final response.
async fn sso(browser: &mut Browser, email: &str) -> common::TestResponse {
    let at_provider = start(browser).await;
    let back = sign_in_at_provider(&at_provider, email, CALLBACK).await;
    browser.get(&local(&back)).await
}

/// Looks at the database as its superuser, past row-level security.
async fn superuser(t: &TestDb) -> PgConnection {
    PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap()
}

/// The one value `sql` selects.
async fn one<T>(t: &TestDb, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut superuser(t).await)
        .await
        .unwrap()
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    one(t, sql).await
}

/// Everything a sign-in could create.
async fn footprint(t: &TestDb) -> (i64, i64, i64, i64, i64) {
    (
        count(t, "select count(*) from users").await,
        count(t, "select count(*) from memberships").await,
        count(t, "select count(*) from sso_identities").await,
        count(t, "select count(*) from sso_access_requests").await,
        count(t, "select count(*) from user_sessions").await,
    )
}

async fn last_detail(t: &TestDb) -> String {
    one::<Option<String>>(
        t,
        "select (select after_value->>'detail' from audit_events
                 where action = 'LOGIN_FAILED' order by id desc limit 1)",
    )
    .await
    .unwrap_or_default()
}

async fn last_failure(t: &TestDb) -> String {
    one(
        t,
        "select after_value->>'reason' from audit_events where action = 'LOGIN_FAILED'
         and after_value->>'method' = 'sso' order by id desc limit 1",
    )
    .await
}

#[tokio::test]
async fn a_first_sign_in_provisions_the_person_and_the_second_reuses_their_account() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    let saved = configure(&app, &provider.issuer, "provision").await;
    assert!(saved.status < 400, "{}: {}", saved.status, saved.body);

    // The secret is sealed at rest and never sent back to the page.
    let sealed: Vec<u8> = one(&t, SEALED).await;
    assert!(
        !sealed
            .windows(CLIENT_SECRET.len())
            .any(|w| w == CLIENT_SECRET.as_bytes())
    );
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let page = admin
        .post("/fn/sso/clinic_sso", "slug=riverside&page=1")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&provider.issuer) && !page.body.contains(CLIENT_SECRET));

    let before = footprint(&t).await;
    let mut browser = Browser::new(&app);
    let res = sso(&mut browser, "amira.haddad@northfield.example").await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.header("location"),
        "/c/riverside/nurse",
        "{}",
        last_detail(&t).await
    );
    assert_eq!(browser.get("/c/riverside/nurse").await.status, 200);
    let after = footprint(&t).await;
    assert_eq!(
        (after.0, after.1, after.2),
        (before.0 + 1, before.1 + 1, before.2 + 1)
    );
    assert_eq!(
        count(&t, "select count(*) from users where email = 'amira.haddad@northfield.example' and password_hash is null").await,
        1,
        "an SSO-only account has no password"
    );
    assert_eq!(
        count(&t, "select count(*) from audit_events where action = 'LOGIN' and after_value->>'method' = 'sso'").await,
        1
    );

    // Again, from another browser: the same account, nothing new.
    let mut again = Browser::new(&app);
    let res = sso(&mut again, "amira.haddad@northfield.example").await;
    assert_eq!(res.header("location"), "/c/riverside/nurse");
    let second = footprint(&t).await;
    assert_eq!((second.0, second.1, second.2), (after.0, after.1, after.2));
    assert_eq!(second.4, after.4 + 1, "one more session");
}

#[tokio::test]
async fn an_existing_account_is_linked_by_its_verified_email() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "approval").await;
    let before = footprint(&t).await;
    let mut browser = Browser::new(&app);
    let res = sso(&mut browser, "doctor@riverside.example").await;
    assert_eq!(
        res.header("location"),
        "/c/riverside/doctor",
        "{}",
        res.body
    );
    let after = footprint(&t).await;
    assert_eq!(
        (after.0, after.1, after.2, after.3),
        (before.0, before.1, before.2 + 1, before.3)
    );
    // Their password still works too.
    Browser::new(&app).sign_in("doctor@riverside.example").await;
}

#[tokio::test]
async fn someone_new_waits_for_an_admin_who_approves_them_into_a_role() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "approval").await;
    let before = footprint(&t).await;
    let mut browser = Browser::new(&app);
    let res = sso(&mut browser, "ben.okafor@northfield.example").await;
    assert_eq!(res.header("location"), "/sso/requested");
    let waiting = footprint(&t).await;
    assert_eq!(
        (waiting.0, waiting.1, waiting.3),
        (before.0, before.1, before.3 + 1)
    );
    // Asking again does not queue twice.
    sso(&mut Browser::new(&app), "ben.okafor@northfield.example").await;
    assert_eq!(footprint(&t).await.3, waiting.3);

    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let page = admin
        .post("/fn/sso/clinic_sso", "slug=riverside&page=1")
        .await;
    assert!(
        page.body.contains("ben.okafor@northfield.example"),
        "{}",
        page.body
    );
    // When they asked, in the clinic's time zone.
    assert!(
        page.body.contains("\"zone\":\"Europe/London\""),
        "{}",
        page.body
    );
    let id: uuid::Uuid = one(
        &t,
        "select id from sso_access_requests where decided_at is null",
    )
    .await;
    // A doctor needs a department; a platform admin cannot be given.
    let res = admin
        .post(
            "/fn/sso/approve_sso_request",
            &format!("slug=riverside&id={id}&role=doctor&department="),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    let res = admin
        .post(
            "/fn/sso/approve_sso_request",
            &format!("slug=riverside&id={id}&role=platform_admin&department="),
        )
        .await;
    assert_eq!(res.status, 422);
    let res = admin
        .post(
            "/fn/sso/approve_sso_request",
            &format!("slug=riverside&id={id}&role=receptionist&department="),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from outbox_emails where kind = 'sso_approved'"
        )
        .await,
        1
    );
    let res = sso(&mut Browser::new(&app), "ben.okafor@northfield.example").await;
    assert_eq!(res.header("location"), "/c/riverside/reception");

    // Answered requests cannot be answered again.
    let res = admin
        .post(
            "/fn/sso/reject_sso_request",
            &format!("slug=riverside&id={id}&reason="),
        )
        .await;
    assert_eq!(res.status, 409);
}

#[tokio::test]
async fn a_declined_person_is_told_so_and_nothing_is_created() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "approval").await;
    sso(&mut Browser::new(&app), "cara@northfield.example").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let id: uuid::Uuid = one(&t, "select id from sso_access_requests").await;
    let res = admin
        .post(
            "/fn/sso/reject_sso_request",
            &format!("slug=riverside&id={id}&reason=Not+our+staff"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let before = footprint(&t).await;
    let res = sso(&mut Browser::new(&app), "cara@northfield.example").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=rejected&clinic=riverside"
    );
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn accounts_outside_the_allowed_domains_or_unverified_are_refused() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let before = footprint(&t).await;
    let res = sso(&mut Browser::new(&app), "sam@elsewhere.example").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=domain_not_allowed&clinic=riverside"
    );
    assert_eq!(last_failure(&t).await, "domain_not_allowed");
    let res = sso(&mut Browser::new(&app), "unverified.ida@northfield.example").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=email_not_verified&clinic=riverside"
    );
    assert_eq!(last_failure(&t).await, "email_not_verified");
    assert_eq!(footprint(&t).await, before);
    // The sign-in page says why.
    let page = Browser::new(&app)
        .get("/login?sso=domain_not_allowed&clinic=riverside")
        .await;
    assert!(
        page.body
            .contains("Accounts from that email domain cannot sign in to this clinic")
    );
    assert!(page.body.contains("Sign in with Northfield Identity"));
}

#[tokio::test]
async fn a_tampered_state_or_a_callback_nobody_started_is_refused() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let before = footprint(&t).await;
    let mut browser = Browser::new(&app);
    let at_provider = start(&mut browser).await;
    let back = sign_in_at_provider(&at_provider, "amira@northfield.example", CALLBACK).await;
    let (head, state) = back.split_once("state=").unwrap();
    let state_end = state.find('&').unwrap_or(state.len());
    // One character changed (to one it was not).
    let swap = if state.starts_with('X') { 'Y' } else { 'X' };
    let tampered = format!(
        "{head}state={swap}{}{}",
        &state[1..state_end],
        &state[state_end..]
    );
    let res = browser.get(&local(&tampered)).await;
    assert_eq!(
        res.header("location"),
        "/login?sso=state_mismatch&clinic=riverside"
    );
    // The untampered callback no longer works either: the attempt is used up.
    let res = browser.get(&local(&back)).await;
    assert_eq!(res.header("location"), "/login?sso=state_mismatch");
    // Nor in a browser that never started one.
    let res = Browser::new(&app).get(&local(&back)).await;
    assert_eq!(res.header("location"), "/login?sso=state_mismatch");
    assert_eq!(last_failure(&t).await, "state_mismatch");
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let mut browser = Browser::new(&app);
    let at_provider = start(&mut browser).await;
    let back = sign_in_at_provider(&at_provider, "amira@northfield.example", CALLBACK).await;
    assert_eq!(browser.get(&local(&back)).await.status, 303);
    let before = footprint(&t).await;

    // The same code again, with a fresh attempt's state: the provider refuses it.
    let mut attacker = Browser::new(&app);
    let fresh = start(&mut attacker).await;
    let state = fresh
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let code = back
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let res = attacker
        .get(&format!("/sso/callback?code={code}&state={state}"))
        .await;
    assert_eq!(
        res.header("location"),
        "/login?sso=invalid_token&clinic=riverside"
    );
    assert_eq!(last_failure(&t).await, "invalid_token");
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn an_id_token_for_another_nonce_is_refused() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let before = footprint(&t).await;
    let mut browser = Browser::new(&app);
    let at_provider = start(&mut browser).await;
    // Someone swaps the nonce on the way to the provider: the ID token
    // carries theirs, not the one this session expects.
    let (head, rest) = at_provider.split_once("nonce=").unwrap();
    let end = rest.find('&').unwrap_or(rest.len());
    let swapped = format!("{head}nonce=attacker-chosen-nonce{}", &rest[end..]);
    let back = sign_in_at_provider(&swapped, "amira@northfield.example", CALLBACK).await;
    let res = browser.get(&local(&back)).await;
    assert_eq!(
        res.header("location"),
        "/login?sso=invalid_token&clinic=riverside"
    );
    let detail = last_detail(&t).await;
    assert!(detail.to_lowercase().contains("nonce"), "{detail}");
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let (t, app) = setup().await;
    // The provider's clock is two minutes behind and its ID tokens live one
    // minute: they have expired when HMS receives them.
    let provider = OidcProvider::start_with_clock(CALLBACK, -120, 60);
    configure(&app, &provider.issuer, "provision").await;
    let before = footprint(&t).await;
    let res = sso(&mut Browser::new(&app), "amira@northfield.example").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=invalid_token&clinic=riverside"
    );
    let detail = last_detail(&t).await;
    assert!(detail.to_lowercase().contains("expired"), "{detail}");
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn a_deactivated_member_cannot_come_back_through_the_provider() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    sqlx::query(
        "update memberships set active = false where user_id =
         (select id from users where email = 'nurse@riverside.example')",
    )
    .execute(&mut superuser(&t).await)
    .await
    .unwrap();
    let before = footprint(&t).await;
    let res = sso(&mut Browser::new(&app), "nurse@riverside.example").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=access_ended&clinic=riverside"
    );
    assert_eq!(footprint(&t).await, before);
}

#[tokio::test]
async fn bad_settings_are_refused_by_field_and_only_admins_may_save() {
    let (t, app) = setup().await;
    // Nobody listens here.
    let dead = format!("http://127.0.0.1:{}", common::smtp::free_port());
    let res = configure(&app, &dead, "provision").await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("could not reach"), "{}", res.body);
    // Something answers, but not with OpenID Connect metadata.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let not_oidc = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let body = r#"{"hello":"world"}"#;
            let _ = s
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
    });
    let res = configure(&app, &not_oidc, "provision").await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("valid OpenID Connect discovery document"),
        "{}",
        res.body
    );
    // A plain-http issuer elsewhere than this machine.
    let res = configure(&app, "http://id.example.org", "provision").await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("https://"), "{}", res.body);
    assert_eq!(
        count(&t, "select count(*) from clinic_sso_settings").await,
        0
    );

    // A receptionist may not read or save them; another clinic's admin
    // cannot reach them at all.
    let provider = OidcProvider::start(CALLBACK);
    let mut reception = Browser::new(&app);
    reception.sign_in("reception@riverside.example").await;
    assert_eq!(
        reception
            .post("/fn/sso/clinic_sso", "slug=riverside&page=1")
            .await
            .status,
        403
    );
    let mut other = Browser::new(&app);
    other.sign_in("admin@hilltop.example").await;
    assert_eq!(
        other
            .post("/fn/sso/clinic_sso", "slug=riverside&page=1")
            .await
            .status,
        404
    );
    assert!(configure(&app, &provider.issuer, "provision").await.status < 400);
    let res = other
        .post("/fn/sso/clinic_sso", "slug=hilltop&page=1")
        .await;
    assert!(
        !res.body.contains(&provider.issuer),
        "hilltop sees riverside's settings"
    );

    // Saving again without a secret keeps the sealed one.
    let first: Vec<u8> = one(&t, SEALED).await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/sso/save_sso_settings",
            &format!(
                "slug=riverside&settings%5Bdisplay_name%5D=Renamed&settings%5Bissuer_url%5D={}\
                 &settings%5Bclient_id%5D=hms&settings%5Bclient_secret%5D=\
                 &settings%5Ballowed_domains%5D=northfield.example&settings%5Bnew_users%5D=provision\
                 &settings%5Bprovision_role%5D=doctor",
                enc(&provider.issuer)
            ),
        )
        .await;
    assert_eq!(res.status, 422, "doctors are not provisioned automatically");
    assert!(res.body.contains("provision_role"));
    assert_eq!(one::<Vec<u8>>(&t, SEALED).await, first);
}

#[tokio::test]
async fn a_work_email_finds_its_clinics_sign_in() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let res = Browser::new(&app)
        .post(
            "/fn/sso/find_sso",
            "work_email=someone%40northfield.example&next=",
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/login?sso_domain=northfield.example",
        "{}",
        res.body
    );
    let page = Browser::new(&app)
        .get("/login?sso_domain=northfield.example")
        .await;
    assert!(
        page.body.contains(r#"href="/sso/riverside/start""#),
        "{}",
        page.body
    );
    let res = Browser::new(&app)
        .post(
            "/fn/sso/find_sso",
            "work_email=someone%40elsewhere.example&next=",
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("No clinic signs in people from that domain")
    );
    let res = Browser::new(&app)
        .post("/fn/sso/find_sso", "work_email=not-an-email&next=")
        .await;
    assert_eq!(res.status, 422);
    // A clinic without single sign-on sends people back to the sign-in page.
    let res = Browser::new(&app).get("/sso/hilltop/start").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=not_configured&clinic=hilltop"
    );
    // An address naming no clinic at all is not worth an audit event.
    let audited = count(&t, "select count(*) from audit_events").await;
    let res = Browser::new(&app).get("/sso/no-such-clinic/start").await;
    assert_eq!(
        res.header("location"),
        "/login?sso=not_configured&clinic=no-such-clinic"
    );
    assert_eq!(
        count(&t, "select count(*) from audit_events").await,
        audited
    );
}

#[tokio::test]
async fn a_provider_that_asserted_mfa_spares_the_code_and_one_that_did_not_asks_for_it() {
    let (t, app) = setup().await;
    let provider = OidcProvider::start(CALLBACK);
    configure(&app, &provider.issuer, "provision").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/two_factor/set_clinic_two_factor",
            "slug=riverside&required=yes",
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);

    // The test provider reports amr ["pwd", "mfa", "otp"] for these.
    let mut strong = Browser::new(&app);
    let res = sso(&mut strong, "mfa.nurse@northfield.example").await;
    assert_eq!(res.header("location"), "/c/riverside/nurse");
    assert_eq!(
        count(&t, "select count(*) from audit_events where action = 'LOGIN' and after_value->>'second_factor' = 'provider_mfa'").await,
        1
    );

    // A password alone at the provider: the clinic's rule asks for set-up.
    let mut plain = Browser::new(&app);
    let res = sso(&mut plain, "plain.nurse@northfield.example").await;
    assert_eq!(res.header("location"), "/login/two-factor");
    let step = plain.post("/fn/two_factor/pending_second_step", "").await;
    assert!(step.body.contains("\"must_enrol\":true"), "{}", step.body);
    assert_eq!(plain.get("/c/riverside/nurse").await.status, 303);
    assert_eq!(
        count(&t, "select count(*) from user_sessions s join users u on u.id = s.user_id where u.email = 'plain.nurse@northfield.example'").await,
        0
    );
    // Set up now; the sign-in finishes in the clinic it started from.
    let (_key, done) = plain.set_up_authenticator().await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        done.header("location"),
        "/account/recovery-codes?next=%2Fc%2Friverside%2Fnurse"
    );
    assert_eq!(
        count(&t, "select count(*) from audit_events a join clinics c on c.id = a.clinic_id where c.slug = 'riverside' and a.action = 'LOGIN' and a.after_value->>'method' = 'sso' and a.after_value->>'second_factor' = 'totp'").await,
        1
    );
}
