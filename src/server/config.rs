//! Configuration, read from environment variables only (documented with their
//! defaults in `.env.example`). A bad value stops start-up with one line that
//! names the variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::server::auth::sessions::SessionKind;

/// A configuration value that could not be used, naming its variable.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Whether `hms serve` loads demo data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoData {
    Never,
    /// Load it when the database holds no clinic yet (the first `make run`).
    IfEmpty,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub listen_addr: SocketAddr,
    /// Public URL of the app: links in emails, origin checks, HSTS on https.
    pub base_url: String,
    /// The web server's connection, as the unprivileged app role.
    /// `None` means: run the embedded PostgreSQL cluster under `data_dir`.
    pub database_url: Option<Secret>,
    /// Migrations and maintenance, as the owner role. Defaults to `database_url`.
    pub database_owner_url: Option<Secret>,
    pub data_dir: PathBuf,
    pub embedded_pg_port: u16,
    /// The unprivileged account that runs the embedded cluster when HMS runs as root.
    pub embedded_pg_user: String,
    /// False only for test clusters (HMS_EMBEDDED_PG_DURABLE=false): the
    /// embedded server then skips flushing to disk.
    pub embedded_pg_durable: bool,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
    pub site_root: PathBuf,
    pub max_body_bytes: usize,
    /// How long a connection may take to send a request's head, and stay
    /// idle between requests (HMS_HEADER_READ_TIMEOUT_SECS).
    pub header_read_timeout: Duration,
    /// Open connections at most (HMS_MAX_CONNECTIONS); more are refused.
    pub max_connections: usize,
    pub shutdown_grace: Duration,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub migrate_on_start: bool,
    pub demo_data: DemoData,
    pub sessions: SessionPolicy,
    pub mail: crate::server::mail::config::MailConfig,
    /// Seals secrets kept in the database: clinics' SSO client secrets and
    /// authenticator keys (HMS_SECRET_KEY). A local installation keeps one
    /// under `data_dir`; a server on its own database refuses to start
    /// without it.
    pub secret_key: Option<crate::server::crypto::SecretKey>,
    /// Where the audit chains' checkpoints are appended
    /// (HMS_AUDIT_CHECKPOINTS, default `data_dir/audit-checkpoints.jsonl`).
    pub audit_checkpoints: PathBuf,
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` are believed
    /// (HMS_TRUSTED_PROXIES: addresses and networks, comma-separated).
    pub trusted_proxies: crate::server::http::client_addr::TrustedProxies,
    /// How many API requests a token family and a client address may make
    /// in a window (HMS_API_REQUESTS_PER_TOKEN, HMS_API_REQUESTS_PER_ADDRESS,
    /// HMS_API_LIMIT_WINDOW_SECS).
    pub api_limits: ApiLimits,
}

/// The API's request limits, per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiLimits {
    pub per_token: u32,
    pub per_address: u32,
    pub window: Duration,
}

/// How long sessions last and how hard guessing passwords is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub staff_idle: Duration,
    pub patient_idle: Duration,
    /// No session outlives this, however active.
    pub lifetime: Duration,
    /// Consecutive failures that lock an account, and for how long.
    pub lockout_after: u32,
    pub lockout_for: Duration,
    /// Failed sign-ins (and other guesses) allowed per client address, and
    /// attempts per account, in `attempt_window`.
    pub failures_per_address: u32,
    pub attempts_per_account: u32,
    pub attempt_window: Duration,
    /// What sessions opened under this policy are for.
    pub kind: SessionKind,
}

impl SessionPolicy {
    /// The policy of API token families: a session lives as long as its
    /// refresh token, idle or not, and is renewed by each refresh.
    pub fn for_api_tokens(&self) -> Self {
        let life = crate::domain::api::tokens::REFRESH_TOKEN_TTL;
        Self {
            staff_idle: life,
            patient_idle: life,
            lifetime: life,
            kind: SessionKind::Api,
            ..self.clone()
        }
    }
}

impl Config {
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Parses configuration from any key lookup, so tests need no process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let listen_addr: SocketAddr = parse(&get, "HMS_LISTEN_ADDR", "127.0.0.1:3000", |v| {
            v.parse().map_err(|_| {
                format!("{v:?} is not a socket address (expected host:port, e.g. 127.0.0.1:3000)")
            })
        })?;
        let base_url = match get("HMS_BASE_URL") {
            None => format!("http://{listen_addr}"),
            Some(v) => parse_base_url(&v).map_err(|reason| ConfigError {
                var: "HMS_BASE_URL",
                reason,
            })?,
        };
        let database_url = parse_database_url(&get, "DATABASE_URL")?;
        let database_owner_url = parse_database_url(&get, "DATABASE_OWNER_URL")?;
        if database_owner_url.is_some() && database_url.is_none() {
            return Err(ConfigError {
                var: "DATABASE_OWNER_URL",
                reason: "set DATABASE_URL too (or neither, for the embedded database)".into(),
            });
        }
        let data_dir = PathBuf::from(get("HMS_DATA_DIR").unwrap_or_else(|| "data".into()));
        let mail = crate::server::mail::config::MailConfig::from_lookup(&get, &data_dir)?;
        let secret_key = get("HMS_SECRET_KEY")
            .map(|v| crate::server::crypto::SecretKey::from_hex(&v))
            .transpose()
            .map_err(|reason| ConfigError {
                var: "HMS_SECRET_KEY",
                reason,
            })?;
        // Named ATTEMPTS before only failures were counted; still honoured.
        let failures_var = if get("HMS_SIGN_IN_FAILURES_PER_ADDRESS").is_none()
            && get("HMS_SIGN_IN_ATTEMPTS_PER_ADDRESS").is_some()
        {
            "HMS_SIGN_IN_ATTEMPTS_PER_ADDRESS"
        } else {
            "HMS_SIGN_IN_FAILURES_PER_ADDRESS"
        };
        let audit_checkpoints = get("HMS_AUDIT_CHECKPOINTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("audit-checkpoints.jsonl"));
        let trusted_proxies = crate::server::http::client_addr::TrustedProxies::parse(
            &get("HMS_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(|reason| ConfigError {
            var: "HMS_TRUSTED_PROXIES",
            reason,
        })?;
        Ok(Config {
            secret_key,
            audit_checkpoints,
            trusted_proxies,
            listen_addr,
            base_url,
            database_url,
            database_owner_url,
            data_dir,
            mail,
            embedded_pg_port: parse(&get, "HMS_EMBEDDED_PG_PORT", "5433", |v| {
                v.parse::<u16>()
                    .ok()
                    .filter(|p| *p >= 1024)
                    .ok_or_else(|| format!("{v:?} is not a port number from 1024 to 65535"))
            })?,
            embedded_pg_user: get("HMS_EMBEDDED_PG_USER").unwrap_or_else(|| "postgres".into()),
            embedded_pg_durable: parse(&get, "HMS_EMBEDDED_PG_DURABLE", "true", parse_bool)?,
            db_max_connections: parse(&get, "HMS_DB_MAX_CONNECTIONS", "10", |v| {
                bounded::<u32>(v, 1, 500)
            })?,
            db_acquire_timeout: Duration::from_secs(parse(
                &get,
                "HMS_DB_ACQUIRE_TIMEOUT_SECS",
                "3",
                |v| bounded::<u64>(v, 1, 300),
            )?),
            site_root: PathBuf::from(get("HMS_SITE_ROOT").unwrap_or_else(|| "target/site".into())),
            max_body_bytes: parse(&get, "HMS_MAX_BODY_BYTES", "1048576", |v| {
                bounded::<usize>(v, 1024, 64 * 1024 * 1024)
            })?,
            header_read_timeout: Duration::from_secs(parse(
                &get,
                "HMS_HEADER_READ_TIMEOUT_SECS",
                "10",
                |v| bounded::<u64>(v, 1, 300),
            )?),
            max_connections: parse(&get, "HMS_MAX_CONNECTIONS", "1024", |v| {
                bounded::<usize>(v, 1, 100_000)
            })?,
            shutdown_grace: Duration::from_secs(parse(
                &get,
                "HMS_SHUTDOWN_GRACE_SECS",
                "20",
                |v| bounded::<u64>(v, 0, 600),
            )?),
            log_format: parse(&get, "HMS_LOG_FORMAT", "text", |v| match v {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err(format!("{v:?} is not one of: text, json")),
            })?,
            log_filter: get("HMS_LOG").unwrap_or_else(|| "info".into()),
            migrate_on_start: parse(&get, "HMS_MIGRATE_ON_START", "true", parse_bool)?,
            demo_data: parse(&get, "HMS_DEMO_DATA", "never", |v| match v {
                "never" => Ok(DemoData::Never),
                "if-empty" => Ok(DemoData::IfEmpty),
                _ => Err(format!("{v:?} is not one of: never, if-empty")),
            })?,
            api_limits: ApiLimits {
                // A tablet's app makes a few requests a screen; a partner's
                // sync job more. Both well under one a second on average.
                per_token: parse(&get, "HMS_API_REQUESTS_PER_TOKEN", "1200", |v| {
                    bounded::<u32>(v, 1, 100_000_000)
                })?,
                // A hospital's tablets often share one address (NAT).
                per_address: parse(&get, "HMS_API_REQUESTS_PER_ADDRESS", "6000", |v| {
                    bounded::<u32>(v, 1, 100_000_000)
                })?,
                window: secs(&get, "HMS_API_LIMIT_WINDOW_SECS", "60", 1, 3600)?,
            },
            sessions: SessionPolicy {
                staff_idle: secs(&get, "HMS_STAFF_IDLE_TIMEOUT_SECS", "900", 10, 86_400)?,
                patient_idle: secs(&get, "HMS_PATIENT_IDLE_TIMEOUT_SECS", "1800", 10, 86_400)?,
                lifetime: secs(&get, "HMS_SESSION_LIFETIME_SECS", "43200", 60, 7 * 86_400)?,
                lockout_after: parse(&get, "HMS_LOCKOUT_AFTER_FAILURES", "5", |v| {
                    bounded::<u32>(v, 1, 100)
                })?,
                lockout_for: secs(&get, "HMS_LOCKOUT_SECS", "900", 1, 86_400)?,
                failures_per_address: parse(&get, failures_var, "30", |v| {
                    bounded::<u32>(v, 1, 100_000)
                })?,
                attempts_per_account: parse(&get, "HMS_SIGN_IN_ATTEMPTS_PER_ACCOUNT", "10", |v| {
                    bounded::<u32>(v, 1, 100_000)
                })?,
                attempt_window: secs(&get, "HMS_SIGN_IN_WINDOW_SECS", "300", 1, 86_400)?,
                kind: SessionKind::Browser,
            },
        })
    }
}

/// A value that must never appear in logs: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

fn parse_database_url(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
) -> Result<Option<Secret>, ConfigError> {
    match get(var) {
        None => Ok(None),
        Some(v) if v.starts_with("postgres://") || v.starts_with("postgresql://") => {
            Ok(Some(Secret(v)))
        }
        Some(_) => Err(ConfigError {
            var,
            reason: "must start with postgres:// or postgresql://".into(),
        }),
    }
}

pub(crate) fn parse<T>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let raw = get(var).unwrap_or_else(|| default.to_string());
    f(raw.trim()).map_err(|reason| ConfigError { var, reason })
}

pub(crate) fn bounded<T>(v: &str, min: T, max: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    v.parse::<T>()
        .ok()
        .filter(|n| *n >= min && *n <= max)
        .ok_or_else(|| format!("{v:?} is not a whole number from {min} to {max}"))
}

pub(crate) fn secs(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    min: u64,
    max: u64,
) -> Result<Duration, ConfigError> {
    parse(get, var, default, |v| bounded::<u64>(v, min, max)).map(Duration::from_secs)
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("{v:?} is not true or false")),
    }
}

fn parse_base_url(v: &str) -> Result<String, String> {
    let v = v.trim_end_matches('/');
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| format!("{v:?} must start with http:// or https://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(format!(
            "{v:?} must be an origin such as https://hms.example.org, with no path"
        ));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| env.get(k).cloned())
    }

    #[test]
    fn defaults_serve_locally_with_the_embedded_database() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert!(c.database_url.is_none());
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.embedded_pg_port, 5433);
        assert!(
            c.embedded_pg_durable,
            "durable unless a test cluster says not"
        );
        assert_eq!(c.max_body_bytes, 1_048_576);
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.demo_data, DemoData::Never);
        assert!(c.migrate_on_start);
        assert!(!c.is_https());
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("HMS_LISTEN_ADDR", "localhost"),
            ("HMS_BASE_URL", "ftp://x"),
            ("HMS_BASE_URL", "https://x.org/app"),
            ("DATABASE_URL", "mysql://db"),
            ("DATABASE_OWNER_URL", "postgres://owner@db/hms"),
            ("HMS_EMBEDDED_PG_PORT", "80"),
            ("HMS_EMBEDDED_PG_PORT", "99999"),
            ("HMS_DB_MAX_CONNECTIONS", "0"),
            ("HMS_MAX_BODY_BYTES", "12kb"),
            ("HMS_LOG_FORMAT", "xml"),
            ("HMS_MIGRATE_ON_START", "maybe"),
            ("HMS_EMBEDDED_PG_DURABLE", "sometimes"),
            ("HMS_DEMO_DATA", "always"),
            ("HMS_SHUTDOWN_GRACE_SECS", "-1"),
        ];
        for (var, value) in cases {
            let err = config(&[(var, value)]).expect_err(var);
            assert_eq!(err.var, var);
            let line = err.to_string();
            assert!(line.contains(var) && !line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn values_are_read_and_trimmed() {
        let c = config(&[
            ("HMS_LISTEN_ADDR", "0.0.0.0:8080"),
            ("HMS_BASE_URL", "https://hms.example.org/"),
            ("DATABASE_URL", "postgres://app:pw@db/hms"),
            ("HMS_LOG_FORMAT", " json "),
            ("HMS_DEMO_DATA", "if-empty"),
            ("HMS_MAX_BODY_BYTES", "2048"),
        ])
        .unwrap();
        assert_eq!(c.listen_addr.port(), 8080);
        assert_eq!(c.base_url, "https://hms.example.org");
        assert!(c.is_https());
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.demo_data, DemoData::IfEmpty);
        assert_eq!(c.max_body_bytes, 2048);
    }

    #[test]
    fn empty_values_mean_the_default() {
        let c = config(&[("DATABASE_URL", ""), ("HMS_LISTEN_ADDR", "  ")]).unwrap();
        assert!(c.database_url.is_none());
        assert_eq!(c.listen_addr.port(), 3000);
    }

    #[test]
    fn the_database_password_never_appears_in_debug_output() {
        let c = config(&[("DATABASE_URL", "postgres://app:hunter2@db/hms")]).unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert_eq!(
            c.database_url.unwrap().expose(),
            "postgres://app:hunter2@db/hms"
        );
    }
}
