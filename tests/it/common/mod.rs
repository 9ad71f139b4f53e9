//! Test harness: every test gets its own database, cloned from a template
//! that carries all migrations, on the throwaway cluster that `make test`
//! starts (its admin URL is in HMS_TEST_DATABASE_URL).

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use hms::server::config::{Config, Secret};
use hms::server::db::{self, roles};
use http_body_util::BodyExt;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tower::ServiceExt;

pub mod oidc;
pub mod smtp;

pub fn admin_url() -> String {
    std::env::var("HMS_TEST_DATABASE_URL").expect(
        "HMS_TEST_DATABASE_URL is not set: run the tests with `make test`, or point it at a \
         PostgreSQL server's `postgres` database as a user that may create databases",
    )
}

/// `admin_url` with another database name.
pub fn url_for(database: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{database}")
}

pub struct TestDb {
    pub name: String,
    /// As the app role, like the web server.
    pub pool: PgPool,
    /// As the owner role, like migrations and maintenance.
    pub owner_pool: PgPool,
}

/// A passing test's database is dropped; a failing one's is kept to look at
/// (its name is printed), as are all when HMS_KEEP_TEST_DATABASES is set.
/// Without this a development cluster kept every database it ever made.
impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() || std::env::var_os("HMS_KEEP_TEST_DATABASES").is_some() {
            eprintln!("kept test database {}", self.name);
            return;
        }
        let (name, admin) = (self.name.clone(), admin_url());
        // A thread and runtime of its own: the test's runtime is the one
        // running this drop, and cannot also wait on the query.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin).await?;
                // `force` ends the pools' connections, which are still open.
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "drop database if exists {name} with (force)"
                )))
                .execute(&mut admin)
                .await
                .map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// Passwords of the roles on the throwaway test cluster.
const OWNER_PASSWORD: &str = "testowner";
const APP_PASSWORD: &str = "testapp";

/// `url_for` as another role.
pub fn url_as(role: &str, password: &str, database: &str) -> String {
    let url = url_for(database);
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    format!("{scheme}://{role}:{password}@{host}")
}

pub fn app_url(database: &str) -> String {
    url_as(roles::APP_ROLE, APP_PASSWORD, database)
}

pub fn owner_url(database: &str) -> String {
    url_as(roles::OWNER_ROLE, OWNER_PASSWORD, database)
}

/// The template's name changes whenever a migration does.
fn template_name() -> String {
    let fingerprint = db::MIGRATOR.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, m| {
        m.checksum.iter().fold(h ^ m.version as u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    });
    format!("hms_template_{fingerprint:016x}")
}

async fn ensure_template(admin: &mut PgConnection) -> String {
    let name = template_name();
    // Test binaries run in parallel; one of them builds the roles and template.
    sqlx::query("select pg_advisory_lock(hashtext('hms-test-template'))")
        .execute(&mut *admin)
        .await
        .unwrap();
    roles::ensure_roles(admin, OWNER_PASSWORD, APP_PASSWORD)
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
            .bind(&name)
            .fetch_one(&mut *admin)
            .await
            .unwrap();
    if !exists {
        // Built under another name and renamed when complete, so a failed
        // build never leaves a half-migrated template behind.
        let building = format!("{name}_building");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "drop database if exists {building}"
        )))
        .execute(&mut *admin)
        .await
        .unwrap();
        roles::ensure_database(admin, &building).await.unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&owner_url(&building))
            .await
            .unwrap();
        db::migrate(&pool)
            .await
            .expect("migrations apply to the template");
        pool.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "alter database {building} rename to {name}"
        )))
        .execute(&mut *admin)
        .await
        .unwrap();
    }
    sqlx::query("select pg_advisory_unlock(hashtext('hms-test-template'))")
        .execute(&mut *admin)
        .await
        .unwrap();
    name
}

/// A fresh, migrated database of its own.
pub async fn test_db() -> TestDb {
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    let template = ensure_template(&mut admin).await;
    create_db(&mut admin, "hms_test", Some(&template)).await
}

/// A fresh database with no migrations at all (the roles exist).
pub async fn empty_db() -> TestDb {
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    ensure_template(&mut admin).await;
    create_db(&mut admin, "hms_empty", None).await
}

async fn create_db(admin: &mut PgConnection, prefix: &str, template: Option<&str>) -> TestDb {
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let from = template
        .map(|t| format!(" template {t}"))
        .unwrap_or_default();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "create database {name}{from} owner {}",
        roles::OWNER_ROLE
    )))
    .execute(&mut *admin)
    .await
    .unwrap();
    roles::ensure_database(admin, &name).await.unwrap();
    let connect = |url: String| async move {
        PgPoolOptions::new()
            .max_connections(5)
            .connect(&url)
            .await
            .unwrap()
    };
    let owner_pool = connect(owner_url(&name)).await;
    // As `hms migrate` does, so that the test apps' platform and system
    // scopes open (an empty database has no table for it yet).
    if template.is_some() {
        hms::server::tenancy::install_scope_token(&owner_pool, &scope_token())
            .await
            .unwrap();
    }
    TestDb {
        pool: connect(app_url(&name)).await,
        owner_pool,
        name,
    }
}

/// The server key of every test app (unless a test gives its own).
pub const TEST_SECRET_KEY: &str =
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// The id of the account with this email (as the owner, whatever the context).
pub async fn user_id(owner: &PgPool, email: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(owner)
        .await
        .unwrap()
}

/// The scope token of [`TEST_SECRET_KEY`], which every test database has.
pub fn scope_token() -> hms::server::tenancy::ScopeToken {
    hms::server::tenancy::ScopeToken::derive(
        &hms::server::crypto::SecretKey::from_hex(TEST_SECRET_KEY).unwrap(),
    )
}

/// The authenticator key the demo admins get in [`seed_demo_clinics`]
/// (20 bytes, as apps use).
pub const ADMIN_TOTP_SECRET: &[u8; 20] = b"hms-test-totp-secret";
/// The demo accounts that must sign in with a second factor.
pub const DEMO_ADMINS: [&str; 3] = [
    "platform@hms.example",
    "admin@riverside.example",
    "admin@hilltop.example",
];

pub fn test_config(pairs: &[(&str, &str)]) -> Config {
    let mut pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !pairs.iter().any(|(k, _)| k == "HMS_SECRET_KEY") {
        pairs.push(("HMS_SECRET_KEY".into(), TEST_SECRET_KEY.into()));
    }
    Config::from_lookup(|k| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()))
        .expect("valid test configuration")
}

/// The app's real router over `pool`, as `hms serve` builds it.
pub fn app(pool: PgPool) -> Router {
    app_with(pool, test_config(&[]))
}

/// Responses name the test's database (`x-test-database`), so the harness
/// can tell apart the many apps one test binary runs at once.
pub fn app_with(pool: PgPool, config: Config) -> Router {
    use axum::http::{HeaderName, HeaderValue};
    let database = pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_string();
    hms::server::http::router(hms::server::serve::app_state(config, pool)).layer(
        tower_http::set_header::SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-test-database"),
            HeaderValue::from_str(&database).unwrap(),
        ),
    )
}

/// Trusted-device cookies of accounts that passed their second step, per
/// test database and email: later sign-ins of the account in the same test
/// skip the code, as a person's own browser would.
static TRUSTED: std::sync::Mutex<Vec<((String, String), String)>> =
    std::sync::Mutex::new(Vec::new());

/// A pool whose server is gone: connections fail at once.
pub fn unreachable_pool() -> PgPool {
    hms::server::db::pool(
        &Secret::new("postgres://nobody:nothing@127.0.0.1:9/none"),
        2,
        std::time::Duration::from_millis(500),
    )
    .unwrap()
}

pub struct TestResponse {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> TestResponse {
    let res: Response<Body> = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    TestResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> TestResponse {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The origin of the test configuration's base URL: what a page of the app sends.
pub const SITE: &str = "http://127.0.0.1:3000";

pub async fn post_form(app: &Router, uri: &str, body: &str) -> TestResponse {
    send(
        app,
        Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", SITE)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

/// A browser-like client: keeps the session cookie (and a trusted-device
/// cookie, when the server sets one) between requests and sends this site's
/// Origin on posts.
pub struct Browser {
    pub app: Router,
    pub cookie: Option<String>,
    pub device: Option<String>,
}

impl Browser {
    pub fn new(app: &Router) -> Self {
        Self {
            app: app.clone(),
            cookie: None,
            device: None,
        }
    }

    fn cookie_header(&self) -> Option<String> {
        let both: Vec<&str> = [self.cookie.as_deref(), self.device.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!both.is_empty()).then(|| both.join("; "))
    }

    pub async fn get(&mut self, uri: &str) -> TestResponse {
        let mut req = Request::get(uri);
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", c);
        }
        let res = send(&self.app, req.body(Body::empty()).unwrap()).await;
        self.keep_cookie(&res);
        res
    }

    pub async fn post(&mut self, uri: &str, body: &str) -> TestResponse {
        let mut req = Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", SITE);
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", c);
        }
        let res = send(&self.app, req.body(Body::from(body.to_string())).unwrap()).await;
        self.keep_cookie(&res);
        res
    }

    fn keep_cookie(&mut self, res: &TestResponse) {
        for set in res
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_string();
            // An expired cookie (Max-Age=0) is the server removing it.
            let value = (!set.contains("Max-Age=0")).then_some(pair);
            if set.starts_with("hms_form_outcome=") {
                // A refused no-JS form's error (server::http::form_outcome).
                continue;
            } else if set.starts_with("hms_device=") {
                self.device = value;
            } else {
                self.cookie = value;
            }
        }
    }

    /// The password step alone, with the demo password; panics unless the
    /// password was accepted (the response says where to go next).
    pub async fn password_step(&mut self, email: &str) -> TestResponse {
        let res = self
            .post(
                "/fn/auth/sign_in",
                &format!(
                    "email={}&password=hms-demo-password",
                    email.replace('@', "%40")
                ),
            )
            .await;
        assert_eq!(res.status, 200, "{email}: {}", res.body);
        res
    }

    /// Sets up an authenticator through the set-up page's server functions
    /// (for the signed-in person, or a sign-in that must have one): returns
    /// its key and the response to the confirming code.
    pub async fn set_up_authenticator(&mut self) -> (Vec<u8>, TestResponse) {
        use hms::server::two_factor::totp;
        let setup = self.post("/fn/two_factor/start_totp_setup", "").await;
        assert_eq!(setup.status, 200, "{}", setup.body);
        let view: serde_json::Value = serde_json::from_str(&setup.body).unwrap();
        let key_text: String = view["key_text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect();
        let key = base32_decode(&key_text);
        let now = totp::step_at(chrono::Utc::now().timestamp());
        let code = totp::code_for_step(&key, now);
        let done = self
            .post("/fn/two_factor/confirm_totp", &format!("code={code}"))
            .await;
        (key, done)
    }

    /// Signs in with the demo password (and, for the demo admins, a code
    /// from their authenticator); panics unless it worked.
    pub async fn sign_in(&mut self, email: &str) -> TestResponse {
        let res = self.password_step(email).await;
        assert!(self.cookie.is_some(), "no session cookie for {email}");
        if res.header("location") != "/login/two-factor" {
            return res;
        }
        let key = (res.header("x-test-database").to_string(), email.to_string());
        let known = TRUSTED
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| c.clone());
        if let Some(device) = known {
            self.device = Some(device);
            return Box::pin(self.sign_in(email)).await;
        }
        let res = self.answer_totp(ADMIN_TOTP_SECRET, true).await;
        let device = self.device.clone().expect("a trusted-device cookie");
        TRUSTED.lock().unwrap().push((key, device));
        res
    }

    /// Answers the second step with the current code from `secret`
    /// (trusting this browser when asked); panics unless it worked.
    pub async fn answer_totp(&mut self, secret: &[u8], trust: bool) -> TestResponse {
        use hms::server::two_factor::totp;
        let now = totp::step_at(chrono::Utc::now().timestamp());
        let code = totp::code_for_step(secret, now);
        let trust = if trust { "&trust_device=yes" } else { "" };
        let res = self
            .post(
                "/fn/two_factor/answer_second_step",
                &format!("code={code}{trust}"),
            )
            .await;
        assert_eq!(res.status, 200, "second step: {}", res.body);
        res
    }
}

/// RFC 4648 base 32 (no padding), as the set-up page shows a key.
pub fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in text.chars() {
        buffer = (buffer << 5) | ALPHABET.find(c).expect("a base-32 digit") as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// Gives the account an authenticator with `secret` (as if set up), sealed
/// under [`TEST_SECRET_KEY`].
pub async fn give_authenticator(owner: &PgPool, email: &str, secret: &[u8]) {
    let key = hms::server::crypto::SecretKey::from_hex(TEST_SECRET_KEY).unwrap();
    let user: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(owner)
        .await
        .unwrap();
    let mut aad = b"totp:".to_vec();
    aad.extend_from_slice(user.as_bytes());
    sqlx::query(
        "insert into user_totp (user_id, sealed_secret, confirmed_at) values ($1, $2, now())
         on conflict (user_id) do update set sealed_secret = excluded.sealed_secret,
           confirmed_at = now(), last_used_step = 0",
    )
    .bind(user)
    .bind(key.seal(&aad, secret))
    .execute(owner)
    .await
    .unwrap();
}

/// A fresh database with the demo data (10 patients) and the app over it.
pub async fn demo_app() -> (TestDb, Router) {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    (t, app)
}

/// The count `sql` selects, read as the superuser (past row-level security).
pub async fn count(t: &TestDb, sql: &str) -> i64 {
    let mut su = PgConnection::connect(&url_for(&t.name)).await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut su)
        .await
        .unwrap()
}

/// Loads the demo data, gives the demo admins an authenticator with
/// [`ADMIN_TOTP_SECRET`], and returns the ids of (riverside, hilltop).
pub async fn seed_demo_clinics(owner: &PgPool, patients: u32) -> (uuid::Uuid, uuid::Uuid) {
    hms::server::db::seed::seed_demo(owner, patients)
        .await
        .unwrap();
    for admin in DEMO_ADMINS {
        give_authenticator(owner, admin, ADMIN_TOTP_SECRET).await;
    }
    let id = |slug: &'static str| async move {
        sqlx::query_scalar::<_, uuid::Uuid>("select id from clinics where slug = $1")
            .bind(slug)
            .fetch_one(owner)
            .await
            .unwrap()
    };
    (id("riverside").await, id("hilltop").await)
}

/// Runs `sql` (with `$1` bound to `id`) as a superuser with triggers off, as
/// someone tampering with the database directly would.
pub async fn tamper_as_superuser(t: &TestDb, sql: &str, id: i64) {
    let mut su = PgConnection::connect(&url_for(&t.name)).await.unwrap();
    sqlx::query("set session_replication_role = replica")
        .execute(&mut su)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .execute(&mut su)
        .await
        .unwrap();
}

/// The 64-character link token after `token=` in an email's text.
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..start + 64].to_string()
}

/// The link token of the newest email to `to`, read from the outbox.
pub async fn newest_token_to(database: &str, to: &str) -> String {
    let mut su = PgConnection::connect(&url_for(database)).await.unwrap();
    let body: String = sqlx::query_scalar(
        "select body_text from outbox_emails where to_address = $1 order by created_at desc limit 1",
    )
    .bind(to)
    .fetch_one(&mut su)
    .await
    .unwrap();
    token_in(&body)
}
