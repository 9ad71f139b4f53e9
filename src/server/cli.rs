//! The `hms` command line.

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::server::config::Config;
use crate::server::db::embedded::{EmbeddedPostgres, Started};
use crate::server::db::roles;
use crate::server::db::seed;
use crate::server::serve::Database;
use crate::server::{audit, db, serve, telemetry};

#[derive(Parser, Debug)]
#[command(
    name = "hms",
    version,
    about = "HMS hospital and clinic management system"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo clinics and synthetic patients.
    SeedDemo {
        /// How many demo patients to add, spread over the demo clinics.
        #[arg(long, default_value_t = seed::DEFAULT_PATIENTS)]
        patients: u32,
        /// Do nothing if the database already holds a clinic.
        #[arg(long)]
        if_empty: bool,
    },
    /// Remove a person's two-factor sign-in (authenticator, recovery codes,
    /// trusted devices) and end their sessions, for someone who lost both
    /// phone and codes and whom no clinic admin can reset.
    ResetTwoFactor {
        /// The account's email.
        email: String,
    },
    /// Durable jobs: run one now.
    Jobs {
        #[command(subcommand)]
        action: JobsCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Control the embedded PostgreSQL cluster under HMS_DATA_DIR.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// Run a job now, out of its schedule (as every server process would
    /// once per period), and print what it did. Exits 1 if it failed.
    Run {
        /// The job: no_show_sweep (or no-show).
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute the hash chains and report the first broken link of each.
    /// Exits 1 when any chain is broken.
    Verify {
        /// Only this clinic's chain (its slug).
        #[arg(long)]
        clinic: Option<String>,
        /// The checkpoint file to compare (default: HMS_AUDIT_CHECKPOINTS).
        #[arg(long)]
        checkpoints: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum DbAction {
    /// Initialise (first time) and start the cluster; prints its URL's host and port.
    Start,
    /// Stop the cluster.
    Stop,
    /// Say whether the cluster is running.
    Status,
    /// Create a database in the cluster unless it exists.
    Create { database: String },
    /// Print the URL of a database in the cluster (contains the password).
    Url {
        #[arg(default_value = "hms")]
        database: String,
        /// Connect as: admin (superuser), owner (migrations) or app (web server).
        #[arg(long, default_value = "owner")]
        role: String,
    },
}

pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    telemetry::init(config.log_format, &config.log_filter);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config).await,
        Command::Migrate => {
            let config = &config;
            with_database(config, |pool| async move {
                db::migrate(&pool).await.context("migrations failed")?;
                println!("migrations applied (latest {})", db::latest_migration());
                if serve::existing_secret_key(config).is_ok() {
                    serve::install_scope_token(&pool, config).await?;
                } else {
                    println!(
                        "no server key yet: the server installs its scope token when it starts"
                    );
                }
                Ok(())
            })
            .await
        }
        Command::SeedDemo { patients, if_empty } => {
            with_database(&config, |pool| async move {
                db::migrate(&pool).await.context("migrations failed")?;
                let started = std::time::Instant::now();
                let report = if if_empty {
                    seed::seed_if_empty(&pool, patients).await?
                } else {
                    Some(seed::seed_demo(&pool, patients).await?)
                };
                match report {
                    Some(r) => println!(
                        "demo data: {} clinics, {} patients added in {:.1} s",
                        r.clinics,
                        r.patients,
                        started.elapsed().as_secs_f64()
                    ),
                    None => println!("demo data: database already has clinics; nothing added"),
                }
                Ok(())
            })
            .await
        }
        Command::ResetTwoFactor { email } => with_database(&config, |pool| async move {
            if !crate::server::two_factor::operator::reset(&pool, &email).await? {
                anyhow::bail!("no account has the email {email:?}");
            }
            println!(
                "two-factor sign-in of {email} reset; they set it up again at their next sign-in"
            );
            Ok(())
        })
        .await,
        Command::Jobs {
            action: JobsCommand::Run { name },
        } => run_job(&config, &name).await,
        Command::Audit {
            action:
                AuditCommand::Verify {
                    clinic,
                    checkpoints,
                },
        } => {
            let key = audit::chain::ChainKey::derive(&serve::existing_secret_key(&config)?);
            let path = checkpoints.unwrap_or_else(|| config.audit_checkpoints.clone());
            with_database(&config, |pool| async move {
                verify_audit(&pool, &key, clinic.as_deref(), &path).await
            })
            .await
        }
        Command::Db { action } => {
            let pg = EmbeddedPostgres::new(
                &config.data_dir,
                config.embedded_pg_port,
                &config.embedded_pg_user,
            )?
            .durable(config.embedded_pg_durable);
            match action {
                DbAction::Start => {
                    let started = pg.start().await?;
                    pg.ensure_database("hms").await?;
                    println!(
                        "PostgreSQL {} on 127.0.0.1:{} (data in {})",
                        if started == Started::Now {
                            "started"
                        } else {
                            "already running"
                        },
                        pg.port(),
                        pg.pgdata().display()
                    );
                }
                DbAction::Stop => {
                    pg.stop().await?;
                    println!("PostgreSQL stopped");
                }
                DbAction::Status => {
                    let running = pg.is_running().await?;
                    println!(
                        "PostgreSQL is {} ({})",
                        if running { "running" } else { "stopped" },
                        pg.pgdata().display()
                    );
                    if !running {
                        std::process::exit(3);
                    }
                }
                DbAction::Create { database } => {
                    pg.ensure_database(&database).await?;
                    println!("database {database} is ready");
                }
                DbAction::Url { database, role } => {
                    let url = match role.as_str() {
                        "admin" => pg.url(&database)?,
                        "owner" => pg.url_as(roles::OWNER_ROLE, &database)?,
                        "app" => pg.url_as(roles::APP_ROLE, &database)?,
                        other => anyhow::bail!("unknown role {other:?}: use admin, owner or app"),
                    };
                    println!("{}", url.expose());
                }
            }
            Ok(())
        }
    }
}

/// Runs `f` as the owner role against the configured database, starting the
/// embedded cluster for the duration if needed.
/// Links what is pending, then verifies every chain (or one clinic's)
/// against the key and the checkpoints, printing one line per chain.
async fn verify_audit(
    pool: &sqlx::PgPool,
    key: &audit::chain::ChainKey,
    clinic: Option<&str>,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let clinic_id = match clinic {
        None => None,
        Some(slug) => Some(
            sqlx::query_scalar!("select id from clinics where slug = $1", slug)
                .fetch_optional(pool)
                .await?
                .with_context(|| format!("no clinic with the slug {slug:?}"))?,
        ),
    };
    audit::chain::link_pending(pool, key).await?;
    let checkpoints = if path.exists() {
        audit::checkpoint::read(path)?
    } else {
        println!(
            "no checkpoint file at {}: a removed tail of a chain cannot be detected",
            path.display()
        );
        Vec::new()
    };
    let foreign = audit::verify::foreign_checkpoints(key, &checkpoints);
    if foreign > 0 {
        println!("{foreign} checkpoint(s) were made under another key and were not compared");
    }
    let reports = audit::verify(pool, key, clinic_id, &checkpoints).await?;
    let mut broken = 0;
    for r in &reports {
        let chain = r
            .clinic_id
            .map(|c| format!("clinic {c}"))
            .unwrap_or_else(|| "platform".into());
        let pending = if r.pending > 0 {
            format!(" ({} still being linked)", r.pending)
        } else {
            String::new()
        };
        match &r.first_broken {
            None => println!("{chain}: {} events{pending}, chain intact", r.events),
            Some(b) => {
                broken += 1;
                println!("{chain}: {} events{pending}, BROKEN: {b}", r.events);
            }
        }
    }
    if reports.is_empty() {
        println!("no audit events yet");
    }
    if broken > 0 {
        anyhow::bail!("{broken} audit chain(s) broken");
    }
    Ok(())
}

/// `hms jobs run NAME`: the job through the runner the server uses, as the
/// application role in the system scope (the server's key opens it).
async fn run_job(config: &Config, name: &str) -> anyhow::Result<()> {
    use crate::domain::jobs::{JobName, RunStatus};
    let job = JobName::parse(name).with_context(|| {
        let known: Vec<&str> = JobName::ALL.iter().map(|j| j.as_str()).collect();
        format!(
            "no job is called {name:?}; the jobs are: {}",
            known.join(", ")
        )
    })?;
    let key = serve::existing_secret_key(config)?;
    let database = Database::open(config).await?;
    let pool = db::pool(&database.app_url, 2, config.db_acquire_timeout)?;
    let runner = crate::server::jobs::runner::Runner {
        pool: pool.clone(),
        scope: crate::server::tenancy::ScopeToken::derive(&key),
        base_url: config.base_url.clone(),
    };
    let ran = runner.run_now(job, "hms jobs run").await;
    pool.close().await;
    database.close().await;
    let ran = ran.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{} {}: {}", job.as_str(), ran.status.as_str(), ran.outcome);
    if ran.status != RunStatus::Succeeded {
        anyhow::bail!("{} did not succeed; see the log", job.as_str());
    }
    Ok(())
}

async fn with_database<F, Fut>(config: &Config, f: F) -> anyhow::Result<()>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let database = Database::open(config).await?;
    let pool = database.owner_pool()?;
    let result = f(pool.clone()).await;
    pool.close().await;
    database.close().await;
    result
}
