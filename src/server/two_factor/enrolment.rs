//! Setting up, renewing and removing a person's authenticator. Every change
//! is audited in the platform chain (an account belongs to no one clinic).

use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::check::{check, open};
use super::{owner, recovery, totp, trusted};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::two_factor::{
    CODE_WRONG, ENROL_CODE_WRONG, SecondFactor, TotpEnrolment, parse_enrolment_code,
};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::throttle::SignInThrottle;
use crate::server::crypto::SecretKey;
use crate::server::tenancy;

/// A key not confirmed within this long is replaced by a fresh one.
const UNCONFIRMED_KEEP_MINUTES: i32 = 30;

const NO_KEY: &str = "Two-factor sign-in cannot be set up on this server yet (it has no HMS_SECRET_KEY). Ask your HMS operator.";

/// The key to scan: the one being set up (so reloading the page shows the
/// same QR code), or a new one.
pub async fn begin(
    conn: &mut PgConnection,
    key: Option<&SecretKey>,
    user_id: Uuid,
    email: &str,
    during_sign_in: bool,
) -> Result<TotpEnrolment, AppError> {
    let key = key.ok_or_else(|| AppError::Conflict(NO_KEY.into()))?;
    // Two renders of the page may ask at once: whichever key is stored
    // first is the one both show (a later insert does nothing), and only a
    // stale unconfirmed key is replaced.
    let sealed = key.seal(&owner(user_id), &totp::new_secret());
    sqlx::query!(
        "insert into user_totp (user_id, sealed_secret) values ($1, $2)
         on conflict (user_id) do nothing",
        user_id,
        &sealed
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update user_totp set sealed_secret = $2, created_at = now(), last_used_step = 0
          where user_id = $1 and confirmed_at is null
            and created_at < now() - make_interval(mins => $3)",
        user_id,
        &sealed,
        UNCONFIRMED_KEEP_MINUTES
    )
    .execute(&mut *conn)
    .await?;
    let stored = sqlx::query!(
        r#"select sealed_secret, confirmed_at is not null as "confirmed!"
             from user_totp where user_id = $1"#,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if stored.confirmed {
        return Err(AppError::Conflict(
            "Two-factor sign-in is already set up on this account.".into(),
        ));
    }
    let secret = open(Some(key), user_id, &stored.sealed_secret)?;
    let uri = totp::otpauth_uri("HMS", email, &secret);
    Ok(TotpEnrolment {
        qr_svg: crate::server::qr::data_uri(&uri),
        key_text: totp::grouped(&totp::base32(&secret)),
        account: email.to_owned(),
        during_sign_in,
    })
}

/// Confirms set-up with a code from the app and returns the ten recovery
/// codes to show once.
pub async fn confirm(
    conn: &mut PgConnection,
    key: Option<&SecretKey>,
    user_id: Uuid,
    typed: &str,
    origin: &RequestOrigin,
) -> Result<Vec<String>, AppError> {
    let code = parse_enrolment_code(typed)?;
    let row = sqlx::query!(
        "select sealed_secret from user_totp where user_id = $1 and confirmed_at is null for update",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        AppError::Conflict("Set-up was not started, or it is finished already. Reload the page.".into())
    })?;
    let secret = open(key, user_id, &row.sealed_secret)?;
    let now = totp::step_at(chrono::Utc::now().timestamp());
    let Some(step) = totp::matching_step(&secret, &code, now, 0) else {
        return Err(AppError::validation("code", ENROL_CODE_WRONG));
    };
    sqlx::query!(
        "update user_totp set confirmed_at = now(), last_used_step = $2 where user_id = $1",
        user_id,
        step
    )
    .execute(&mut *conn)
    .await?;
    let codes = recovery::replace(conn, user_id).await?;
    record(conn, user_id, origin, json!({ "two_factor": "enabled" })).await?;
    Ok(codes)
}

/// New recovery codes (the old ones stop working), after a current code.
pub async fn renew_codes(
    pool: &PgPool,
    throttle: &SignInThrottle,
    key: Option<&SecretKey>,
    user_id: Uuid,
    factor: &SecondFactor,
    origin: &RequestOrigin,
) -> Result<Vec<String>, AppError> {
    let mut tx = proven(
        pool,
        throttle,
        key,
        user_id,
        factor,
        origin,
        "renew recovery codes",
    )
    .await?;
    let codes = recovery::replace(&mut tx, user_id).await?;
    record(
        &mut tx,
        user_id,
        origin,
        json!({ "two_factor": "recovery codes renewed" }),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-factor sign-in off (the caller has checked nothing requires
/// it), after a current code: the key, the codes and the trusted devices go.
pub async fn disable(
    pool: &PgPool,
    throttle: &SignInThrottle,
    key: Option<&SecretKey>,
    user_id: Uuid,
    factor: &SecondFactor,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let mut tx = proven(pool, throttle, key, user_id, factor, origin, "turn off").await?;
    remove_all(&mut tx, user_id).await?;
    record(
        &mut tx,
        user_id,
        origin,
        json!({ "two_factor": "disabled" }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_all(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from user_totp where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!("delete from recovery_codes where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    trusted::forget_all(conn, user_id).await?;
    Ok(())
}

/// A transaction acting as the person, once `factor` proved them. A wrong
/// code is refused and audited (someone at an unattended session may be
/// trying), and attempts count against the sign-in limits.
async fn proven(
    pool: &PgPool,
    throttle: &SignInThrottle,
    key: Option<&SecretKey>,
    user_id: Uuid,
    factor: &SecondFactor,
    origin: &RequestOrigin,
    what: &str,
) -> Result<Transaction<'static, Postgres>, AppError> {
    if !throttle
        .allow(pool, origin.client_addr, &format!("2fa:{user_id}"))
        .await?
    {
        return Err(AppError::RateLimited);
    }
    let mut tx = tenancy::begin_personal(pool, user_id).await?;
    if check(&mut tx, key, user_id, factor).await?.is_some() {
        return Ok(tx);
    }
    let mut refused = event(user_id, origin);
    refused.action = AuditAction::AccessDenied;
    refused.outcome = AuditOutcome::Denied;
    refused.after = Some(json!({ "two_factor": format!("{what} refused: wrong code") }));
    audit::record(&mut tx, &refused).await?;
    tx.commit().await?;
    throttle.failed(pool, origin.client_addr).await?;
    Err(AppError::validation("code", CODE_WRONG))
}

async fn record(
    conn: &mut PgConnection,
    user_id: Uuid,
    origin: &RequestOrigin,
    after: serde_json::Value,
) -> Result<(), AppError> {
    let mut e = event(user_id, origin);
    e.after = Some(after);
    audit::record(conn, &e).await?;
    Ok(())
}

fn event(user_id: Uuid, origin: &RequestOrigin) -> NewAuditEvent {
    let mut e = NewAuditEvent::new(None, AuditAction::Update);
    e.actor_user_id = Some(user_id);
    e.entity_type = Some(AuditEntity::User);
    e.entity_id = Some(user_id.to_string());
    e.origin = origin.clone();
    e
}
