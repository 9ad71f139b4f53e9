//! The invited person's side: what the link shows, and accepting it. The
//! person is not signed in and belongs to no clinic yet; the token opens a
//! transaction inside the inviting clinic only (tenancy::begin_invitation).
//! Every refusal is audited with its reason.

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::auth::{check_chosen_password, check_sign_in_password};
use crate::domain::invitations::InvitationView;
use crate::domain::role::Role;
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::password;
use crate::server::crypto::link_token::hash_token;
use crate::server::tenancy;

struct Open {
    id: Uuid,
    hash: [u8; 32],
    clinic_id: Uuid,
    clinic_name: String,
    email: String,
    display_name: String,
    role: Role,
    department_id: Option<Uuid>,
    department: Option<String>,
    /// The record a portal invitation opens.
    patient_id: Option<Uuid>,
}

/// What the link offers, or why it no longer works.
pub async fn view(
    pool: &PgPool,
    token: &str,
    origin: &RequestOrigin,
) -> Result<InvitationView, AppError> {
    let (mut tx, open) = open(pool, token, origin).await?;
    let existing = sqlx::query_scalar!(
        r#"select exists(select 1 from users where lower(email) = $1) as "exists!""#,
        open.email
    )
    .fetch_one(&mut *tx)
    .await?;
    // A clinic's single sign-on is for its staff's organisation accounts.
    let domain = match open.patient_id {
        Some(_) => None,
        None => open.email.rsplit_once('@').map(|(_, d)| d.to_string()),
    };
    let sso = sqlx::query!(
        r#"select o.slug as "slug!", o.clinic_name as "clinic_name!", o.display_name as "display_name!"
           from sso_sign_in_options(null, $1) o join clinics c on c.slug = o.slug
           where c.id = $2"#,
        domain,
        open.clinic_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| crate::domain::sso::SsoOption {
        slug: r.slug,
        clinic_name: r.clinic_name,
        display_name: r.display_name,
    });
    tx.commit().await?;
    Ok(InvitationView {
        sso,
        clinic_name: open.clinic_name,
        email: open.email,
        display_name: open.display_name,
        role: open.role,
        department: open.department,
        existing_account: existing,
    })
}

/// The membership the invitation gave, for signing the person in.
#[derive(Debug)]
pub struct Accepted {
    pub user_id: Uuid,
    pub email: String,
}

/// Accepts: a new account with the chosen password, or (for someone who has
/// an HMS account already) that account after its password is confirmed;
/// then the membership, and the link is used up.
pub async fn accept(
    pool: &PgPool,
    token: &str,
    password_typed: &str,
    confirm: &str,
    origin: &RequestOrigin,
) -> Result<Accepted, AppError> {
    let (mut tx, open) = open(pool, token, origin).await?;
    let existing = sqlx::query!(
        "select id, password_hash, status from users where lower(email) = $1 for update",
        open.email
    )
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = match existing {
        Some(user) => {
            check_sign_in_password(password_typed)
                .map_err(|m| AppError::validation("password", m))?;
            let matches = password::verify(password_typed.to_string(), user.password_hash).await;
            if user.status != "active" || !matches {
                drop(tx);
                refuse(
                    pool,
                    Some(&open.hash),
                    Some(open.id),
                    "existing_account_not_confirmed",
                    origin,
                )
                .await?;
                return Err(AppError::validation(
                    "password",
                    "That is not the password of your HMS account.",
                ));
            }
            user.id
        }
        None => {
            check_chosen_password(password_typed, confirm)?;
            let hash = password::hash(password_typed.to_string()).await?;
            sqlx::query_scalar!(
                "insert into users (email, display_name, password_hash) values ($1, $2, $3) returning id",
                open.email,
                open.display_name,
                hash
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    sqlx::query!(
        r#"insert into memberships (clinic_id, user_id, role, department_id)
           values ($1, $2, $3, $4)
           on conflict (clinic_id, user_id, role)
           do update set active = true, department_id = excluded.department_id"#,
        open.clinic_id,
        user_id,
        open.role.as_str(),
        open.department_id,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(patient_id) = open.patient_id {
        link_record(&mut tx, patient_id, user_id).await?;
    }
    sqlx::query!(
        "update invitations set accepted_at = now(), accepted_by = $2 where id = $1",
        open.id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let mut event = NewAuditEvent::new(Some(open.clinic_id), AuditAction::Create);
    event.actor_user_id = Some(user_id);
    event.actor_role = Some(open.role.as_str().into());
    event.entity_type = Some(AuditEntity::Membership);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({
        "invitation": open.id,
        "role": open.role.as_str(),
        "patient_id": open.patient_id,
    }));
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Accepted {
        user_id,
        email: open.email,
    })
}

/// Opens the patient's record to their account. An account opens one
/// record per clinic (patients_clinic_user_key): someone whose account
/// already opens another record here is refused, and nothing is kept.
async fn link_record(
    tx: &mut Transaction<'static, Postgres>,
    patient_id: Uuid,
    user_id: Uuid,
) -> Result<(), AppError> {
    let other = sqlx::query_scalar!(
        r#"select exists(select 1 from patients where clinic_id = app_clinic_id()
                           and user_id = $1 and id <> $2) as "other!""#,
        user_id,
        patient_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if other {
        return Err(AppError::Conflict(
            "Your HMS account already opens another patient's record at this clinic. Ask the front desk to invite another address."
                .into(),
        ));
    }
    let linked = sqlx::query!(
        "update patients set user_id = $2 where id = $1 and clinic_id = app_clinic_id() and user_id is null",
        patient_id,
        user_id
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if linked == 0 {
        return Err(AppError::Conflict(
            "This record already has portal access. Sign in with your email and password.".into(),
        ));
    }
    Ok(())
}

/// The open invitation behind a token, locked, in its clinic's transaction;
/// or the reason it cannot be used (audited).
async fn open(
    pool: &PgPool,
    token: &str,
    origin: &RequestOrigin,
) -> Result<(Transaction<'static, Postgres>, Open), AppError> {
    let invalid = || {
        AppError::Conflict("This invitation link is not valid. Check that you opened the whole link from the email.".into())
    };
    let Some(hash) = hash_token(token) else {
        refuse(pool, None, None, "malformed_token", origin).await?;
        return Err(invalid());
    };
    let Some((mut tx, clinic_id)) = tenancy::begin_invitation(pool, &hash).await? else {
        refuse(pool, None, None, "unknown_token", origin).await?;
        return Err(invalid());
    };
    let row = sqlx::query!(
        r#"select i.id, i.email, i.display_name, i.role, i.department_id, d.name as "department?", i.patient_id,
                  c.name as clinic_name, i.accepted_at is not null as "accepted!",
                  i.revoked_at is not null as "revoked!", i.expires_at < now() as "expired!"
           from invitations i join clinics c on c.id = i.clinic_id
           left join departments d on d.id = i.department_id
           where i.token_hash = $1
           for update of i"#,
        &hash[..]
    )
    .fetch_one(&mut *tx)
    .await?;
    let refusal = if row.accepted {
        Some((
            "already_accepted",
            "This invitation has already been used. Sign in with your email and password.",
        ))
    } else if row.revoked {
        Some((
            "revoked",
            "This invitation was withdrawn. Ask your clinic administrator if you should still join.",
        ))
    } else if row.expired {
        Some((
            "expired",
            "This invitation has expired. Ask your clinic administrator to send it again.",
        ))
    } else {
        None
    };
    if let Some((reason, message)) = refusal {
        drop(tx);
        refuse(pool, Some(&hash), Some(row.id), reason, origin).await?;
        return Err(AppError::Conflict(message.into()));
    }
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    // The invited address's account, if any, is the one this link may join.
    tenancy::name_account(&mut tx, &row.email.to_lowercase()).await?;
    Ok((
        tx,
        Open {
            id: row.id,
            hash,
            clinic_id,
            clinic_name: row.clinic_name,
            email: row.email,
            display_name: row.display_name,
            role,
            department_id: row.department_id,
            department: row.department,
            patient_id: row.patient_id,
        },
    ))
}

/// Records a refused use of an invitation link: in the inviting clinic's
/// chain when the token names one, else in the platform's.
async fn refuse(
    pool: &PgPool,
    token_hash: Option<&[u8; 32]>,
    invitation: Option<Uuid>,
    reason: &str,
    origin: &RequestOrigin,
) -> Result<(), AppError> {
    let (mut tx, clinic_id) = match token_hash {
        Some(hash) => match tenancy::begin_invitation(pool, hash).await? {
            Some((tx, clinic)) => (tx, Some(clinic)),
            None => (tenancy::begin_anonymous(pool).await?, None),
        },
        None => (tenancy::begin_anonymous(pool).await?, None),
    };
    let mut event = NewAuditEvent::new(clinic_id, AuditAction::AccessDenied);
    event.entity_type = Some(AuditEntity::Invitation);
    event.entity_id = invitation.map(|i| i.to_string());
    event.after = Some(json!({ "reason": reason }));
    event.outcome = AuditOutcome::Denied;
    event.origin = origin.clone();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}
