//! Email and password sign-in, and what every sign-in does once its first
//! factor is proven. Every failure looks the same to the client and takes as
//! long as a real password check; the audit trail records the reason.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::throttle::SignInThrottle;
use super::{password, sessions};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::auth::{Email, SIGN_IN_FAILED};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::config::SessionPolicy;
use crate::server::tenancy;
use crate::server::two_factor::pending::PendingSignIn;
use crate::server::two_factor::{self, Requirement, trusted};

#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub is_platform_admin: bool,
}

/// Why a sign-in failed, for the audit trail only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    UnknownAccount,
    BadPassword,
    Locked,
    AccountDisabled,
    NoPassword,
}

impl Failure {
    fn as_str(self) -> &'static str {
        match self {
            Failure::UnknownAccount => "unknown_account",
            Failure::BadPassword => "bad_password",
            Failure::Locked => "account_locked",
            Failure::AccountDisabled => "account_disabled",
            Failure::NoPassword => "no_password_set",
        }
    }
}

pub async fn sign_in(
    pool: &PgPool,
    policy: &SessionPolicy,
    throttle: &SignInThrottle,
    email: &Email,
    password_typed: String,
    origin: &RequestOrigin,
    device: Option<[u8; 32]>,
) -> Result<SignInStep, AppError> {
    if !throttle
        .allow(pool, origin.client_addr, email.as_str())
        .await?
    {
        tracing::warn!("sign-in rate limit reached");
        return Err(AppError::RateLimited);
    }
    // Looked up in a transaction of its own: none is held open while the
    // password is hashed.
    let mut lookup = tenancy::begin_account_lookup(pool, email.as_str()).await?;
    let user = sqlx::query!(
        r#"select id, password_hash, status, is_platform_admin,
                  coalesce(locked_until > now(), false) as "locked!"
           from users where lower(email) = $1"#,
        email.as_str()
    )
    .fetch_optional(&mut *lookup)
    .await?;
    lookup.commit().await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let password_ok = password::verify(password_typed, stored).await;

    let Some(user) = user else {
        let mut tx = tenancy::begin_anonymous(pool).await?;
        audit_failure(&mut tx, None, email, Failure::UnknownAccount, false, origin).await?;
        tx.commit().await?;
        throttle.failed(pool, origin.client_addr).await?;
        return Err(failed());
    };
    let mut tx = tenancy::begin_personal(pool, user.id).await?;
    let failure = if user.status != "active" {
        Some(Failure::AccountDisabled)
    } else if user.locked {
        Some(Failure::Locked)
    } else if user.password_hash.is_none() {
        Some(Failure::NoPassword)
    } else if !password_ok {
        Some(Failure::BadPassword)
    } else {
        None
    };
    if let Some(failure) = failure {
        let locked_now = if failure == Failure::BadPassword {
            count_failure(&mut tx, user.id, policy).await?
        } else {
            false
        };
        audit_failure(&mut tx, Some(user.id), email, failure, locked_now, origin).await?;
        tx.commit().await?;
        throttle.failed(pool, origin.client_addr).await?;
        return Err(failed());
    }

    let first = FirstFactor {
        user_id: user.id,
        is_platform_admin: user.is_platform_admin,
        clinic_id: None,
        method: "password",
    };
    let step = after_first_factor(&mut tx, &first, policy, origin, device).await?;
    tx.commit().await?;
    Ok(step)
}

/// Who has proven their first factor, and how.
#[derive(Clone, Copy, Debug)]
pub struct FirstFactor {
    pub user_id: Uuid,
    pub is_platform_admin: bool,
    /// The clinic signed in through (single sign-on), whose audit chain
    /// records the sign-in.
    pub clinic_id: Option<Uuid>,
    /// "password" or "sso".
    pub method: &'static str,
}

/// Where a sign-in stands after its first factor.
#[derive(Clone, Debug)]
pub enum SignInStep {
    Done(SignedIn),
    /// A code from the authenticator (or setting one up) comes next.
    SecondFactor(PendingSignIn),
}

/// Signs in at once, or asks for the second factor when the account has an
/// authenticator (unless this device is trusted) or must set one up. `tx`
/// must act as the person (their own two-factor rows).
pub async fn after_first_factor(
    tx: &mut sqlx::PgConnection,
    first: &FirstFactor,
    policy: &SessionPolicy,
    origin: &RequestOrigin,
    device: Option<[u8; 32]>,
) -> Result<SignInStep, AppError> {
    let requirement =
        two_factor::requirement(&mut *tx, first.user_id, first.is_platform_admin).await?;
    let second = match requirement {
        Requirement::NotNeeded => None,
        Requirement::Code if trusted::is_trusted(&mut *tx, first.user_id, device).await? => {
            Some("trusted_device")
        }
        Requirement::Code | Requirement::Enrol => {
            let mut pending = PendingSignIn::new(
                first.user_id,
                first.is_platform_admin,
                first.method,
                requirement == Requirement::Enrol,
            );
            pending.clinic_id = first.clinic_id;
            return Ok(SignInStep::SecondFactor(pending));
        }
    };
    let signed = record_sign_in(tx, first, policy, origin, second).await?;
    Ok(SignInStep::Done(signed))
}

/// A sign-in proven (by `first`, and `second_factor` when one was asked
/// for): the account's failure count is reset, a session opened with the
/// idle timeout of staff or of patients, and the sign-in audited (in the
/// clinic's chain when it happened through a clinic).
pub async fn record_sign_in(
    tx: &mut sqlx::PgConnection,
    first: &FirstFactor,
    policy: &SessionPolicy,
    origin: &RequestOrigin,
    second_factor: Option<&str>,
) -> Result<SignedIn, AppError> {
    let FirstFactor {
        user_id,
        is_platform_admin,
        clinic_id,
        method,
    } = *first;
    sqlx::query!(
        "update users set failed_sign_ins = 0, locked_until = null, last_login_at = now() where id = $1",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let staff = is_platform_admin
        || sqlx::query_scalar!(
            r#"select exists(select 1 from memberships
                              where user_id = $1 and active and role <> 'patient') as "staff!""#,
            user_id
        )
        .fetch_one(&mut *tx)
        .await?;
    let idle = if staff {
        policy.staff_idle
    } else {
        policy.patient_idle
    };
    let (session_id, expires_at) = sessions::open(
        &mut *tx,
        user_id,
        idle,
        policy.lifetime,
        policy.kind,
        origin,
    )
    .await?;
    // A sign-in belongs in the log of the clinic it leads into, where the
    // clinic's admins look for it ("Signed in"): the clinic signed in
    // through, else the person's only clinic. Someone with several (or a
    // platform admin) signs in to no clinic yet: the platform's chain.
    let (event_clinic, role) = match clinic_id {
        Some(c) => (Some(c), None),
        None if is_platform_admin => (None, None),
        None => {
            let only = sqlx::query!(
                r#"select m.clinic_id, m.role from memberships m
                   join clinics c on c.id = m.clinic_id
                   where m.user_id = $1 and m.active and c.status = 'active' limit 2"#,
                user_id
            )
            .fetch_all(&mut *tx)
            .await?;
            match only.as_slice() {
                [one] => (Some(one.clinic_id), Some(one.role.clone())),
                _ => (None, None),
            }
        }
    };
    let mut event = NewAuditEvent::new(event_clinic, AuditAction::Login);
    event.actor_user_id = Some(user_id);
    event.actor_role = role;
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({
        "session": session_id,
        "method": method,
        "second_factor": second_factor,
        "client": policy.kind.as_str(),
    }));
    event.origin = origin.clone();
    match (clinic_id, event_clinic) {
        // A password sign-in is personal until here: write the event inside
        // the clinic (row-level security allows a clinic's chain only from
        // inside it), then act as the person again for what follows.
        (None, Some(clinic)) => {
            tenancy::act_in_clinic(&mut *tx, clinic, user_id).await?;
            audit::record(&mut *tx, &event).await?;
            tenancy::act_as_person(&mut *tx, user_id).await?;
        }
        _ => audit::record(&mut *tx, &event).await?,
    }
    Ok(SignedIn {
        user_id,
        session_id,
        expires_at,
        is_platform_admin,
    })
}

fn failed() -> AppError {
    AppError::validation("form", SIGN_IN_FAILED)
}

/// Adds a failure; at the threshold the account is locked and the count starts
/// again. Returns whether this failure locked it.
pub(crate) async fn count_failure(
    tx: &mut sqlx::PgConnection,
    user_id: Uuid,
    policy: &SessionPolicy,
) -> Result<bool, sqlx::Error> {
    let threshold = i32::try_from(policy.lockout_after).unwrap_or(i32::MAX);
    let locked = sqlx::query_scalar!(
        r#"
        update users set
            failed_sign_ins = case when failed_sign_ins + 1 >= $2 then 0 else failed_sign_ins + 1 end,
            locked_until = case when failed_sign_ins + 1 >= $2
                                then now() + make_interval(secs => $3) else locked_until end
        where id = $1
        returning failed_sign_ins = 0 as "locked!"
        "#,
        user_id,
        threshold,
        policy.lockout_for.as_secs_f64(),
    )
    .fetch_one(tx)
    .await?;
    Ok(locked)
}

async fn audit_failure(
    tx: &mut sqlx::PgConnection,
    user_id: Option<Uuid>,
    email: &Email,
    failure: Failure,
    locked_now: bool,
    origin: &RequestOrigin,
) -> Result<(), sqlx::Error> {
    let mut event = NewAuditEvent::new(None, AuditAction::LoginFailed);
    event.actor_user_id = user_id;
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = user_id.map(|u| u.to_string());
    event.after = Some(json!({
        "email": email.as_str(),
        "reason": failure.as_str(),
        "locked": locked_now,
    }));
    event.outcome = AuditOutcome::Failure;
    event.origin = origin.clone();
    audit::record(tx, &event).await
}
