//! The clinic admin's side of single sign-on: people waiting to be let in,
//! approved into a role (their account is made then, without a password)
//! or turned down.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::SsoRequestId;
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::domain::role::Role;
use crate::domain::sso::AccessRequest;
use crate::server::access::ClinicAccess;
use crate::server::mail::compose::{Letter, OutgoingEmail};
use crate::server::tenancy;
use crate::server::{audit, mail};

pub async fn list_open(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<AccessRequest>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.id, r.email, r.display_name, r.request_count,
                  r.last_requested_at as "requested_at: DateTime<Utc>", c.timezone,
                  extract(epoch from (r.last_requested_at at time zone c.timezone)
                                   - (r.last_requested_at at time zone 'UTC'))::float8 as "offset_secs?",
                  count(*) over () as "total!"
           from sso_access_requests r
           join clinics c on c.id = r.clinic_id
           where r.clinic_id = app_clinic_id() and r.decided_at is null
           order by r.last_requested_at desc, r.id desc
           limit $1 offset $2"#,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page::exact(
        rows.into_iter()
            .map(|r| AccessRequest {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                requested_at: LocalTime::in_zone(r.requested_at, r.offset_secs, Some(r.timezone)),
                request_count: r.request_count,
            })
            .collect(),
        page,
        total,
    ))
}

struct Open {
    issuer: String,
    subject: String,
    email: String,
    display_name: String,
}

async fn lock_open(conn: &mut PgConnection, id: Uuid) -> Result<Open, AppError> {
    sqlx::query_as!(
        Open,
        "select issuer, subject, email, display_name from sso_access_requests
         where id = $1 and clinic_id = app_clinic_id() and decided_at is null
         for update",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::Conflict("That request has already been answered.".into()))
}

/// Lets the person in with `role`: their account (made now if they have
/// none, without a password: they sign in through the provider), the
/// membership, and the link to their provider account. They are emailed.
pub async fn approve(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: SsoRequestId,
    role: Role,
    department_id: Option<Uuid>,
    base_url: &str,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    let open = lock_open(conn, id).await?;
    tenancy::name_account(&mut *conn, &open.email.to_lowercase()).await?;
    let existing = sqlx::query_scalar!(
        "select id from users where lower(email) = $1 for update",
        open.email
    )
    .fetch_optional(&mut *conn)
    .await?;
    let user_id = match existing {
        Some(id) => id,
        None => {
            sqlx::query_scalar!(
                "insert into users (email, display_name) values ($1, $2) returning id",
                open.email,
                open.display_name
            )
            .fetch_one(&mut *conn)
            .await?
        }
    };
    sqlx::query!(
        r#"insert into memberships (clinic_id, user_id, role, department_id)
           values (app_clinic_id(), $1, $2, $3)
           on conflict (clinic_id, user_id, role)
           do update set active = true, department_id = excluded.department_id"#,
        user_id,
        role.as_str(),
        department_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into sso_identities (clinic_id, user_id, issuer, subject, email)
         values (app_clinic_id(), $1, $2, $3, $4)
         on conflict (clinic_id, issuer, subject) do nothing",
        user_id,
        open.issuer,
        open.subject,
        open.email
    )
    .execute(&mut *conn)
    .await?;
    decide(conn, access, id, "approved", None).await?;
    let slug = &access.membership.slug;
    let clinic = &access.membership.clinic_name;
    let (body_text, body_html) = Letter {
        brand: clinic.clone(),
        greeting: format!("Hello {},", open.display_name),
        paragraphs: vec![format!(
            "Your request to use HMS at {clinic} was approved: you join as {}. Sign in with your organisation's account.",
            role.label().to_lowercase()
        )],
        action: Some((
            "Sign in".into(),
            format!("{}/login?clinic={slug}", base_url.trim_end_matches('/')),
        )),
        footnote: None,
    }
    .render();
    mail::outbox::enqueue(
        conn,
        &OutgoingEmail {
            idempotency_key: format!("sso_approved:{id}"),
            clinic_id: Some(access.membership.clinic_id),
            kind: "sso_approved",
            to_address: open.email.clone(),
            to_name: open.display_name.clone(),
            subject: format!("You can now sign in to {clinic} on HMS"),
            body_text,
            body_html,
            calendar: None,
        },
    )
    .await?;
    let mut event = access.event(AuditAction::Create);
    event.entity_type = Some(AuditEntity::Membership);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({
        "via": "sso_approval",
        "request": id,
        "role": role.as_str(),
        "department_id": department_id,
        "new_account": existing.is_none(),
    }));
    audit::record(conn, &event).await?;
    Ok(())
}

pub async fn reject(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: SsoRequestId,
    reason: &str,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    lock_open(conn, id).await?;
    decide(conn, access, id, "rejected", Some(reason)).await
}

async fn decide(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: Uuid,
    decision: &str,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let reason = reason.filter(|r| !r.is_empty());
    sqlx::query!(
        "update sso_access_requests
         set decided_at = now(), decided_by = $2, decision = $3, decision_reason = $4
         where id = $1 and clinic_id = app_clinic_id()",
        id,
        access.user.user_id,
        decision,
        reason
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::SsoAccessRequest);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "decision": decision, "reason": reason }));
    audit::record(conn, &event).await?;
    Ok(())
}
