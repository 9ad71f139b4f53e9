//! Resetting a forgotten password by email. Asking always gets the same
//! answer, whether or not the address has an account; the emailed link works
//! once, for 30 minutes; using it replaces the password, unlocks the account
//! and ends every session of it.

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::sessions::{self, EndReason};
use super::{password, throttle::SignInThrottle};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::auth::{Email, check_chosen_password};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::crypto::link_token::{hash_token, new_token};
use crate::server::mail::compose::{Letter, OutgoingEmail};
use crate::server::mail::outbox;
use crate::server::tenancy;

pub const RESET_MINUTES: i32 = 30;

/// How long every reset request takes at least. Making a link (a token, a
/// row, an email) costs a few milliseconds more than finding no account,
/// which told a stopwatch which addresses have one; padded to this, both
/// answers take the same time unless the server is so loaded that the work
/// itself runs longer.
const REQUEST_TAKES: std::time::Duration = std::time::Duration::from_millis(100);

/// Sends a reset link when `email` belongs to an active account; answers
/// the same, in the same time, either way. Throttled like sign-in.
pub async fn request(
    pool: &PgPool,
    throttle: &SignInThrottle,
    email: &Email,
    base_url: &str,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let done_at = tokio::time::Instant::now() + REQUEST_TAKES;
    let result = send_link_if_known(pool, throttle, email, base_url, origin).await;
    tokio::time::sleep_until(done_at).await;
    result
}

async fn send_link_if_known(
    pool: &PgPool,
    throttle: &SignInThrottle,
    email: &Email,
    base_url: &str,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let key = format!("reset:{}", email.as_str());
    if !throttle.allow(pool, origin.client_addr, &key).await? {
        return Err(AppError::RateLimited);
    }
    // A reset request cannot fail, so each counts against the address: one
    // address cannot probe or mail-bomb many accounts.
    throttle.failed(pool, origin.client_addr).await?;
    let mut tx = tenancy::begin_account_lookup(pool, email.as_str()).await?;
    let user = sqlx::query!(
        "select id, display_name, email from users where lower(email) = $1 and status = 'active'",
        email.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = &user {
        tenancy::act_as_person(&mut tx, user.id).await?;
    }
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.entity_type = Some(AuditEntity::PasswordReset);
    event.origin = origin.clone();
    match user {
        Some(user) => {
            let (token, hash) = new_token();
            let id = sqlx::query_scalar!(
                r#"insert into password_resets (user_id, token_hash, expires_at, requested_from)
                   values ($1, $2, now() + make_interval(mins => $3), $4)
                   returning id"#,
                user.id,
                &hash[..],
                RESET_MINUTES,
                origin
                    .client_addr
                    .map(sqlx::types::ipnetwork::IpNetwork::from),
            )
            .fetch_one(&mut *tx)
            .await?;
            outbox::enqueue(
                &mut tx,
                &reset_email(id, &user.email, &user.display_name, base_url, &token),
            )
            .await?;
            event.actor_user_id = Some(user.id);
            event.entity_id = Some(id.to_string());
            event.after = Some(json!({ "requested": true }));
        }
        None => {
            // Kept for spotting someone probing for accounts.
            event.outcome = AuditOutcome::Failure;
            event.after = Some(json!({ "email": email.as_str(), "reason": "no_active_account" }));
        }
    }
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a link can still be used (for the page before the form).
pub async fn check(pool: &PgPool, token: &str, origin: &RequestOrigin) -> Result<(), AppError> {
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let found = open(&mut tx, token).await;
    drop(tx); // only a look: nothing to keep
    match found {
        Ok(_) => Ok(()),
        Err(refusal) => Err(refused(pool, refusal, origin).await),
    }
}

/// Sets the new password from a valid link. Returns the account's id.
pub async fn reset(
    pool: &PgPool,
    token: &str,
    new_password: &str,
    confirm: &str,
    origin: &RequestOrigin,
) -> Result<Uuid, AppError> {
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let (reset_id, user_id) = match open(&mut tx, token).await {
        Ok(found) => found,
        Err(refusal) => {
            drop(tx);
            return Err(refused(pool, refusal, origin).await);
        }
    };
    check_chosen_password(new_password, confirm)?;
    let hash = password::hash(new_password.to_string()).await?;
    sqlx::query!(
        "update users set password_hash = $2, failed_sign_ins = 0, locked_until = null where id = $1",
        user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    // This link is used; any others sent to the account stop working too.
    sqlx::query!(
        "update password_resets set used_at = now() where user_id = $1 and used_at is null",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let ended = sessions::end_all_for_user(&mut tx, user_id, EndReason::PasswordReset).await?;
    // Devices trusted to skip the second factor ask again (the authenticator
    // itself stays: a reset proves the mailbox, not the phone).
    let devices = crate::server::two_factor::trusted::forget_all(&mut tx, user_id).await?;
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.actor_user_id = Some(user_id);
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({
        "password": "reset",
        "reset": reset_id,
        "sessions_ended": ended,
        "trusted_devices_forgotten": devices,
    }));
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Why a link cannot be used: the message for the person, and the reason
/// for the audit trail.
#[derive(Debug)]
pub struct Refusal {
    reason: &'static str,
    message: &'static str,
    reset_id: Option<Uuid>,
}

/// The unused, unexpired reset behind a token, locked: (reset, account).
/// From then on the transaction acts as the account.
async fn open(conn: &mut sqlx::PgConnection, token: &str) -> Result<(Uuid, Uuid), Refusal> {
    let invalid = Refusal {
        reason: "unknown_token",
        message: "This reset link is not valid. Check that you opened the whole link from the email, or ask for a new one.",
        reset_id: None,
    };
    let Some(hash) = hash_token(token) else {
        return Err(invalid);
    };
    let failed = |e: sqlx::Error| {
        tracing::error!(cause = %e, "password reset lookup failed");
        Refusal {
            reason: "lookup_failed",
            message: "Something went wrong on our side. Please try again.",
            reset_id: None,
        }
    };
    tenancy::name_link_token(&mut *conn, &hash)
        .await
        .map_err(failed)?;
    let row = sqlx::query!(
        r#"select id, user_id, used_at is not null as "used!", expires_at < now() as "expired!"
           from password_resets where token_hash = $1
           for update"#,
        &hash[..]
    )
    .fetch_optional(&mut *conn)
    .await
    .map_err(failed)?
    .ok_or(invalid)?;
    tenancy::act_as_person(&mut *conn, row.user_id)
        .await
        .map_err(failed)?;
    let active = sqlx::query_scalar!(
        r#"select status = 'active' as "active!" from users where id = $1"#,
        row.user_id
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(failed)?;
    let refuse = |reason, message| Refusal {
        reason,
        message,
        reset_id: Some(row.id),
    };
    if row.used {
        Err(refuse(
            "used",
            "This reset link has already been used. Ask for a new one if you need to.",
        ))
    } else if row.expired {
        Err(refuse(
            "expired",
            "This reset link has expired: links work for 30 minutes. Ask for a new one.",
        ))
    } else if !active {
        Err(refuse(
            "account_disabled",
            "This account has been disabled. Contact your clinic administrator.",
        ))
    } else {
        Ok((row.id, row.user_id))
    }
}

/// Audits a refused link and gives the error to show.
async fn refused(pool: &PgPool, r: Refusal, origin: &RequestOrigin) -> AppError {
    let record = async {
        let mut tx = tenancy::begin_anonymous(pool).await?;
        let mut event = NewAuditEvent::new(None, AuditAction::AccessDenied);
        event.entity_type = Some(AuditEntity::PasswordReset);
        event.entity_id = r.reset_id.map(|i| i.to_string());
        event.after = Some(json!({ "reason": r.reason }));
        event.outcome = AuditOutcome::Denied;
        event.origin = origin.clone();
        audit::record(&mut tx, &event).await?;
        tx.commit().await
    };
    match record.await {
        Ok(()) => AppError::Conflict(r.message.into()),
        Err(e) => AppError::from(e),
    }
}

fn reset_email(id: Uuid, to: &str, name: &str, base_url: &str, token: &str) -> OutgoingEmail {
    let (body_text, body_html) = Letter {
        brand: "HMS".into(),
        greeting: format!("Hello {name},"),
        paragraphs: vec![format!(
            "Someone asked to reset the password of your HMS account ({to}). If it was you, choose a new one:"
        )],
        action: Some(("Choose a new password".into(), format!("{base_url}/reset-password?token={token}"))),
        footnote: Some(format!(
            "The link works once, for {RESET_MINUTES} minutes, and signs you out everywhere. If you did not ask, ignore this email: your password stays as it is."
        )),
    }
    .render();
    OutgoingEmail {
        idempotency_key: format!("password_reset:{id}"),
        clinic_id: None,
        kind: "password_reset",
        to_address: to.to_string(),
        to_name: name.to_string(),
        subject: "Reset your HMS password".into(),
        body_text,
        body_html,
        calendar: None,
    }
}
