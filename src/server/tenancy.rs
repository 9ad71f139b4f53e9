//! The one place a transaction begins, and gets its tenant context.
//!
//! Row-level security in PostgreSQL (migrations/*_row_level_security.sql)
//! filters every clinic-owned table by settings that only these functions put
//! on a transaction, as transaction-local values that vanish at commit. Server
//! functions call one of them and never set the context by hand.

// clippy.toml forbids `Pool::begin` everywhere else.
#![expect(
    clippy::disallowed_methods,
    reason = "the one place transactions begin"
)]

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
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
    if scope.role == Role::Patient {
        // As enter_clinic() does: the person's own patient record, read
        // under their own policies, which the patient policies compare with.
        sqlx::query!(
            r#"select set_config('hms.patient_id',
                                 coalesce((select id::text from patients where user_id = $1), ''),
                                 true) as "set""#,
            scope.user_id
        )
        .fetch_one(&mut *tx)
        .await?;
    }
    Ok(tx)
}

/// A person's membership in the clinic a request is inside.
#[derive(Clone, Debug)]
pub struct ClinicMembership {
    pub clinic_id: Uuid,
    pub slug: String,
    pub clinic_name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    /// The clinic's date (in its time zone) as the transaction began: the
    /// day its queues, tokens and counts belong to.
    pub today: NaiveDate,
}

/// Opens a transaction inside the clinic with this slug, as the person's role
/// there. No active membership (or no such clinic) is `NotFound`, the same
/// answer either way, so slugs cannot be probed. Someone with several roles in
/// the clinic acts as `preferred` if it is one of them, else as the first.
pub async fn enter_clinic(
    pool: &PgPool,
    user_id: Uuid,
    slug: &str,
    preferred: Option<Role>,
) -> Result<(Transaction<'static, Postgres>, ClinicMembership), AppError> {
    enter_clinic_in_order(pool, user_id, slug, preferred, &Role::ALL).await
}

/// [`enter_clinic`], choosing among several roles by `order` (which lists
/// every role) after `preferred`: for an API call, which names no role,
/// `Role::preferring` the call's permissions.
pub async fn enter_clinic_in_order(
    pool: &PgPool,
    user_id: Uuid,
    slug: &str,
    preferred: Option<Role>,
    order: &[Role],
) -> Result<(Transaction<'static, Postgres>, ClinicMembership), AppError> {
    if !crate::domain::clinics::is_slug(slug) {
        return Err(AppError::NotFound);
    }
    let mut tx = pool.begin().await?;
    let order: Vec<String> = order.iter().map(|r| r.as_str().to_owned()).collect();
    // One call: the database sets the context as it chooses the membership.
    let row = sqlx::query!(
        r#"select clinic_id as "clinic_id!", slug as "slug!", clinic_name as "clinic_name!",
                  role as "role!", department_id, today as "today!"
           from enter_clinic($1, $2, $3, $4)"#,
        slug,
        user_id,
        preferred.map(Role::as_str),
        &order[..]
    )
    .fetch_optional(&mut *tx)
    .await?;
    let membership = row
        .and_then(|r| {
            Some(ClinicMembership {
                clinic_id: r.clinic_id,
                slug: r.slug,
                clinic_name: r.clinic_name,
                role: Role::parse(&r.role)?,
                department_id: r.department_id,
                today: r.today,
            })
        })
        .ok_or(AppError::NotFound)?;
    Ok((tx, membership))
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

/// A transaction inside the clinic of the invitation whose token hashes to
/// `token_hash`, for the person accepting it (who is not a member yet): they
/// see that clinic's rows only. `None` when no invitation has that hash.
pub async fn begin_invitation(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(Transaction<'static, Postgres>, Uuid)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let clinic = sqlx::query_scalar!(r#"select invitation_clinic($1) as "clinic""#, token_hash)
        .fetch_one(&mut *tx)
        .await?;
    let Some(clinic_id) = clinic else {
        return Ok(None);
    };
    set_context(&mut tx, Some(clinic_id), None, "", "clinic").await?;
    Ok(Some((tx, clinic_id)))
}

/// A transaction inside a clinic for someone signing in from outside it
/// (single sign-on), whom the server has not yet identified as a member:
/// clinic-owned tables show that clinic's rows only.
pub async fn begin_sign_in(
    pool: &PgPool,
    clinic_id: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, Some(clinic_id), None, "", "clinic").await?;
    Ok(tx)
}

/// The same, once the person signing in is known: they also see their own
/// rows (memberships elsewhere, their two-factor settings), to finish the
/// sign-in.
pub async fn begin_sign_in_as(
    pool: &PgPool,
    clinic_id: Uuid,
    user_id: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, Some(clinic_id), Some(user_id), "", "clinic").await?;
    Ok(tx)
}

/// From now on the transaction acts as this person (outside any clinic): for
/// work that learns who it is for part-way, such as a password reset link.
pub async fn act_as_person(tx: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    set_context(tx, None, Some(user_id), "", "personal").await
}

/// From now on the transaction works inside this clinic as this person: a
/// platform admin's, to write the rows of a clinic it has just made; a
/// sign-in's, to write its event in the chain of the clinic it leads into.
pub async fn act_in_clinic(
    tx: &mut PgConnection,
    clinic_id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    set_context(tx, Some(clinic_id), Some(user_id), "", "clinic").await
}

/// A transaction with no tenant context that sees the account with this
/// (normalised) email, if there is one, and no other: the first step of a
/// sign-in or a password-reset request.
pub async fn begin_account_lookup(
    pool: &PgPool,
    email: &str,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    name_account(&mut tx, email).await?;
    Ok(tx)
}

/// From now on the transaction also sees the account (and the hospital
/// registration) with this normalised email, which the client gave: an
/// invitation's, a single sign-on identity's. It keeps its other context.
pub async fn name_account(tx: &mut PgConnection, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"select set_config('hms.account_email', $1, true) as "named""#,
        email
    )
    .fetch_one(tx)
    .await?;
    Ok(())
}

/// From now on the transaction also sees the password reset (or hospital
/// registration) whose emailed token hashes to `hash`.
pub async fn name_link_token(tx: &mut PgConnection, hash: &[u8; 32]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"select set_config('hms.link_token', $1, true) as "named""#,
        crate::server::crypto::hex(hash)
    )
    .fetch_one(tx)
    .await?;
    Ok(())
}

/// A transaction with no tenant context, for work before anyone is known
/// (sign-in, emailed links, hospitals registering) and for the owner role's
/// maintenance (demo data, operator commands): clinic-owned tables show the
/// app role nothing in it.
pub async fn begin_anonymous(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    pool.begin().await
}

/// What the server shows the database to enter the platform or system scope:
/// derived from the secret key, so only a process holding that key has it.
/// The database keeps its SHA-256 (installed by [`install_scope_token`]), and
/// a statement that sets `hms.scope` without it opens nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ScopeToken([u8; 32]);

impl std::fmt::Debug for ScopeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScopeToken(..)")
    }
}

impl ScopeToken {
    pub fn derive(secret: &crate::server::crypto::SecretKey) -> Self {
        Self(secret.derive("hms database scope v1"))
    }
}

/// Installs the token's digest, as the owner role, replacing one installed
/// under another key. Run wherever migrations run.
pub async fn install_scope_token(owner: &PgPool, token: &ScopeToken) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into scope_keys (digest) values (sha256($1))
         on conflict (only_row) do update set digest = excluded.digest, installed_at = now()",
        &token.0[..]
    )
    .execute(owner)
    .await?;
    Ok(())
}

/// A transaction for the server's own background work (the mail sender, the
/// cleanup job): it sees the outbox and no clinic's data.
pub async fn begin_system(
    pool: &PgPool,
    token: &ScopeToken,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, None, None, "", "").await?;
    enter_scope(&mut tx, token, "system").await?;
    Ok(tx)
}

/// The server's own work inside one clinic (the no-show sweep): the
/// clinic's rows as its staff see them, and what only the system may do
/// there (marking no-shows). No person acts, so nobody's role applies.
pub async fn begin_system_in_clinic(
    pool: &PgPool,
    token: &ScopeToken,
    clinic_id: Uuid,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, Some(clinic_id), None, "", "").await?;
    enter_scope(&mut tx, token, "system").await?;
    Ok(tx)
}

/// Every clinic's id, for the system's work that goes through the clinics
/// one at a time (each in [`begin_system_in_clinic`]).
pub async fn clinic_ids(pool: &PgPool, token: &ScopeToken) -> Result<Vec<Uuid>, AppError> {
    let mut tx = begin_system(pool, token).await?;
    let ids = sqlx::query_scalar!("select id from clinics order by id")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}

/// The platform-admin path that reads across clinics. The database itself
/// checks, in this transaction, that `user_id` is an active platform admin,
/// so neither a stale session nor a forged setting can use it.
pub async fn begin_platform(
    pool: &PgPool,
    token: &ScopeToken,
    user_id: Uuid,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    set_context(
        &mut tx,
        None,
        Some(user_id),
        Role::PlatformAdmin.as_str(),
        "",
    )
    .await?;
    enter_scope(&mut tx, token, "platform").await?;
    Ok(tx)
}

async fn enter_scope(
    tx: &mut Transaction<'static, Postgres>,
    token: &ScopeToken,
    scope: &str,
) -> Result<(), AppError> {
    let entered = sqlx::query_scalar!(
        r#"select enter_scope($1, $2) as "entered!""#,
        &token.0[..],
        scope
    )
    .fetch_one(&mut **tx)
    .await?;
    if entered {
        return Ok(());
    }
    let installed =
        sqlx::query_scalar!(r#"select scope_token_installed($1) as "ok!""#, &token.0[..])
            .fetch_one(&mut **tx)
            .await?;
    if !installed {
        tracing::error!(
            scope,
            "the database's scope key was installed under another HMS_SECRET_KEY (or never): \
             run `hms migrate` with this server's key"
        );
        return Err(AppError::Unavailable);
    }
    Err(AppError::Forbidden)
}

async fn set_context(
    tx: &mut PgConnection,
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
    .fetch_one(tx)
    .await?;
    Ok(())
}
