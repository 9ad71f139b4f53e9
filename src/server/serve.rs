//! `hms serve`: database up, migrations, optional demo data, then HTTP until
//! Ctrl-C or SIGTERM, finishing requests in flight before exiting.

use std::sync::Arc;

use anyhow::Context;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use crate::server::auth::throttle::SignInThrottle;
use crate::server::config::{Config, DemoData, Secret};
use crate::server::db::embedded::{EmbeddedPostgres, Started};
use crate::server::db::seed;
use crate::server::db::{self, roles};
use crate::server::http::pwa::{self, PwaAssets};
use crate::server::state::AppState;
use crate::server::{http, jobs, mail};

/// The database HMS talks to, and the embedded cluster if this process started it.
pub struct Database {
    /// As the app role: what the web server uses.
    pub app_url: Secret,
    /// As the owner role: migrations and maintenance.
    pub owner_url: Secret,
    pub started: Option<EmbeddedPostgres>,
}

impl Database {
    /// Uses `DATABASE_URL` (and `DATABASE_OWNER_URL`), or starts the embedded
    /// cluster with its roles and `hms` database.
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        if let Some(url) = &config.database_url {
            let owner_url = match &config.database_owner_url {
                Some(owner) => owner.clone(),
                None => {
                    tracing::warn!(
                        "DATABASE_OWNER_URL is not set: migrations run as the DATABASE_URL role, \
                         so the web server's role owns the schema"
                    );
                    url.clone()
                }
            };
            return Ok(Self {
                app_url: url.clone(),
                owner_url,
                started: None,
            });
        }
        let pg = EmbeddedPostgres::new(
            &config.data_dir,
            config.embedded_pg_port,
            &config.embedded_pg_user,
        )?
        .durable(config.embedded_pg_durable);
        let started = pg.start().await?;
        tracing::info!(
            pgdata = %pg.pgdata().display(),
            port = pg.port(),
            "embedded PostgreSQL {}",
            if started == Started::Now { "started" } else { "already running" }
        );
        pg.ensure_database("hms").await?;
        Ok(Self {
            app_url: pg.url_as(roles::APP_ROLE, "hms")?,
            owner_url: pg.url_as(roles::OWNER_ROLE, "hms")?,
            started: (started == Started::Now).then_some(pg),
        })
    }

    /// A short-lived pool as the owner role, for migrations and maintenance.
    pub fn owner_pool(&self) -> anyhow::Result<PgPool> {
        db::pool(&self.owner_url, 4, std::time::Duration::from_secs(30))
    }

    pub async fn close(self) {
        if let Some(pg) = self.started {
            match pg.stop().await {
                Ok(()) => tracing::info!("embedded PostgreSQL stopped"),
                Err(e) => tracing::error!(cause = %format!("{e:#}"), "could not stop PostgreSQL"),
            }
        }
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let mut options = LeptosOptions::builder()
        .output_name("hms")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr)
        .env(leptos::config::Env::PROD)
        .build();
    // Release builds from cargo-leptos carry hashed bundle names.
    options.hash_files = pwa::has_hash_file(&options);
    options
}

pub fn app_state(config: Config, pool: PgPool) -> AppState {
    let leptos_options = leptos_options(&config);
    let pwa = PwaAssets::discover(&leptos_options);
    let s = &config.sessions;
    let throttle = SignInThrottle::new(
        s.failures_per_address,
        s.attempts_per_account,
        s.attempt_window,
    );
    // `run` always sets the key; a state built without one (never served)
    // gets a token the database does not know, so no scope opens for it.
    let scope = crate::server::tenancy::ScopeToken::derive(
        config
            .secret_key
            .as_ref()
            .unwrap_or(&crate::server::crypto::SecretKey::random()),
    );
    AppState {
        api_limiter: Arc::new(crate::server::api::limits::ApiLimiter::new(
            config.api_limits,
        )),
        events: crate::server::events::EventHub::new(pool.clone()),
        pool,
        scope,
        config: Arc::new(config),
        leptos_options,
        pwa: Arc::new(pwa),
        sign_in_throttle: Arc::new(throttle),
        providers: Arc::new(crate::server::sso::provider::Providers::new()),
    }
}

pub async fn run(mut config: Config) -> anyhow::Result<()> {
    let database = Database::open(&config).await?;
    if config.secret_key.is_none() {
        if config.database_url.is_some() {
            // Servers sharing a database must share the key; one made up here
            // would lock every other instance out of the secrets it seals.
            anyhow::bail!(
                "HMS_SECRET_KEY is not set: give every server of this database the same 64 hexadecimal digits (openssl rand -hex 32)"
            );
        }
        // The embedded database is a local installation: its key lives beside it.
        let path = local_key_path(&config);
        let earlier = config.data_dir.join("sso-secret.key");
        if !path.exists() && earlier.exists() {
            std::fs::rename(&earlier, &path)?;
        }
        config.secret_key = Some(crate::server::crypto::SecretKey::load_or_create(&path)?);
    }
    let result = serve(config, &database).await;
    database.close().await;
    result
}

/// Where a local installation (the embedded database) keeps its key.
fn local_key_path(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("secret.key")
}

/// The server's key for maintenance commands: as the server has it, and
/// never made up (a new key would verify nothing).
pub fn existing_secret_key(config: &Config) -> anyhow::Result<crate::server::crypto::SecretKey> {
    if let Some(key) = &config.secret_key {
        return Ok(key.clone());
    }
    if config.database_url.is_some() {
        anyhow::bail!("HMS_SECRET_KEY is not set: give this command the servers' key");
    }
    let path = local_key_path(config);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the local key {}", path.display()))?;
    crate::server::crypto::SecretKey::from_hex(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Gives the database this server's scope token (as the owner role), after
/// migrating: the platform and system scopes open only with it.
pub async fn install_scope_token(owner: &PgPool, config: &Config) -> anyhow::Result<()> {
    let key = existing_secret_key(config)?;
    crate::server::tenancy::install_scope_token(
        owner,
        &crate::server::tenancy::ScopeToken::derive(&key),
    )
    .await
    .context("cannot install the scope token")
}

async fn serve(config: Config, database: &Database) -> anyhow::Result<()> {
    if config.migrate_on_start || config.demo_data == DemoData::IfEmpty {
        let owner = database.owner_pool()?;
        if config.migrate_on_start {
            db::migrate(&owner).await.context("migrations failed")?;
            install_scope_token(&owner, &config).await?;
        }
        if config.demo_data == DemoData::IfEmpty
            && let Some(report) = seed::seed_if_empty(&owner, seed::DEFAULT_PATIENTS).await?
        {
            tracing::info!(
                clinics = report.clinics,
                patients = report.patients,
                "demo data loaded"
            );
        }
        owner.close().await;
    }
    let pool = db::pool(
        &database.app_url,
        config.db_max_connections,
        config.db_acquire_timeout,
    )?;
    let addr = config.listen_addr;
    let base_url = config.base_url.clone();
    let grace = config.shutdown_grace;
    let (header_read_timeout, max_connections) =
        (config.header_read_timeout, config.max_connections);
    let mail_config = config.mail.clone();
    let chain_key = crate::server::audit::chain::ChainKey::derive(
        config
            .secret_key
            .as_ref()
            .context("the secret key is set before serving")?,
    );
    let checkpoints = config.audit_checkpoints.clone();
    let state = app_state(config, pool.clone());
    let scope = state.scope;
    let state_throttle = state.sign_in_throttle.clone();
    let api_window = state.config.api_limits.window;
    let limits_flusher = state.api_limiter.clone().spawn_flusher(pool.clone());
    let app = http::router(state);
    let cleanup = jobs::spawn_session_cleanup(pool.clone(), scope, state_throttle, api_window);
    let linker = jobs::spawn_audit_linker(pool.clone(), chain_key, checkpoints);
    let job_runner = jobs::runner::Runner {
        pool: pool.clone(),
        scope,
        base_url: base_url.clone(),
    }
    .spawn();
    let transport = mail::transport::Transport::new(&mail_config.transport)
        .await
        .map_err(anyhow::Error::msg)
        .context("email cannot be delivered (HMS_MAIL_*, HMS_SMTP_*)")?;
    let mail_sender = mail::sender::Sender {
        pool: pool.clone(),
        scope,
        transport,
        from: mail_config.from.clone(),
        lease: mail::lease_for(&mail_config),
    }
    .spawn(mail_config.poll);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (set HMS_LISTEN_ADDR)"))?;
    let mail_line = mail::transport::Transport::describe(&mail_config.transport);
    print_welcome(&base_url, &pool, &mail_line).await;
    let limits = http::listen::Limits {
        header_read_timeout,
        max_connections,
    };
    http::listen::serve(listener, app, limits, shutdown_signal(), grace).await;
    cleanup.abort();
    linker.abort();
    job_runner.abort();
    limits_flusher.abort();
    mail_sender.abort();
    pool.close().await;
    Ok(())
}

async fn print_welcome(base_url: &str, pool: &PgPool, mail: &str) {
    println!("\n  HMS is running at {base_url}\n");
    if seed::has_demo_clinics(pool).await.unwrap_or(false) {
        println!(
            "  Demo clinics: riverside (Riverside General Hospital), hilltop (Hilltop Clinic)"
        );
        println!(
            "  Sign in at {base_url}/login with one of the demo accounts, password {}:",
            seed::DEMO_PASSWORD
        );
        println!("    platform@hms.example");
        for clinic in ["riverside", "hilltop"] {
            let accounts: Vec<String> = seed::DEMO_ACCOUNTS
                .iter()
                .map(|a| format!("{}@{clinic}.example", a.local_part))
                .collect();
            println!("    {}", accounts.join(", "));
        }
        println!(
            "  Admins set up an authenticator app (two-factor sign-in) the first time they sign in."
        );
    }
    println!("  Email is {mail}.");
    println!("  Press Ctrl-C to stop.\n");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
