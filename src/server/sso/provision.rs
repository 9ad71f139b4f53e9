//! Who a verified provider account is in HMS: the account linked to it, or
//! the account with its (verified) email, which is linked now. Someone who
//! is not staff here yet comes in through an open invitation, the clinic's
//! automatic role, or a request for a clinic admin to approve.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::flow::{Refused, VerifiedIdentity};
use super::settings::Stored;
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::invitations::MAX_NAME_CHARS;
use crate::domain::role::Role;
use crate::domain::sso::{NewUsers, SsoRefusal, domain_allowed};
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::tenancy;

/// How long a declined person is told so instead of asking again.
const REJECTION_DAYS: i32 = 30;

#[derive(Debug)]
pub enum Outcome {
    SignIn {
        user_id: Uuid,
        is_platform_admin: bool,
    },
    AwaitingApproval,
    Refused(Refused),
}

fn refuse(reason: SsoRefusal, detail: impl Into<String>) -> Outcome {
    Outcome::Refused(Refused {
        reason,
        detail: detail.into(),
    })
}

/// A display name from the provider, or the email's local part.
fn display_name(who: &VerifiedIdentity) -> String {
    let name: String = who
        .name
        .as_deref()
        .unwrap_or_else(|| who.email.split('@').next().unwrap_or(&who.email))
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    if name.trim().is_empty() {
        who.email.clone()
    } else {
        name.trim().to_string()
    }
}

struct Account {
    id: Uuid,
    active: bool,
    is_platform_admin: bool,
}

/// Decides, inside the clinic's sign-in transaction (`tenancy::begin_sign_in`).
/// Writes only what the outcome needs; a refusal writes nothing.
pub async fn resolve(
    conn: &mut PgConnection,
    stored: &Stored,
    who: &VerifiedIdentity,
    origin: &RequestOrigin,
) -> Result<Outcome, AppError> {
    if !domain_allowed(
        &who.email,
        who.hosted_domain.as_deref(),
        &stored.allowed_domains,
    ) {
        return Ok(refuse(
            SsoRefusal::DomainNotAllowed,
            format!("{} (hd {:?})", who.email, who.hosted_domain),
        ));
    }
    let linked = sqlx::query_scalar!(
        "select user_id from sso_identities
         where clinic_id = app_clinic_id() and issuer = $1 and subject = $2",
        who.issuer,
        who.subject
    )
    .fetch_optional(&mut *conn)
    .await?;
    tenancy::name_account(&mut *conn, &who.email.to_lowercase()).await?;
    let account = sqlx::query!(
        "select id, status, is_platform_admin from users
         where ($1::uuid is not null and id = $1) or ($1::uuid is null and lower(email) = $2)
         for update",
        linked,
        who.email
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|u| Account {
        id: u.id,
        active: u.status == "active",
        is_platform_admin: u.is_platform_admin,
    });
    if let Some(a) = &account {
        if !a.active {
            return Ok(refuse(SsoRefusal::AccountDisabled, who.email.clone()));
        }
        if linked.is_none() {
            let other_subject = sqlx::query_scalar!(
                r#"select exists(select 1 from sso_identities
                                  where clinic_id = app_clinic_id() and user_id = $1 and issuer = $2) as "x!""#,
                a.id,
                who.issuer
            )
            .fetch_one(&mut *conn)
            .await?;
            if other_subject {
                return Ok(refuse(
                    SsoRefusal::IdentityConflict,
                    format!("{} is linked to another subject", who.email),
                ));
            }
        }
    }
    let memberships =
        match &account {
            Some(a) => sqlx::query_scalar!(
                "select active from memberships where clinic_id = app_clinic_id() and user_id = $1",
                a.id
            )
            .fetch_all(&mut *conn)
            .await?,
            None => Vec::new(),
        };
    let user_id = if memberships.contains(&true) {
        account.as_ref().map(|a| a.id).ok_or(AppError::Internal)?
    } else if !memberships.is_empty() {
        return Ok(refuse(SsoRefusal::AccessEnded, who.email.clone()));
    } else {
        match join(conn, stored, who, account.as_ref().map(|a| a.id), origin).await? {
            Some(id) => id,
            None => {
                return queue(conn, stored, who, origin).await;
            }
        }
    };
    let new_link = sqlx::query_scalar!(
        r#"insert into sso_identities (clinic_id, user_id, issuer, subject, email, last_sign_in_at)
           values (app_clinic_id(), $1, $2, $3, $4, now())
           on conflict (clinic_id, issuer, subject)
           do update set last_sign_in_at = now(), email = excluded.email
           returning (xmax = 0) as "created!""#,
        user_id,
        who.issuer,
        who.subject,
        who.email
    )
    .fetch_one(&mut *conn)
    .await?;
    if new_link {
        let mut event = NewAuditEvent::new(Some(stored.clinic_id), AuditAction::Create);
        event.actor_user_id = Some(user_id);
        event.entity_type = Some(AuditEntity::SsoIdentity);
        event.entity_id = Some(user_id.to_string());
        event.after = Some(json!({ "issuer": who.issuer, "email": who.email }));
        event.origin = origin.clone();
        audit::record(&mut *conn, &event).await?;
    }
    Ok(Outcome::SignIn {
        user_id,
        is_platform_admin: account.is_some_and(|a| a.is_platform_admin),
    })
}

/// A membership for someone who is not staff here yet: from an open
/// invitation to their email, or the clinic's automatic role. `None` when
/// they must wait for approval.
async fn join(
    conn: &mut PgConnection,
    stored: &Stored,
    who: &VerifiedIdentity,
    account: Option<Uuid>,
    origin: &RequestOrigin,
) -> Result<Option<Uuid>, AppError> {
    let invitation = sqlx::query!(
        "select id, role, department_id, display_name from invitations
         where clinic_id = app_clinic_id() and email = $1
           and accepted_at is null and revoked_at is null and expires_at > now()
         for update",
        who.email
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (role, department, name, via) = match (&invitation, stored.new_users) {
        (Some(i), _) => (
            Role::parse(&i.role).ok_or(AppError::Internal)?,
            i.department_id,
            i.display_name.clone(),
            "invitation",
        ),
        (None, NewUsers::Provision(role)) => (role, None, display_name(who), "sso_provisioning"),
        (None, NewUsers::Approval) => return Ok(None),
    };
    let user_id = match account {
        Some(id) => id,
        None => {
            sqlx::query_scalar!(
                "insert into users (email, display_name) values ($1, $2) returning id",
                who.email,
                name
            )
            .fetch_one(&mut *conn)
            .await?
        }
    };
    sqlx::query!(
        "insert into memberships (clinic_id, user_id, role, department_id) values (app_clinic_id(), $1, $2, $3)",
        user_id,
        role.as_str(),
        department
    )
    .execute(&mut *conn)
    .await?;
    if let Some(i) = &invitation {
        sqlx::query!(
            "update invitations set accepted_at = now(), accepted_by = $2 where id = $1",
            i.id,
            user_id
        )
        .execute(&mut *conn)
        .await?;
    }
    let mut event = NewAuditEvent::new(Some(stored.clinic_id), AuditAction::Create);
    event.actor_user_id = Some(user_id);
    event.actor_role = Some(role.as_str().into());
    event.entity_type = Some(AuditEntity::Membership);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({
        "via": via,
        "invitation": invitation.as_ref().map(|i| i.id),
        "role": role.as_str(),
        "new_account": account.is_none(),
    }));
    event.origin = origin.clone();
    audit::record(&mut *conn, &event).await?;
    Ok(Some(user_id))
}

/// Asks the clinic admins to let this person in (once; asking again only
/// bumps the request), unless they turned them down lately.
async fn queue(
    conn: &mut PgConnection,
    stored: &Stored,
    who: &VerifiedIdentity,
    origin: &RequestOrigin,
) -> Result<Outcome, AppError> {
    let rejected = sqlx::query_scalar!(
        r#"select exists(select 1 from sso_access_requests
                          where clinic_id = app_clinic_id() and issuer = $1 and subject = $2
                            and decision = 'rejected'
                            and decided_at > now() - make_interval(days => $3)) as "x!""#,
        who.issuer,
        who.subject,
        REJECTION_DAYS
    )
    .fetch_one(&mut *conn)
    .await?;
    if rejected {
        return Ok(refuse(SsoRefusal::Rejected, who.email.clone()));
    }
    let request = sqlx::query!(
        r#"insert into sso_access_requests (clinic_id, issuer, subject, email, display_name)
           values (app_clinic_id(), $1, $2, $3, $4)
           on conflict (clinic_id, issuer, subject) where decided_at is null
           do update set last_requested_at = now(),
                         request_count = sso_access_requests.request_count + 1,
                         email = excluded.email, display_name = excluded.display_name
           returning id, request_count"#,
        who.issuer,
        who.subject,
        who.email,
        display_name(who)
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut event = NewAuditEvent::new(Some(stored.clinic_id), AuditAction::Create);
    event.entity_type = Some(AuditEntity::SsoAccessRequest);
    event.entity_id = Some(request.id.to_string());
    event.after = Some(json!({ "email": who.email, "times_asked": request.request_count }));
    event.origin = origin.clone();
    audit::record(&mut *conn, &event).await?;
    Ok(Outcome::AwaitingApproval)
}
