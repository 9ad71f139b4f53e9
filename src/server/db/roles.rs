//! The two database roles HMS uses besides a superuser:
//!
//! - `hms_owner` owns the database and every object in it, runs migrations and
//!   maintenance (demo data, audit verification). It may bypass row-level
//!   security, which maintenance needs across clinics.
//! - `hms_app` is what the web server connects as. It owns nothing, is not a
//!   superuser, cannot bypass row-level security, and has only the grants the
//!   migrations give it.
//!
//! Creating roles needs a superuser, so the embedded cluster and the test
//! harness do it here; a production database has them created once by its
//! administrator (see README).

use anyhow::bail;
use sqlx::{AssertSqlSafe, PgConnection};

pub const OWNER_ROLE: &str = "hms_owner";
pub const APP_ROLE: &str = "hms_app";

/// Creates both roles if missing and sets their passwords.
pub async fn ensure_roles(
    admin: &mut PgConnection,
    owner_password: &str,
    app_password: &str,
) -> anyhow::Result<()> {
    for (role, password, extra) in [
        (OWNER_ROLE, owner_password, "bypassrls"),
        (APP_ROLE, app_password, "nobypassrls"),
    ] {
        if password.is_empty() || !password.chars().all(|c| c.is_ascii_alphanumeric()) {
            bail!("generated role passwords must be letters and digits");
        }
        let exists: bool =
            sqlx::query_scalar("select exists(select 1 from pg_roles where rolname = $1)")
                .bind(role)
                .fetch_one(&mut *admin)
                .await?;
        let verb = if exists { "alter" } else { "create" };
        // DDL takes no bind parameters; the role is a constant and the
        // password was just checked to be letters and digits.
        sqlx::query(AssertSqlSafe(format!(
            "{verb} role {role} login nosuperuser nocreatedb nocreaterole {extra} password '{password}'"
        )))
        .execute(&mut *admin)
        .await?;
    }
    Ok(())
}

/// Creates `name` owned by the owner role, reachable by the app role only.
pub async fn ensure_database(admin: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("database name {name:?} must be letters, digits and underscores");
    }
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut *admin)
            .await?;
    if !exists {
        // DDL takes no bind parameters; the name was checked above.
        sqlx::query(AssertSqlSafe(format!(
            "create database {name} owner {OWNER_ROLE}"
        )))
        .execute(&mut *admin)
        .await?;
    }
    for statement in [
        format!("revoke all on database {name} from public"),
        format!("grant connect, temporary on database {name} to {APP_ROLE}"),
    ] {
        sqlx::query(AssertSqlSafe(statement))
            .execute(&mut *admin)
            .await?;
    }
    Ok(())
}
