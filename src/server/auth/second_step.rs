//! Finishing a sign-in that waits for its second factor: a code from the
//! authenticator (or a recovery code), or setting the authenticator up when
//! the account must have one.

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use super::sign_in::{FirstFactor, SignedIn, count_failure, record_sign_in};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::two_factor::{CODE_WRONG, SecondFactor};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::config::SessionPolicy;
use crate::server::crypto::SecretKey;
use crate::server::tenancy;
use crate::server::two_factor::check::check;
use crate::server::two_factor::enrolment;
use crate::server::two_factor::pending::PendingSignIn;

/// Why the second step cannot go on at all (the person must sign in again).
pub const START_AGAIN: &str = "This sign-in cannot continue. Sign in again.";

/// A code (or recovery code) for the pending sign-in. A wrong one counts
/// against the account like a wrong password (it locks at the same
/// threshold) and is audited; the caller counts it against this sign-in too.
pub async fn answer(
    pool: &PgPool,
    policy: &SessionPolicy,
    key: Option<&SecretKey>,
    pending: &PendingSignIn,
    factor: &SecondFactor,
    origin: &RequestOrigin,
) -> Result<SignedIn, AppError> {
    let mut tx = begin(pool, pending).await?;
    still_allowed(&mut tx, pending).await?;
    if let Some(proven) = check(&mut tx, key, pending.user_id, factor).await? {
        let signed = record_sign_in(
            &mut tx,
            &first(pending),
            policy,
            origin,
            Some(proven.as_str()),
        )
        .await?;
        tx.commit().await?;
        return Ok(signed);
    }
    let locked = count_failure(&mut tx, pending.user_id, policy).await?;
    let mut event = NewAuditEvent::new(pending.clinic_id, AuditAction::LoginFailed);
    event.actor_user_id = Some(pending.user_id);
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(pending.user_id.to_string());
    event.after = Some(json!({
        "method": pending.method(),
        "reason": "bad_second_factor",
        "locked": locked,
    }));
    event.outcome = AuditOutcome::Failure;
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Err(AppError::validation("code", CODE_WRONG))
}

/// Confirms the authenticator the pending sign-in had to set up, and signs
/// in. Returns the session and the recovery codes to show once.
pub async fn enrol(
    pool: &PgPool,
    policy: &SessionPolicy,
    key: Option<&SecretKey>,
    pending: &PendingSignIn,
    typed: &str,
    origin: &RequestOrigin,
) -> Result<(SignedIn, Vec<String>), AppError> {
    let mut tx = begin(pool, pending).await?;
    still_allowed(&mut tx, pending).await?;
    let codes = enrolment::confirm(&mut tx, key, pending.user_id, typed, origin).await?;
    let signed = record_sign_in(&mut tx, &first(pending), policy, origin, Some("totp")).await?;
    tx.commit().await?;
    Ok((signed, codes))
}

/// A transaction acting as the person (and inside the clinic they signed in
/// through, whose chain records the sign-in).
pub async fn begin(
    pool: &PgPool,
    pending: &PendingSignIn,
) -> Result<Transaction<'static, Postgres>, AppError> {
    Ok(match pending.clinic_id {
        Some(clinic) => tenancy::begin_sign_in_as(pool, clinic, pending.user_id).await?,
        None => tenancy::begin_personal(pool, pending.user_id).await?,
    })
}

/// The account may have been disabled or locked since the first factor.
async fn still_allowed(
    tx: &mut Transaction<'static, Postgres>,
    pending: &PendingSignIn,
) -> Result<(), AppError> {
    let ok = sqlx::query_scalar!(
        r#"select status = 'active' and coalesce(locked_until <= now(), true) as "ok!"
             from users where id = $1"#,
        pending.user_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    if ok == Some(true) {
        Ok(())
    } else {
        Err(AppError::validation("form", START_AGAIN))
    }
}

fn first(pending: &PendingSignIn) -> FirstFactor {
    FirstFactor {
        user_id: pending.user_id,
        is_platform_admin: pending.is_platform_admin,
        clinic_id: pending.clinic_id,
        method: pending.method(),
    }
}
