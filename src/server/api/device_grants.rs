//! Device sign-in (`api_device_grants`, migration 40; RFC 8628): a device's
//! request, the person's answer on the `/device` page, and the device's
//! polls. The page's server functions and the API's handlers both come
//! here.

use rand::RngCore;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::errors::ApiError;
use super::tokens::{hash, new_pair, pair, secret_with_prefix};
use crate::domain::AppError;
use crate::domain::api::device::{
    CODE_UNKNOWN, DEVICE_CODE_PREFIX, DEVICE_CODE_TTL, DeviceAuthorization, DeviceDecision,
    DeviceRequest, POLL_INTERVAL_SECS, USER_CODE_LEN, UserCode, VERIFICATION_PATH,
};
use crate::domain::api::tokens::{ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, TokenPair};
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::CurrentUser;
use crate::server::auth::sign_in::{FirstFactor, record_sign_in};
use crate::server::auth::throttle::SignInThrottle;
use crate::server::config::SessionPolicy;
use crate::server::tenancy;

/// Draws before giving up on a free user code: with 2.56 × 10¹⁰ codes and
/// grants kept minutes, a second draw is already rare.
const DRAWS: usize = 5;

fn random_user_code() -> UserCode {
    let mut bytes = [0u8; USER_CODE_LEN];
    rand::rng().fill_bytes(&mut bytes);
    UserCode::from_random(bytes)
}

/// A device's request for codes, from `origin`; `base_url` is where the
/// person finds the approval page.
pub async fn start(
    pool: &PgPool,
    client_name: &str,
    origin: &RequestOrigin,
    base_url: &str,
) -> Result<DeviceAuthorization, AppError> {
    let (device_code, device_hash) = secret_with_prefix(DEVICE_CODE_PREFIX);
    // Nobody is known yet: the function writes the row.
    let mut tx = tenancy::begin_anonymous(pool).await?;
    for _ in 0..DRAWS {
        let user_code = random_user_code();
        let stored = sqlx::query_scalar!(
            r#"select api_device_grant_start($1, $2, $3, $4, $5, $6, $7) as "stored!""#,
            device_hash,
            user_code.as_str(),
            client_name,
            origin
                .client_addr
                .map(sqlx::types::ipnetwork::IpNetwork::from),
            origin.user_agent_for_storage(),
            DEVICE_CODE_TTL.as_secs_f64(),
            POLL_INTERVAL_SECS as i32,
        )
        .fetch_one(&mut *tx)
        .await?;
        if stored {
            tx.commit().await?;
            let page = format!("{}{VERIFICATION_PATH}", base_url.trim_end_matches('/'));
            return Ok(DeviceAuthorization {
                device_code,
                verification_uri_complete: format!("{page}?code={}", user_code.display()),
                user_code: user_code.display(),
                verification_uri: page,
                expires_in: DEVICE_CODE_TTL.as_secs(),
                interval: POLL_INTERVAL_SECS,
            });
        }
    }
    tracing::error!("no free device user code in {DRAWS} draws");
    Err(AppError::Unavailable)
}

/// Typing a code is a guess at someone's device: each try counts against
/// the person's sign-in limits (as a second-factor code does), and a wrong
/// one against their address.
async fn may_guess(
    pool: &PgPool,
    throttle: &SignInThrottle,
    user: &CurrentUser,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    if throttle
        .allow(
            pool,
            origin.client_addr,
            &format!("device:{}", user.user_id),
        )
        .await?
    {
        Ok(())
    } else {
        Err(AppError::RateLimited)
    }
}

async fn wrong_guess(
    pool: &PgPool,
    throttle: &SignInThrottle,
    origin: &RequestOrigin,
) -> Result<AppError, AppError> {
    throttle.failed(pool, origin.client_addr).await?;
    Ok(AppError::validation("code", CODE_UNKNOWN))
}

/// The approval page's look-up: the device waiting with `code`, for `user`.
pub async fn find(
    pool: &PgPool,
    throttle: &SignInThrottle,
    user: &CurrentUser,
    code: &UserCode,
    origin: &RequestOrigin,
) -> Result<DeviceRequest, AppError> {
    may_guess(pool, throttle, user, origin).await?;
    let mut tx = tenancy::begin_personal(pool, user.user_id).await?;
    let found = waiting(&mut tx, code).await?;
    tx.commit().await?;
    match found {
        Some(request) => Ok(request),
        None => Err(wrong_guess(pool, throttle, origin).await?),
    }
}

/// The approval page's answer (see [`decide`]), committed.
pub async fn answer(
    pool: &PgPool,
    throttle: &SignInThrottle,
    policy: &SessionPolicy,
    user: &CurrentUser,
    code: &UserCode,
    decision: DeviceDecision,
    origin: &RequestOrigin,
) -> Result<DeviceRequest, AppError> {
    may_guess(pool, throttle, user, origin).await?;
    let mut tx = tenancy::begin_personal(pool, user.user_id).await?;
    match decide(&mut tx, user, code, decision, policy, origin).await {
        Ok(request) => {
            tx.commit().await?;
            Ok(request)
        }
        Err(e) if e.field_message("code").is_some() => {
            drop(tx);
            Err(wrong_guess(pool, throttle, origin).await?)
        }
        Err(e) => Err(e),
    }
}

/// The device waiting with `code`, for the approval page; `conn` acts as
/// the signed-in person.
pub async fn waiting(
    conn: &mut PgConnection,
    code: &UserCode,
) -> Result<Option<DeviceRequest>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select user_code as "user_code!", client_name as "client_name!",
                  created_at as "created_at!", expires_at as "expires_at!",
                  client_addr, user_agent
           from api_device_grant_waiting($1)"#,
        code.as_str()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| DeviceRequest {
        user_code: code.display(),
        client_name: r.client_name,
        requested_at: r.created_at,
        expires_at: r.expires_at,
        client_addr: r.client_addr.map(|a| a.ip().to_string()),
        user_agent: r.user_agent,
    }))
}

/// The person's answer. Allowing signs the device in as them: a token
/// family opened as a sign-in opens one (audited as LOGIN, method
/// "device", from the device's address), which the device's next poll
/// fills. Denying is audited as a refused sign-in. `tx` acts as `user`;
/// `origin` is the approving browser's request.
async fn decide(
    tx: &mut PgConnection,
    user: &CurrentUser,
    code: &UserCode,
    decision: DeviceDecision,
    policy: &SessionPolicy,
    origin: &RequestOrigin,
) -> Result<DeviceRequest, AppError> {
    let request = waiting(&mut *tx, code)
        .await?
        .ok_or_else(|| AppError::validation("code", CODE_UNKNOWN))?;
    let session = match decision {
        DeviceDecision::Allow => {
            let device = RequestOrigin {
                client_addr: request.client_addr.as_deref().and_then(|a| a.parse().ok()),
                user_agent: request.user_agent.clone(),
                request_id: origin.request_id.clone(),
            };
            let first = FirstFactor {
                user_id: user.user_id,
                is_platform_admin: user.is_platform_admin,
                clinic_id: None,
                method: "device",
            };
            let signed = record_sign_in(&mut *tx, &first, policy, &device, None).await?;
            Some(signed.session_id)
        }
        DeviceDecision::Deny => {
            let mut event = NewAuditEvent::new(None, AuditAction::LoginFailed);
            event.actor_user_id = Some(user.user_id);
            event.entity_type = Some(AuditEntity::User);
            event.entity_id = Some(user.user_id.to_string());
            event.outcome = AuditOutcome::Denied;
            event.after = Some(json!({
                "method": "device",
                "reason": "denied_by_person",
                "device": request.client_name,
                "device_address": request.client_addr,
            }));
            event.origin = origin.clone();
            audit::record(&mut *tx, &event).await?;
            None
        }
    };
    let decided = sqlx::query_scalar!(
        r#"select api_device_grant_decide($1, $2, $3) as "decided!""#,
        code.as_str(),
        decision == DeviceDecision::Allow,
        session,
    )
    .fetch_one(&mut *tx)
    .await?;
    if !decided {
        // Answered or expired between the read and now: the caller rolls
        // back the session opened above.
        return Err(AppError::validation("code", CODE_UNKNOWN));
    }
    Ok(request)
}

/// What a device's poll found.
#[derive(Debug)]
pub enum Poll {
    Approved(TokenPair),
    Pending { interval: u32 },
}

pub const DEVICE_CODE_REFUSED: &str = "This device code is not valid (unknown, already used, or its sign-in has ended). \
     Start again with POST /api/v1/auth/device.";
pub const DEVICE_CODE_EXPIRED: &str = "Nobody answered in time: this device code has expired. Start again with \
     POST /api/v1/auth/device.";
pub const DEVICE_DENIED: &str = "The person declined to sign this device in.";

/// A device's poll with its device code.
pub async fn poll(pool: &PgPool, device_code: &str) -> Result<Poll, ApiError> {
    let ((access, access_hash), (refresh, refresh_hash)) = new_pair();
    // Nobody is known until the code is: the function finds its row.
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let row = sqlx::query!(
        r#"select outcome as "outcome!", interval_secs, session_id, user_id
           from api_device_grant_poll($1, $2, $3, $4, $5)"#,
        hash(device_code),
        access_hash,
        refresh_hash,
        ACCESS_TOKEN_TTL.as_secs_f64(),
        REFRESH_TOKEN_TTL.as_secs_f64(),
    )
    .fetch_one(&mut *tx)
    .await?;
    // Committed whatever the outcome: the poll's time (and a spent grant)
    // must stick even when the request fails.
    tx.commit().await?;
    let interval = row
        .interval_secs
        .and_then(|i| u32::try_from(i).ok())
        .unwrap_or(POLL_INTERVAL_SECS);
    match row.outcome.as_str() {
        "approved" => Ok(Poll::Approved(pair(access, refresh))),
        "pending" => Ok(Poll::Pending { interval }),
        "slow_down" => Err(ApiError::rate_limited(u64::from(interval)).with_field(
            "device_code",
            &format!("Polling too often: wait {interval} seconds between polls."),
        )),
        "denied" => Err(ApiError::forbidden(DEVICE_DENIED)),
        "expired" => Err(ApiError::unauthorized(DEVICE_CODE_EXPIRED)),
        _ => Err(ApiError::unauthorized(DEVICE_CODE_REFUSED)),
    }
}
