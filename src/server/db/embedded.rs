//! The embedded PostgreSQL cluster that `make run` and the tests use when no
//! `DATABASE_URL` is given: a private cluster under a data folder, reachable
//! only on loopback with a generated password.
//!
//! PostgreSQL refuses to run as root, and CI runs as root, so when this process
//! is root every server command runs as an unprivileged account through
//! `runuser`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, bail};
use tokio::process::Command;

use crate::server::config::Secret;
use crate::server::db::roles;

const SUPERUSER: &str = "hms_admin";

#[derive(Clone, Debug)]
pub struct EmbeddedPostgres {
    /// The cluster's own folder (PGDATA).
    pgdata: PathBuf,
    port: u16,
    /// Account the server runs as when this process is root.
    run_as: Option<String>,
    bin_dir: PathBuf,
    /// False for clusters whose data nobody needs after a crash (the
    /// tests'): see [`EmbeddedPostgres::durable`].
    durable: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    /// This call started the server; whoever called it should stop it.
    Now,
    /// It was already running (another `hms` or `hms db start`); leave it be.
    AlreadyRunning,
}

impl EmbeddedPostgres {
    /// `data_dir` is HMS's data folder; the cluster lives in `data_dir/postgres`.
    pub fn new(data_dir: &Path, port: u16, unprivileged_user: &str) -> anyhow::Result<Self> {
        let data_dir = absolute(data_dir)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let is_root = unsafe { libc::geteuid() } == 0;
        Ok(Self {
            pgdata: data_dir.join("postgres"),
            port,
            run_as: is_root.then(|| unprivileged_user.to_string()),
            bin_dir: find_bin_dir()?,
            durable: true,
        })
    }

    /// `false` starts the server without flushing to disk (no fsync, no
    /// full-page writes): a crash of the machine may lose or damage the
    /// data. For test clusters only, where it removes waits on the disk that
    /// a busy machine can stretch to tens of seconds per commit. Commits
    /// stay synchronous (their WAL is still written, only not flushed):
    /// asynchronous ones would leave rows without hint bits and pages off
    /// the visibility map after VACUUM, changing the plans tests check.
    /// Applies from the server's next start.
    pub fn durable(mut self, durable: bool) -> Self {
        self.durable = durable;
        self
    }

    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn password_file(&self) -> PathBuf {
        self.password_file_for(SUPERUSER)
    }

    /// Beside the cluster, not in it: the cluster folder belongs to the
    /// PostgreSQL account, these files to whoever runs HMS.
    fn password_file_for(&self, role: &str) -> PathBuf {
        if role == SUPERUSER {
            self.pgdata.with_file_name("postgres.password")
        } else {
            self.pgdata
                .with_file_name(format!("postgres.{role}.password"))
        }
    }

    fn log_file(&self) -> PathBuf {
        self.pgdata.join("server.log")
    }

    /// URL of a database in this cluster as the superuser.
    pub fn url(&self, database: &str) -> anyhow::Result<Secret> {
        self.url_as(SUPERUSER, database)
    }

    /// URL of a database in this cluster as `role` (the superuser, or one of
    /// the roles in [`roles`]).
    pub fn url_as(&self, role: &str, database: &str) -> anyhow::Result<Secret> {
        let file = self.password_file_for(role);
        let password = std::fs::read_to_string(&file).with_context(|| {
            format!("cannot read {} (run `hms db start` first)", file.display())
        })?;
        Ok(Secret::new(format!(
            "postgres://{role}:{}@127.0.0.1:{}/{database}",
            password.trim(),
            self.port
        )))
    }

    /// The role's password, generated and stored the first time it is asked for.
    fn role_password(&self, role: &str) -> anyhow::Result<String> {
        let file = self.password_file_for(role);
        if let Ok(p) = std::fs::read_to_string(&file) {
            return Ok(p.trim().to_string());
        }
        let password = random_password();
        std::fs::write(&file, &password)?;
        set_mode(&file, 0o600)?;
        Ok(password)
    }

    pub fn is_initialised(&self) -> bool {
        self.pgdata.join("PG_VERSION").exists() && self.password_file().exists()
    }

    /// Creates the cluster if the folder holds none yet.
    pub async fn init(&self) -> anyhow::Result<()> {
        if self.is_initialised() {
            return Ok(());
        }
        if self.pgdata.exists() {
            bail!(
                "{} exists but holds no complete cluster; move it away to start afresh",
                self.pgdata.display()
            );
        }
        let parent = self.pgdata.parent().context("data folder has no parent")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        std::fs::create_dir(&self.pgdata)
            .with_context(|| format!("cannot create {}", self.pgdata.display()))?;
        let password = random_password();
        // initdb reads the password from a file the server account can read.
        let pwfile = self.pgdata.with_file_name(".initdb-password");
        std::fs::write(&pwfile, &password)?;
        set_mode(&pwfile, 0o600)?;
        if let Some(user) = &self.run_as {
            chown(&self.pgdata, user).await?;
            chown(&pwfile, user).await?;
            self.check_reachable(user).await?;
        }
        let pgdata = self.pgdata.display().to_string();
        let pwfile_arg = format!("--pwfile={}", pwfile.display());
        let result = self
            .run(
                "initdb",
                &[
                    "-D",
                    &pgdata,
                    "-U",
                    SUPERUSER,
                    &pwfile_arg,
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
            )
            .await;
        let _ = std::fs::remove_file(&pwfile);
        result?;
        let settings = format!(
            "\n# written by hms: loopback only, no unix socket, modest resources\n\
             listen_addresses = '127.0.0.1'\n\
             port = {}\n\
             unix_socket_directories = ''\n\
             max_connections = 200\n\
             shared_buffers = 128MB\n",
            self.port
        );
        let conf = self.pgdata.join("postgresql.auto.conf");
        if self.run_as.is_some() {
            // The file belongs to the server account; append through it.
            let mut child = self
                .command("sh", &["-c", &format!("cat >> '{}'", conf.display())])
                .stdin(Stdio::piped())
                .spawn()?;
            use tokio::io::AsyncWriteExt;
            child
                .stdin
                .take()
                .context("no stdin")?
                .write_all(settings.as_bytes())
                .await?;
            if !child.wait().await?.success() {
                bail!("could not write {}", conf.display());
            }
        } else {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .append(true)
                .open(&conf)?
                .write_all(settings.as_bytes())?;
        }
        std::fs::write(self.password_file(), &password)?;
        set_mode(&self.password_file(), 0o600)?;
        Ok(())
    }

    pub async fn is_running(&self) -> anyhow::Result<bool> {
        if !self.pgdata.join("PG_VERSION").exists() {
            return Ok(false);
        }
        let status = self
            .command(
                "pg_ctl",
                &["status", "-D", &self.pgdata.display().to_string()],
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await?;
        Ok(status.success())
    }

    /// Initialises if needed and starts the server, waiting until it accepts connections.
    pub async fn start(&self) -> anyhow::Result<Started> {
        self.init().await?;
        if self.is_running().await? {
            return Ok(Started::AlreadyRunning);
        }
        let pgdata = self.pgdata.display().to_string();
        let log = self.log_file().display().to_string();
        let mut options = format!("-p {}", self.port);
        if !self.durable {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        self.run(
            "pg_ctl",
            &[
                "start", "-D", &pgdata, "-l", &log, "-w", "-t", "60", "-o", &options,
            ],
        )
        .await
        .with_context(|| format!("PostgreSQL did not start; see {log}"))?;
        Ok(Started::Now)
    }

    /// Stops the server quickly and cleanly (fast shutdown: open sessions are ended).
    pub async fn stop(&self) -> anyhow::Result<()> {
        if !self.is_running().await? {
            return Ok(());
        }
        let pgdata = self.pgdata.display().to_string();
        self.run(
            "pg_ctl",
            &["stop", "-D", &pgdata, "-m", "fast", "-w", "-t", "60"],
        )
        .await
    }

    /// Creates the owner and app roles and the database `name` unless they exist.
    pub async fn ensure_database(&self, name: &str) -> anyhow::Result<()> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(self.url("postgres")?.expose()).await?;
        roles::ensure_roles(
            &mut conn,
            &self.role_password(roles::OWNER_ROLE)?,
            &self.role_password(roles::APP_ROLE)?,
        )
        .await?;
        roles::ensure_database(&mut conn, name).await
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::from(self.std_command(program, args));
        cmd.kill_on_drop(false);
        cmd
    }

    /// The command line for a PostgreSQL program, through `runuser` when root.
    fn std_command(&self, program: &str, args: &[&str]) -> std::process::Command {
        use std::os::unix::process::CommandExt;
        let program_path = if program == "sh" {
            PathBuf::from("sh")
        } else {
            self.bin_dir.join(program)
        };
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = std::process::Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&program_path);
                c
            }
            None => std::process::Command::new(&program_path),
        };
        cmd.args(args);
        // Own process group: Ctrl-C in the terminal reaches HMS, which then
        // stops PostgreSQL in order, instead of both racing to exit.
        cmd.process_group(0);
        cmd
    }

    /// Stops the server at once, without waiting for clients, from code that
    /// cannot await (a `Drop` during a failing test). Errors are ignored: this
    /// is a last resort, and a server that is already down is the goal.
    pub fn stop_immediately_blocking(&self) {
        let pgdata = self.pgdata.display().to_string();
        let _ = self
            .std_command("pg_ctl", &["stop", "-D", &pgdata, "-m", "immediate", "-w"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    async fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let out = self
            .command(program, args)
            .stdin(Stdio::null())
            .output()
            .await
            .with_context(|| format!("cannot run {program}"))?;
        if !out.status.success() {
            bail!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                String::from_utf8_lossy(&out.stdout).trim()
            );
        }
        Ok(())
    }

    async fn check_reachable(&self, user: &str) -> anyhow::Result<()> {
        let ok = Command::new("runuser")
            .args(["-u", user, "--", "test", "-w"])
            .arg(&self.pgdata)
            .status()
            .await
            .context("cannot run runuser")?
            .success();
        if !ok {
            bail!(
                "the account {user:?} that runs PostgreSQL cannot reach {}: make its parent \
                 folders world-searchable (chmod o+x) or set HMS_DATA_DIR to a folder it can reach",
                self.pgdata.display()
            );
        }
        Ok(())
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    })
}

/// Finds initdb and pg_ctl: `HMS_PG_BIN_DIR`, then Debian's newest
/// `/usr/lib/postgresql/<v>/bin`, then `PATH`.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("HMS_PG_BIN_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .find(|d| d.join("pg_ctl").exists() && d.join("initdb").exists())
        .context(
            "PostgreSQL server programs (initdb, pg_ctl) not found: install the `postgresql` \
             package or set HMS_PG_BIN_DIR",
        )
}

fn random_password() -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot set permissions on {}", path.display()))
}

async fn chown(path: &Path, user: &str) -> anyhow::Result<()> {
    let ok = Command::new("chown")
        .arg(user)
        .arg(path)
        .status()
        .await?
        .success();
    if !ok {
        bail!(
            "cannot give {} to the account {user:?}: create it (useradd --system {user}) \
             or set HMS_EMBEDDED_PG_USER",
            path.display()
        );
    }
    Ok(())
}
