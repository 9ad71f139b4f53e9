//! Reception's side of patient portal accounts: where a record's portal
//! access stands, inviting the patient, sending the invitation again and
//! withdrawing it. Runs in the receptionist's clinic transaction; the
//! patient's record row is locked first so two desks cannot invite at once.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::auth::Email;
use crate::domain::ids::{InvitationId, PatientId};
use crate::domain::local_time::LocalTime;
use crate::domain::permission::Permission;
use crate::domain::portal::{PortalAccess, PortalState};
use crate::domain::role::Role;
use crate::server::access::ClinicAccess;
use crate::server::invitations::{self, Kind};

pub const ADDRESS_INVITED: &str = "An invitation to this address is waiting for another patient's record. Use the patient's own address.";

/// The portal card of this clinic's patient, or `None` for no such patient.
pub async fn access(
    conn: &mut PgConnection,
    viewer: &ClinicAccess,
    patient_id: PatientId,
) -> Result<Option<PortalAccess>, sqlx::Error> {
    let patient_id = patient_id.as_uuid();
    let Some(row) = sqlx::query!(
        r#"select p.email, u.email as "account_email?",
                  m.created_at as "since?: DateTime<Utc>",
                  i.email as "invited_email?", coalesce(iu.display_name, 'someone') as "invited_by!",
                  i.created_at as "sent_at?: DateTime<Utc>",
                  i.expires_at as "expires_at?: DateTime<Utc>",
                  i.expires_at < now() as "expired?",
                  c.timezone,
                  extract(epoch from (m.created_at at time zone c.timezone)
                                   - (m.created_at at time zone 'UTC'))::float8 as "since_offset?",
                  extract(epoch from (i.created_at at time zone c.timezone)
                                   - (i.created_at at time zone 'UTC'))::float8 as "sent_offset?",
                  extract(epoch from (i.expires_at at time zone c.timezone)
                                   - (i.expires_at at time zone 'UTC'))::float8 as "expires_offset?"
           from patients p
           join clinics c on c.id = p.clinic_id
           left join users u on u.id = p.user_id
           left join memberships m on m.clinic_id = p.clinic_id and m.user_id = p.user_id
                                  and m.role = 'patient'
           left join invitations i on i.patient_id = p.id
                                  and i.accepted_at is null and i.revoked_at is null
           left join users iu on iu.id = i.invited_by
           where p.id = $1 and p.clinic_id = app_clinic_id()"#,
        patient_id
    )
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    // Each moment with the clinic's offset at that moment.
    let zone = row.timezone;
    let local = |at: DateTime<Utc>, offset| LocalTime::in_zone(at, offset, Some(zone.clone()));
    let state = match (row.account_email, row.invited_email) {
        (Some(email), _) => PortalState::Active {
            email,
            since: row.since.map(|at| local(at, row.since_offset)),
        },
        (None, Some(email)) => PortalState::Invited {
            email,
            invited_by: row.invited_by,
            sent_at: local(row.sent_at.unwrap_or_else(Utc::now), row.sent_offset),
            expires_at: local(row.expires_at.unwrap_or_else(Utc::now), row.expires_offset),
            expired: row.expired.unwrap_or(false),
        },
        (None, None) => PortalState::NotInvited,
    };
    Ok(Some(PortalAccess {
        patient_id,
        state,
        record_email: row.email,
        can_invite: viewer.role().can(Permission::InvitePatients),
    }))
}

/// Invites the patient to the portal at `email`, which the account they
/// make will sign in with. Refused when the record has portal access or an
/// invitation waiting, or when the address already opens (or is invited to)
/// another patient's record here: an account opens one record per clinic.
pub async fn invite(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: PatientId,
    email: &Email,
    base_url: &str,
) -> Result<Uuid, AppError> {
    let patient_id = patient_id.as_uuid();
    // Names may be 100 characters each; an invitation's name at most 200.
    let patient = sqlx::query!(
        r#"select left(given_name || ' ' || family_name, 200) as "name!", user_id is not null as "linked!"
           from patients where id = $1 and clinic_id = app_clinic_id() for update"#,
        patient_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if patient.linked {
        return Err(AppError::Conflict(
            "This patient already has portal access.".into(),
        ));
    }
    let taken = sqlx::query!(
        r#"select exists(select 1 from invitations where patient_id = $1
                           and accepted_at is null and revoked_at is null) as "waiting!",
                  exists(select 1 from patients p join users u on u.id = p.user_id
                           where p.clinic_id = app_clinic_id() and lower(u.email) = $2) as "address_linked!",
                  exists(select 1 from invitations where clinic_id = app_clinic_id() and email = $2
                           and patient_id is not null
                           and accepted_at is null and revoked_at is null) as "address_invited!""#,
        patient_id,
        email.as_str()
    )
    .fetch_one(&mut *conn)
    .await?;
    if taken.waiting {
        return Err(AppError::Conflict(
            "An invitation for this patient is already waiting. Send it again instead.".into(),
        ));
    }
    if taken.address_linked {
        return Err(AppError::validation(
            "email",
            "This address already opens another patient's record at this clinic. Use the patient's own address.",
        ));
    }
    if taken.address_invited {
        return Err(AppError::validation("email", ADDRESS_INVITED));
    }
    invitations::create(
        conn,
        access,
        &invitations::Invitee {
            email: email.as_str(),
            display_name: &patient.name,
            role: Role::Patient,
            department_id: None,
            patient_id: Some(patient_id),
        },
        base_url,
    )
    .await
}

/// Sends the patient's waiting invitation again with a new link.
pub async fn resend(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: PatientId,
    base_url: &str,
) -> Result<(), AppError> {
    let patient_id = patient_id.as_uuid();
    let id = waiting(conn, patient_id).await?;
    invitations::resend(conn, access, InvitationId::from(id), Kind::Portal, base_url).await
}

/// Withdraws the patient's waiting invitation; its link stops working.
pub async fn withdraw(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: PatientId,
) -> Result<(), AppError> {
    let patient_id = patient_id.as_uuid();
    let id = waiting(conn, patient_id).await?;
    invitations::revoke(conn, access, InvitationId::from(id), Kind::Portal).await
}

/// The open invitation of this clinic's patient: `NotFound` for no such
/// patient, `Conflict` when nothing is waiting (accepted or withdrawn
/// meanwhile, perhaps at another desk).
async fn waiting(conn: &mut PgConnection, patient_id: Uuid) -> Result<Uuid, AppError> {
    let row = sqlx::query!(
        r#"select (select i.id from invitations i where i.patient_id = p.id
                     and i.accepted_at is null and i.revoked_at is null) as "invitation?"
           from patients p where p.id = $1 and p.clinic_id = app_clinic_id() for update of p"#,
        patient_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    row.invitation.ok_or_else(|| {
        AppError::Conflict(
            "No invitation is waiting for this patient: it was accepted or withdrawn.".into(),
        )
    })
}
