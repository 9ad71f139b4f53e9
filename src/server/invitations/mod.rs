//! Staff invitations, the clinic admin's side: invite, list the open ones,
//! send again, withdraw. Each runs in the admin's clinic transaction and
//! writes its email (outbox) and audit event in it. Reception's portal
//! invitations for patients are in `server::portal`; accepting either is in
//! [`accept`].

pub mod accept;
pub(crate) mod email;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::InvitationId;
use crate::domain::invitations::{INVITATION_HOURS, NewInvitation, PendingInvitation};
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::domain::role::Role;
use crate::server::access::ClinicAccess;
use crate::server::crypto::link_token;
use crate::server::{audit, mail};

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "invitations_open_email_key",
        field: "email",
        message: "An invitation to this address is already waiting. Send it again from the list instead.",
    },
    ConstraintField {
        constraint: "invitations_department_same_clinic",
        field: "department",
        message: "Choose a department of this clinic.",
    },
];

/// Sends an invitation. Refused (as a field error) when the person already
/// works in this clinic or has an invitation waiting.
pub async fn invite(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    new: &NewInvitation,
    base_url: &str,
) -> Result<Uuid, AppError> {
    let member = sqlx::query_scalar!(
        r#"select exists(
               select 1 from memberships m join users u on u.id = m.user_id
               where m.clinic_id = app_clinic_id() and m.active and m.role <> 'patient'
                 and lower(u.email) = $1
           ) as "member!""#,
        new.email.as_str()
    )
    .fetch_one(&mut *conn)
    .await?;
    if member {
        return Err(AppError::validation(
            "email",
            "This person already works in this clinic. Change their role from the staff list instead.",
        ));
    }
    if matches!(new.role, Role::Doctor | Role::HeadOfDepartment) {
        check_doctor_room(conn).await?;
    }
    create(
        conn,
        access,
        &Invitee {
            email: new.email.as_str(),
            display_name: &new.display_name,
            role: new.role,
            department_id: new.department_id,
            patient_id: None,
        },
        base_url,
    )
    .await
}

/// Who an invitation is for, checked by the caller.
pub(crate) struct Invitee<'a> {
    pub(crate) email: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) role: Role,
    pub(crate) department_id: Option<Uuid>,
    /// The record a patient's portal invitation opens.
    pub(crate) patient_id: Option<Uuid>,
}

/// Writes the invitation with a fresh link, its first email and its audit
/// event.
pub(crate) async fn create(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    who: &Invitee<'_>,
    base_url: &str,
) -> Result<Uuid, AppError> {
    let (token, hash) = link_token::new_token();
    let id = sqlx::query_scalar!(
        r#"insert into invitations
               (clinic_id, email, display_name, role, department_id, patient_id, token_hash,
                invited_by, expires_at)
           values (app_clinic_id(), $1, $2, $3, $4, $5, $6, $7, now() + make_interval(hours => $8))
           returning id"#,
        who.email,
        who.display_name,
        who.role.as_str(),
        who.department_id,
        who.patient_id,
        &hash[..],
        access.user.user_id,
        INVITATION_HOURS as i32,
    )
    .fetch_one(&mut *conn)
    .await?;
    send(conn, access, id, 1, &token, base_url).await?;
    let mut event = access.event(AuditAction::Create);
    event.entity_type = Some(AuditEntity::Invitation);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({
        "email": who.email,
        "role": who.role.as_str(),
        "department_id": who.department_id,
        "patient_id": who.patient_id,
    }));
    audit::record(conn, &event).await?;
    Ok(id)
}

/// The plan's doctor limit counts doctors on staff and doctors invited: an
/// invitation that could not be accepted is refused now, with the reason.
async fn check_doctor_room(conn: &mut PgConnection) -> Result<(), AppError> {
    let room = sqlx::query!(
        r#"select c.plan, c.max_doctors,
                  (select count(*) from memberships m where m.clinic_id = c.id and m.active
                     and m.role in ('doctor', 'head_of_department'))
                + (select count(*) from invitations i where i.clinic_id = c.id
                     and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
                     and i.role in ('doctor', 'head_of_department')) as "taken!"
             from clinics c where c.id = app_clinic_id()"#
    )
    .fetch_one(conn)
    .await?;
    if room.taken < i64::from(room.max_doctors) {
        return Ok(());
    }
    let plan = crate::domain::onboarding::Plan::parse(&room.plan)
        .map(|p| p.label())
        .unwrap_or("current");
    Err(AppError::validation(
        "role",
        format!(
            "The clinic's {plan} plan allows {} doctors, and that many are on staff or invited. Withdraw an invitation, deactivate a doctor, or ask HMS to upgrade the plan.",
            room.max_doctors
        ),
    ))
}

/// Open invitations (neither accepted nor withdrawn), newest first.
pub async fn list_open(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<PendingInvitation>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.id, i.email, i.display_name, i.role, d.name as "department?",
                  coalesce(u.display_name, 'someone') as "invited_by!",
                  i.expires_at as "expires_at: DateTime<Utc>", i.expires_at < now() as "expired!",
                  c.timezone,
                  extract(epoch from (i.expires_at at time zone c.timezone)
                                   - (i.expires_at at time zone 'UTC'))::float8 as "offset_secs?",
                  count(*) over () as "total!"
           from invitations i
           join clinics c on c.id = i.clinic_id
           left join departments d on d.id = i.department_id
           left join users u on u.id = i.invited_by
           where i.clinic_id = app_clinic_id() and i.accepted_at is null and i.revoked_at is null
             and i.patient_id is null
           order by i.created_at desc, i.id desc
           limit $1 offset $2"#,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page::exact(
        rows.into_iter()
            .filter_map(|r| {
                Some(PendingInvitation {
                    id: r.id,
                    email: r.email,
                    display_name: r.display_name,
                    role: Role::parse(&r.role)?,
                    department: r.department,
                    invited_by: r.invited_by,
                    expires_at: LocalTime::in_zone(r.expires_at, r.offset_secs, Some(r.timezone)),
                    expired: r.expired,
                })
            })
            .collect(),
        page,
        total,
    ))
}

/// Who an invitation is for: the admin's pages handle staff invitations,
/// a patient's record that patient's portal invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Staff,
    Portal,
}

/// Sends an open invitation again with a new link (the old one stops
/// working) and a fresh 72 hours.
pub async fn resend(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: InvitationId,
    kind: Kind,
    base_url: &str,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    lock_open(conn, id, kind).await?;
    let (token, hash) = link_token::new_token();
    let sent = sqlx::query_scalar!(
        r#"update invitations
           set token_hash = $2, expires_at = now() + make_interval(hours => $3),
               sent_count = sent_count + 1
           where id = $1 and clinic_id = app_clinic_id() and accepted_at is null and revoked_at is null
           returning sent_count"#,
        id,
        &hash[..],
        INVITATION_HOURS as i32,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_open)?;
    send(conn, access, id, sent, &token, base_url).await?;
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::Invitation);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "sent": sent }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Withdraws an open invitation: its link stops working at once.
pub async fn revoke(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: InvitationId,
    kind: Kind,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    lock_open(conn, id, kind).await?;
    let email = sqlx::query_scalar!(
        r#"update invitations set revoked_at = now()
           where id = $1 and clinic_id = app_clinic_id() and accepted_at is null and revoked_at is null
           returning email"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_open)?;
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::Invitation);
    event.entity_id = Some(id.to_string());
    event.after = Some(json!({ "email": email, "revoked": true }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Locks the invitation for a change: `NotFound` when this clinic has no
/// such invitation of this kind (another clinic's id names nothing here),
/// `Conflict` when it has been answered or withdrawn.
async fn lock_open(conn: &mut PgConnection, id: Uuid, kind: Kind) -> Result<(), AppError> {
    let open = sqlx::query_scalar!(
        r#"select accepted_at is null and revoked_at is null as "open!"
           from invitations
           where id = $1 and clinic_id = app_clinic_id() and (patient_id is not null) = $2
           for update"#,
        id,
        kind == Kind::Portal
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if open { Ok(()) } else { Err(not_open()) }
}

fn not_open() -> AppError {
    AppError::Conflict("This invitation has already been accepted or withdrawn.".into())
}

/// Writes the invitation email to the outbox, once per sending.
async fn send(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: Uuid,
    sending: i32,
    token: &str,
    base_url: &str,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"select i.email, i.display_name, i.role, c.name as clinic, d.name as "department?"
           from invitations i join clinics c on c.id = i.clinic_id
           left join departments d on d.id = i.department_id
           where i.id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    let message = email::invitation(email::InvitationEmail {
        invitation_id: id,
        sending,
        clinic_id: access.membership.clinic_id,
        clinic_name: &row.clinic,
        to_address: &row.email,
        to_name: &row.display_name,
        role,
        department: row.department.as_deref(),
        invited_by: &access.user.display_name,
        link: format!("{base_url}/invitation?token={token}"),
    });
    mail::outbox::enqueue(conn, &message).await?;
    Ok(())
}
