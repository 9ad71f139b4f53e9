//! The two browser-facing steps of single sign-on, as plain HTTP handlers:
//! they answer with redirects, to the provider and back to HMS.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::flow::{self, PENDING_KEY, PendingSso, Refused, VerifiedIdentity};
use super::provision::{self, Outcome};
use super::settings::{self, Stored};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::auth::safe_return_path;
use crate::domain::sso::SsoRefusal;
use crate::domain::two_factor::provider_asserted_mfa;
use crate::domain::url::with_query;
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::sign_in::{self, FirstFactor, SignInStep};
use crate::server::auth::{SECOND_STEP_PATH, establish::establish, landing};
use crate::server::state::AppState;
use crate::server::tenancy;
use crate::server::two_factor::{self, trusted};

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// Sends the person to their clinic's provider.
pub async fn start(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<StartQuery>,
    session: Session,
    parts: http::request::Parts,
) -> Response {
    let origin = RequestOrigin::from_parts(&parts);
    match begin(&state, &slug, query.next, &session).await {
        Ok(Ok(url)) => Redirect::to(&url).into_response(),
        Ok(Err((clinic_id, refused))) => {
            refuse(&state, clinic_id, &refused, None, &origin, Some(&slug)).await
        }
        Err(e) => e.into_response(),
    }
}

type Begun = Result<String, (Option<Uuid>, Refused)>;

async fn begin(
    state: &AppState,
    slug: &str,
    next: Option<String>,
    session: &Session,
) -> Result<Begun, AppError> {
    let not_configured = |clinic| {
        Ok(Err((
            clinic,
            Refused {
                reason: SsoRefusal::NotConfigured,
                detail: String::new(),
            },
        )))
    };
    let Some((clinic_id, stored)) = load_settings(state, slug).await? else {
        return not_configured(None);
    };
    let Some(client) = stored.client(state.config.secret_key.as_ref()) else {
        return not_configured(Some(clinic_id));
    };
    let redirect_uri = settings::redirect_uri(&state.config.base_url);
    let next = next
        .as_deref()
        .and_then(safe_return_path)
        .map(str::to_owned);
    match flow::begin(
        &state.providers,
        &client,
        &redirect_uri,
        clinic_id,
        slug,
        next,
    )
    .await
    {
        Ok((url, pending)) => {
            session.insert(PENDING_KEY, pending).await.map_err(|e| {
                tracing::error!(cause = %e, "could not store the SSO state");
                AppError::Unavailable
            })?;
            Ok(Ok(url))
        }
        Err(refused) => Ok(Err((Some(clinic_id), refused))),
    }
}

/// The clinic with this slug and its enabled settings.
async fn load_settings(state: &AppState, slug: &str) -> Result<Option<(Uuid, Stored)>, AppError> {
    if !crate::domain::clinics::is_slug(slug) {
        return Ok(None);
    }
    let clinic = sqlx::query_scalar!(
        "select id from clinics where slug = $1 and status = 'active'",
        slug
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(clinic_id) = clinic else {
        return Ok(None);
    };
    let mut tx = tenancy::begin_sign_in(&state.pool, clinic_id).await?;
    let stored = settings::load(&mut tx).await?;
    tx.commit().await?;
    Ok(stored.filter(|s| s.enabled).map(|s| (clinic_id, s)))
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// RFC 9207: which provider answered, against mix-up attacks.
    iss: Option<String>,
}

/// Where the provider sends the person back.
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
    session: Session,
    parts: http::request::Parts,
) -> Response {
    let origin = RequestOrigin::from_parts(&parts);
    // The pending sign-in is used up whatever happens next: a callback
    // cannot be replayed against it.
    let pending = match session.remove::<PendingSso>(PENDING_KEY).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(cause = %e, "unreadable SSO state in the session");
            None
        }
    };
    let Some(pending) = pending else {
        let refused = Refused {
            reason: SsoRefusal::StateMismatch,
            detail: "no sign-in in progress in this session".into(),
        };
        return refuse(&state, None, &refused, None, &origin, None).await;
    };
    let slug = pending.slug.clone();
    match finish(&state, &pending, &query, &session, &parts.headers, &origin).await {
        Ok(Finished::SignedIn(target)) => Redirect::to(&target).into_response(),
        Ok(Finished::Waiting) => Redirect::to("/sso/requested").into_response(),
        Ok(Finished::Refused(refused, email)) => {
            refuse(
                &state,
                Some(pending.clinic_id),
                &refused,
                email.as_deref(),
                &origin,
                Some(&slug),
            )
            .await
        }
        Err(e) => e.into_response(),
    }
}

enum Finished {
    SignedIn(String),
    Waiting,
    Refused(Refused, Option<String>),
}

fn refused(reason: SsoRefusal, detail: impl Into<String>) -> Finished {
    Finished::Refused(
        Refused {
            reason,
            detail: detail.into(),
        },
        None,
    )
}

async fn finish(
    state: &AppState,
    pending: &PendingSso,
    query: &CallbackQuery,
    session: &Session,
    headers: &http::HeaderMap,
    origin: &RequestOrigin,
) -> Result<Finished, AppError> {
    let returned_state = query.state.as_deref().unwrap_or_default();
    if !flow::state_matches(pending, returned_state) {
        return Ok(refused(
            SsoRefusal::StateMismatch,
            "state differs from the one sent",
        ));
    }
    if pending.expired(chrono::Utc::now()) {
        return Ok(refused(
            SsoRefusal::StateMismatch,
            "sign-in started over 10 minutes ago",
        ));
    }
    if let Some(error) = &query.error {
        let error: String = error.chars().take(100).collect();
        return Ok(refused(
            SsoRefusal::ProviderDenied,
            format!("provider said {error}"),
        ));
    }
    let Some(code) = query
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2048)
    else {
        return Ok(refused(SsoRefusal::InvalidToken, "no code"));
    };
    let Some((_, stored)) = load_settings(state, &pending.slug).await? else {
        return Ok(refused(
            SsoRefusal::NotConfigured,
            "settings removed or disabled",
        ));
    };
    if stored.clinic_id != pending.clinic_id {
        return Ok(refused(SsoRefusal::StateMismatch, "clinic changed"));
    }
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != stored.issuer_url)
    {
        return Ok(refused(
            SsoRefusal::InvalidToken,
            "iss parameter names another provider",
        ));
    }
    let Some(client) = stored.client(state.config.secret_key.as_ref()) else {
        return Ok(refused(
            SsoRefusal::NotConfigured,
            "client secret unreadable",
        ));
    };
    let redirect_uri = settings::redirect_uri(&state.config.base_url);
    let who: VerifiedIdentity =
        match flow::complete(&state.providers, &client, &redirect_uri, pending, code).await {
            Ok(who) => who,
            Err(r) => return Ok(Finished::Refused(r, None)),
        };
    let mut tx = tenancy::begin_sign_in(&state.pool, stored.clinic_id).await?;
    let (user_id, is_platform_admin) =
        match provision::resolve(&mut tx, &stored, &who, origin).await? {
            Outcome::SignIn {
                user_id,
                is_platform_admin,
            } => (user_id, is_platform_admin),
            Outcome::AwaitingApproval => {
                tx.commit().await?;
                return Ok(Finished::Waiting);
            }
            Outcome::Refused(r) => return Ok(Finished::Refused(r, Some(who.email))),
        };
    tx.commit().await?;
    let first = FirstFactor {
        user_id,
        is_platform_admin,
        clinic_id: Some(stored.clinic_id),
        method: "sso",
    };
    let mut tx = tenancy::begin_sign_in_as(&state.pool, stored.clinic_id, user_id).await?;
    let policy = &state.config.sessions;
    let step = if provider_asserted_mfa(&who.methods) {
        // The provider proved a second factor itself (its `amr` says so).
        SignInStep::Done(
            sign_in::record_sign_in(&mut tx, &first, policy, origin, Some("provider_mfa")).await?,
        )
    } else {
        sign_in::after_first_factor(
            &mut tx,
            &first,
            policy,
            origin,
            trusted::token_hash(headers),
        )
        .await?
    };
    tx.commit().await?;
    match step {
        SignInStep::Done(signed) => {
            let landing =
                landing::landing_in(&state.pool, user_id, is_platform_admin, stored.clinic_id)
                    .await?;
            establish(session, &signed, &landing).await?;
            Ok(Finished::SignedIn(
                pending.next.clone().unwrap_or(landing.path),
            ))
        }
        SignInStep::SecondFactor(mut second) => {
            second.next = pending.next.clone();
            two_factor::pending::store(session, &second).await?;
            Ok(Finished::SignedIn(SECOND_STEP_PATH.into()))
        }
    }
}

/// Audits a refused single sign-on (in the clinic's chain when known) and
/// sends the person to the sign-in page, which says why.
async fn refuse(
    state: &AppState,
    clinic_id: Option<Uuid>,
    refused: &Refused,
    email: Option<&str>,
    origin: &RequestOrigin,
    slug: Option<&str>,
) -> Response {
    tracing::info!(reason = refused.reason.as_str(), detail = %refused.detail, "single sign-on refused");
    // An address naming no clinic is not a sign-in attempt; recording each
    // would let anyone fill the audit trail.
    let worth_recording = clinic_id.is_some() || refused.reason != SsoRefusal::NotConfigured;
    let recorded = async {
        if !worth_recording {
            return Ok(());
        }
        let mut tx = match clinic_id {
            Some(c) => tenancy::begin_sign_in(&state.pool, c).await?,
            None => tenancy::begin_anonymous(&state.pool).await?,
        };
        let mut event = NewAuditEvent::new(clinic_id, AuditAction::LoginFailed);
        event.entity_type = Some(AuditEntity::User);
        event.after = Some(json!({
            "method": "sso",
            "reason": refused.reason.as_str(),
            "detail": refused.detail,
            "email": email,
        }));
        event.outcome = AuditOutcome::Failure;
        event.origin = origin.clone();
        audit::record(&mut tx, &event).await?;
        tx.commit().await
    };
    if let Err(e) = recorded.await {
        tracing::error!(cause = %e, "could not audit a refused single sign-on");
        return AppError::Unavailable.into_response();
    }
    let target = with_query(
        "/login",
        &[
            ("sso", refused.reason.as_str()),
            ("clinic", slug.unwrap_or_default()),
        ],
    );
    Redirect::to(&target).into_response()
}
