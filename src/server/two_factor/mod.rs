//! Two-factor sign-in with an authenticator app (TOTP, RFC 6238).
//!
//! After the password (or a single sign-on whose provider did not assert
//! MFA), an account with an authenticator, or one that must have one, is not
//! signed in yet: the cookie session holds a [`pending::PendingSignIn`] and
//! the person answers the second step at `/login/two-factor` (or sets the app
//! up there, when their role requires it and they have none). Keys are sealed
//! under HMS_SECRET_KEY; each code works once; ten recovery codes, stored
//! hashed, stand in for a lost phone; a device may be trusted for 30 days.

pub mod check;
pub mod clinic;
pub mod enrolment;
pub mod operator;
pub mod pending;
pub mod recovery;
pub mod sign_in;
pub mod totp;
pub mod trusted;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::two_factor::{TwoFactorStatus, two_factor_required};

/// What an account needs after its first factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// No authenticator, and nothing requires one.
    NotNeeded,
    /// A code from the authenticator (or a recovery code).
    Code,
    /// Required but not set up: set it up before entering.
    Enrol,
}

/// Read in a transaction that acts as the person (their own rows only).
pub async fn requirement(
    conn: &mut PgConnection,
    user_id: Uuid,
    is_platform_admin: bool,
) -> Result<Requirement, sqlx::Error> {
    let facts = facts(conn, user_id, is_platform_admin).await?;
    Ok(if facts.enabled {
        Requirement::Code
    } else if facts.required {
        Requirement::Enrol
    } else {
        Requirement::NotNeeded
    })
}

/// The account page's view of the person's second factor.
pub async fn status(
    conn: &mut PgConnection,
    user_id: Uuid,
    is_platform_admin: bool,
) -> Result<TwoFactorStatus, sqlx::Error> {
    facts(conn, user_id, is_platform_admin).await
}

async fn facts(
    conn: &mut PgConnection,
    user_id: Uuid,
    is_platform_admin: bool,
) -> Result<TwoFactorStatus, sqlx::Error> {
    let row = sqlx::query!(
        r#"select
             exists(select 1 from user_totp where user_id = $1 and confirmed_at is not null) as "enabled!",
             exists(select 1 from memberships
                     where user_id = $1 and active and role = 'clinic_admin') as "clinic_admin!",
             exists(select 1 from memberships m join clinics c on c.id = m.clinic_id
                     where m.user_id = $1 and m.active and m.role <> 'patient'
                       and c.require_two_factor) as "strict_clinic!",
             (select count(*) from recovery_codes where user_id = $1 and used_at is null) as "codes!",
             (select count(*) from trusted_devices where user_id = $1 and expires_at > now()) as "devices!""#,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(TwoFactorStatus {
        enabled: row.enabled,
        required: two_factor_required(is_platform_admin, row.clinic_admin, row.strict_clinic),
        recovery_codes_left: u32::try_from(row.codes).unwrap_or(0),
        trusted_devices: u32::try_from(row.devices).unwrap_or(0),
    })
}

/// Associated data binding a sealed authenticator key to its account.
fn owner(user_id: Uuid) -> Vec<u8> {
    let mut aad = b"totp:".to_vec();
    aad.extend_from_slice(user_id.as_bytes());
    aad
}
