//! The one place a transaction gets its tenant context.
//!
//! Row-level security in PostgreSQL (migrations/*_row_level_security.sql)
//! filters every clinic-owned table by settings that only these functions put
//! on a transaction, as transaction-local values that vanish at commit. Server
//! functions call one of them and never set the context by hand.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::role::Role;

/// Who is acting, inside which clinic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClinicScope {
    pub clinic_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
}

/// A transaction inside one clinic: clinic-owned tables show that clinic's
/// rows only, and writes to any other clinic are refused by the database.
pub async fn begin_clinic(
    pool: &PgPool,
    scope: ClinicScope,
) -> Result<Transaction<'static, Postgres>, AppError> {
    if !scope.role.is_clinic_role() {
        return Err(AppError::Forbidden);
    }
    let mut tx = pool.begin().await?;
    set_context(
        &mut tx,
        Some(scope.clinic_id),
        Some(scope.user_id),
        scope.role.as_str(),
        "clinic",
    )
    .await?;
    Ok(tx)
}

/// A transaction for a signed-in person outside any clinic: it sees only that
/// person's own memberships (to choose a clinic), and no clinic's data.
pub async fn begin_personal(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, None, Some(user_id), "", "personal").await?;
    Ok(tx)
}

/// The platform-admin path that reads across clinics. The caller must have
/// established that `user_id` is a platform admin; this function checks it
/// again in the same transaction, so a stale session cannot use it.
pub async fn begin_platform(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    let is_admin = sqlx::query_scalar!(
        r#"select exists(
             select 1 from users where id = $1 and is_platform_admin and status = 'active'
           ) as "ok!""#,
        user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !is_admin {
        return Err(AppError::Forbidden);
    }
    set_context(
        &mut tx,
        None,
        Some(user_id),
        Role::PlatformAdmin.as_str(),
        "platform",
    )
    .await?;
    Ok(tx)
}

async fn set_context(
    tx: &mut Transaction<'static, Postgres>,
    clinic_id: Option<Uuid>,
    user_id: Option<Uuid>,
    role: &str,
    scope: &str,
) -> Result<(), sqlx::Error> {
    let clinic = clinic_id.map(|c| c.to_string()).unwrap_or_default();
    let user = user_id.map(|u| u.to_string()).unwrap_or_default();
    sqlx::query!(
        r#"select set_config('hms.clinic_id', $1, true) as "clinic",
                  set_config('hms.user_id', $2, true) as "user",
                  set_config('hms.role', $3, true) as "role",
                  set_config('hms.scope', $4, true) as "scope""#,
        clinic,
        user,
        role,
        scope,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(())
}
