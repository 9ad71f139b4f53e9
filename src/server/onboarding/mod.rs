//! Hospitals registering themselves: a request is written unconfirmed with
//! an emailed link for its first admin's address; confirmed, it waits for a
//! platform admin, who approves it (the clinic is made with its plan's
//! limits and the first admin invited) or rejects it with a reason (emailed).

pub mod draft;
mod email;

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::auth::Email;
use crate::domain::ids::RegistrationId;
use crate::domain::invitations::NewInvitation;
use crate::domain::onboarding::{
    FirstAdmin, HospitalDetails, PendingRegistration, Plan, TRIAL_DAYS, VERIFY_HOURS, suggest_slug,
};
use crate::domain::paging::{Page, PageRequest};
use crate::domain::role::Role;
use crate::server::access::ClinicAccess;
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::CurrentUser;
use crate::server::auth::throttle::SignInThrottle;
use crate::server::crypto::link_token;
use crate::server::crypto::link_token::new_token;
use crate::server::invitations;
use crate::server::mail::outbox;
use crate::server::tenancy::{self, ClinicMembership};

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[ConstraintField {
    constraint: "clinic_registrations_open_admin_key",
    field: "admin_email",
    message: "A registration with this administrator is already waiting. Check that inbox for the confirmation email.",
}];

const LINK_PROBLEM: &str =
    "This confirmation link is not valid. Check that you opened the whole link from the email.";
const LINK_USED: &str = "This address is confirmed already: the request is with our team.";
const LINK_EXPIRED: &str =
    "This confirmation link has expired (links work for 24 hours). Please register again.";

/// Writes the request and the confirmation email. Throttled per address
/// like sign-in, so the form cannot be used to flood inboxes.
pub async fn submit(
    pool: &PgPool,
    throttle: &SignInThrottle,
    hospital: &HospitalDetails,
    admin: &FirstAdmin,
    plan: Plan,
    base_url: &str,
    origin: &RequestOrigin,
) -> Result<Uuid, AppError> {
    if !throttle
        .allow(
            pool,
            origin.client_addr,
            &format!("register:{}", admin.email),
        )
        .await?
    {
        return Err(AppError::RateLimited);
    }
    // Registrations cannot fail as guesses do; each counts against the address.
    throttle.failed(pool, origin.client_addr).await?;
    let mut tx = tenancy::begin_account_lookup(pool, &admin.email.to_lowercase()).await?;
    // A request never confirmed does not hold the address for ever.
    sqlx::query!(
        "update clinic_registrations set status = 'rejected', decided_at = now(),
                rejection_reason = 'not confirmed in time', token_hash = null
          where admin_email = $1 and status = 'unverified' and verify_by < now()",
        admin.email
    )
    .execute(&mut *tx)
    .await?;
    let (token, hash) = new_token();
    tenancy::name_link_token(&mut tx, &hash).await?;
    let id = sqlx::query_scalar!(
        r#"insert into clinic_registrations
             (hospital_name, address, phone, email, registration_number, tax_id,
              admin_name, admin_email, plan, token_hash, verify_by, requested_from)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(hours => $11), $12)
           returning id"#,
        hospital.name,
        hospital.address,
        hospital.phone,
        hospital.email,
        hospital.registration_number,
        hospital.tax_id,
        admin.name,
        admin.email,
        plan.as_str(),
        &hash[..],
        VERIFY_HOURS as i32,
        origin.client_addr.map(sqlx::types::ipnetwork::IpNetwork::from),
    )
    .fetch_one(&mut *tx)
    .await?;
    let link = format!("{base_url}/register/confirm?token={token}");
    outbox::enqueue(
        &mut tx,
        &email::confirm_address(id, &admin.email, &admin.name, &hospital.name, link),
    )
    .await?;
    let mut event = NewAuditEvent::new(None, AuditAction::Create);
    event.entity_type = Some(AuditEntity::ClinicRegistration);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({
        "hospital": hospital.name, "admin_email": admin.email, "plan": plan.as_str(),
    }));
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The hospital a confirmation link is for, if the link can be used.
pub async fn check_link(pool: &PgPool, token: &str) -> Result<String, AppError> {
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let found = open(&mut tx, token).await?;
    Ok(found.1)
}

/// Confirms the admin address: the request now waits for a platform admin,
/// each of whom gets an email.
pub async fn confirm(
    pool: &PgPool,
    token: &str,
    base_url: &str,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let mut tx = tenancy::begin_anonymous(pool).await?;
    let (id, hospital) = open(&mut tx, token).await?;
    sqlx::query!(
        "update clinic_registrations set status = 'pending', verified_at = now(), token_hash = null
          where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    let admins = sqlx::query!(
        r#"select email as "email!", display_name as "display_name!" from platform_admin_contacts()"#
    )
    .fetch_all(&mut *tx)
    .await?;
    for a in admins {
        let link = format!("{base_url}/platform/registrations");
        outbox::enqueue(
            &mut tx,
            &email::waiting(id, &a.email, &a.display_name, &hospital, link),
        )
        .await?;
    }
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.entity_type = Some(AuditEntity::ClinicRegistration);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "status": "pending", "admin_email_confirmed": true }));
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// The unconfirmed request behind a token, locked: (request, hospital name).
async fn open(conn: &mut PgConnection, token: &str) -> Result<(Uuid, String), AppError> {
    let problem = |m: &str| AppError::Conflict(m.into());
    let hash = link_token::hash_token(token).ok_or_else(|| problem(LINK_PROBLEM))?;
    tenancy::name_link_token(&mut *conn, &hash).await?;
    let row = sqlx::query!(
        r#"select id, hospital_name, admin_email, status, verify_by < now() as "expired!"
             from clinic_registrations where token_hash = $1 for update"#,
        &hash[..]
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| problem(LINK_PROBLEM))?;
    // Confirming spends the token; the request stays in sight by its admin.
    tenancy::name_account(&mut *conn, &row.admin_email.to_lowercase()).await?;
    if row.status != "unverified" {
        Err(problem(LINK_USED))
    } else if row.expired {
        Err(problem(LINK_EXPIRED))
    } else {
        Ok((row.id, row.hospital_name))
    }
}

/// Confirmed requests waiting for a decision, oldest first.
pub async fn list_pending(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<PendingRegistration>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, hospital_name, address, phone, email, registration_number, tax_id,
                  admin_name, admin_email, plan, created_at, count(*) over () as "total!"
             from clinic_registrations where status = 'pending'
             order by created_at, id
             limit $1 offset $2"#,
        page.limit(),
        page.offset()
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let items = rows
        .into_iter()
        .map(|r| PendingRegistration {
            id: r.id,
            suggested_slug: suggest_slug(&r.hospital_name),
            hospital: HospitalDetails {
                name: r.hospital_name,
                address: r.address,
                phone: r.phone,
                email: r.email,
                registration_number: r.registration_number,
                tax_id: r.tax_id,
            },
            admin: FirstAdmin {
                name: r.admin_name,
                email: r.admin_email,
            },
            plan: Plan::parse(&r.plan).unwrap_or(Plan::Trial),
            requested_at: r.created_at,
        })
        .collect();
    Ok(Page::exact(items, page, total))
}

/// Makes the clinic (at `slug`, with the plan's limits and a general
/// medicine department) and invites its first admin, in the platform
/// admin's transaction. Returns the clinic's id.
pub async fn approve(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    user: &CurrentUser,
    id: RegistrationId,
    slug: &str,
    base_url: &str,
    origin: &crate::server::audit::RequestOrigin,
) -> Result<Uuid, AppError> {
    let id = id.as_uuid();
    let request = sqlx::query!(
        "select hospital_name, admin_name, admin_email, plan from clinic_registrations
          where id = $1 and status = 'pending' for update",
        id
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(already_decided)?;
    let plan = Plan::parse(&request.plan).ok_or(AppError::Internal)?;
    let clinic_id = sqlx::query_scalar!(
        "select approve_clinic_registration($1, $2, $3, $4, $5)",
        id,
        slug,
        plan.max_doctors(),
        plan.max_patients(),
        TRIAL_DAYS
    )
    .fetch_one(&mut **tx)
    .await?
    .ok_or_else(already_decided)?;
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.actor_user_id = Some(user.user_id);
    event.actor_role = Some(Role::PlatformAdmin.as_str().into());
    event.entity_type = Some(AuditEntity::ClinicRegistration);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "status": "approved", "clinic_id": clinic_id, "slug": slug }));
    event.origin = origin.clone();
    audit::record(tx, &event).await?;

    // From here the transaction works inside the new clinic.
    tenancy::act_in_clinic(tx, clinic_id, user.user_id).await?;
    let today = crate::server::patients::registration::clinic_today(tx).await?;
    let access = ClinicAccess {
        user: user.clone(),
        membership: ClinicMembership {
            clinic_id,
            slug: slug.to_owned(),
            clinic_name: request.hospital_name,
            role: Role::PlatformAdmin,
            department_id: None,
            today,
        },
        origin: origin.clone(),
    };
    let admin_email = Email::parse(&request.admin_email).map_err(|_| AppError::Internal)?;
    let new = NewInvitation {
        email: admin_email,
        display_name: request.admin_name,
        role: Role::ClinicAdmin,
        department_id: None,
    };
    invitations::invite(tx, &access, &new, base_url).await?;
    Ok(clinic_id)
}

/// Declines the request and emails the reason to its first admin.
pub async fn reject(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: RegistrationId,
    reason: &str,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    let request = sqlx::query!(
        "update clinic_registrations
            set status = 'rejected', decided_at = now(), decided_by = $2, rejection_reason = $3
          where id = $1 and status = 'pending'
          returning hospital_name, admin_name, admin_email",
        id,
        user.user_id,
        reason
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(already_decided)?;
    outbox::enqueue(
        conn,
        &email::rejected(
            id,
            &request.admin_email,
            &request.admin_name,
            &request.hospital_name,
            reason,
        ),
    )
    .await?;
    let mut event = NewAuditEvent::new(None, AuditAction::Update);
    event.actor_user_id = Some(user.user_id);
    event.actor_role = Some(Role::PlatformAdmin.as_str().into());
    event.entity_type = Some(AuditEntity::ClinicRegistration);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "status": "rejected", "reason": reason }));
    event.outcome = AuditOutcome::Success;
    audit::record(conn, &event).await?;
    Ok(())
}

fn already_decided() -> AppError {
    AppError::Conflict("This registration was already decided, or it does not exist.".into())
}
