//! Checking a typed second factor against an account.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{owner, recovery, totp};
use crate::domain::AppError;
use crate::domain::two_factor::SecondFactor;
use crate::server::crypto::SecretKey;

/// Which kind of second factor was proven, as the audit trail names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proven {
    Totp,
    RecoveryCode,
}

impl Proven {
    pub fn as_str(self) -> &'static str {
        match self {
            Proven::Totp => "totp",
            Proven::RecoveryCode => "recovery_code",
        }
    }
}

/// `Some` when `factor` is right for the account's authenticator: a code is
/// used up (its step recorded; the row is locked, so two requests cannot
/// both spend it), a recovery code is marked used. `None` when wrong, used,
/// or the account has no authenticator.
pub async fn check(
    conn: &mut PgConnection,
    key: Option<&SecretKey>,
    user_id: Uuid,
    factor: &SecondFactor,
) -> Result<Option<Proven>, AppError> {
    let row = sqlx::query!(
        "select sealed_secret, last_used_step from user_totp
          where user_id = $1 and confirmed_at is not null
          for update",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    match factor {
        SecondFactor::Recovery(code) => Ok(recovery::use_code(conn, user_id, code)
            .await?
            .then_some(Proven::RecoveryCode)),
        SecondFactor::Totp(code) => {
            let secret = open(key, user_id, &row.sealed_secret)?;
            let now = totp::step_at(chrono::Utc::now().timestamp());
            let Some(step) = totp::matching_step(&secret, code, now, row.last_used_step) else {
                return Ok(None);
            };
            sqlx::query!(
                "update user_totp set last_used_step = $2 where user_id = $1",
                user_id,
                step
            )
            .execute(&mut *conn)
            .await?;
            Ok(Some(Proven::Totp))
        }
    }
}

/// The authenticator key; without the server key (or with another one) the
/// codes cannot be checked at all, which is an operator's problem to fix.
pub(super) fn open(
    key: Option<&SecretKey>,
    user_id: Uuid,
    sealed: &[u8],
) -> Result<Vec<u8>, AppError> {
    let plain = key.and_then(|k| k.open(&owner(user_id), sealed));
    plain.ok_or_else(|| {
        tracing::error!("an authenticator key does not open with HMS_SECRET_KEY (was it changed?)");
        AppError::Unavailable
    })
}
