//! A clinic admin managing a member of staff: role, department, and
//! deactivating or reactivating them. Runs in the admin's clinic
//! transaction; each change is audited with what it was before, and any
//! change that narrows someone's access ends their sessions at once.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::MemberId;
use crate::domain::invitations::needs_department;
use crate::domain::role::Role;
use crate::domain::staff::doctor_profile::{Availability, DoctorProfile};
use crate::domain::staff::membership::MemberDetails;
use crate::server::access::ClinicAccess;
use crate::server::auth::sessions::{self, EndReason};
use crate::server::{audit, staff};

struct Member {
    user_id: Uuid,
    display_name: String,
    email: String,
    role: Role,
    department_id: Option<Uuid>,
    active: bool,
}

/// A staff membership of this clinic, locked for the change. Patients'
/// memberships are not staff: `NotFound`.
async fn member(conn: &mut PgConnection, id: Uuid) -> Result<Member, AppError> {
    let r = sqlx::query!(
        r#"select m.user_id, u.display_name, u.email, m.role, m.department_id, m.active
           from memberships m join users u on u.id = m.user_id
           where m.id = $1 and m.clinic_id = app_clinic_id() and m.role <> 'patient'
           for update of m"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Member {
        user_id: r.user_id,
        display_name: r.display_name,
        email: r.email,
        role: Role::parse(&r.role).ok_or(AppError::NotFound)?,
        department_id: r.department_id,
        active: r.active,
    })
}

pub async fn details(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: MemberId,
) -> Result<MemberDetails, AppError> {
    let id = id.as_uuid();
    let m = member(conn, id).await?;
    let doctor_profile = if needs_department(m.role) {
        Some(profile(conn, id).await?.unwrap_or_default())
    } else {
        None
    };
    Ok(MemberDetails {
        membership_id: id,
        doctor_profile,
        display_name: m.display_name,
        email: m.email,
        role: m.role,
        department_id: m.department_id,
        active: m.active,
        is_self: m.user_id == access.user.user_id,
        departments: staff::departments(conn).await?,
    })
}

/// Gives the member another role or department. A change of role ends
/// their sessions (their pages and permissions change).
pub async fn change(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: MemberId,
    role: Role,
    department_id: Option<Uuid>,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    let m = member(conn, id).await?;
    refuse_self(access, &m)?;
    let changed = sqlx::query!(
        "update memberships set role = $2, department_id = $3 where id = $1",
        id,
        role.as_str(),
        department_id
    )
    .execute(&mut *conn)
    .await;
    match changed {
        Err(sqlx::Error::Database(e))
            if e.constraint() == Some("memberships_clinic_user_role_key") =>
        {
            return Err(AppError::validation(
                "role",
                "They already hold this role here. Deactivate one of their memberships instead.",
            ));
        }
        other => {
            other?;
        }
    }
    if role != m.role {
        sessions::end_all_for_user(conn, m.user_id, EndReason::AccessChanged).await?;
    }
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::Membership);
    event.entity_id = Some(id.to_string());
    event.before = Some(json!({ "role": m.role.as_str(), "department_id": m.department_id }));
    event.after = Some(json!({ "role": role.as_str(), "department_id": department_id }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Deactivates (ending their sessions at once) or reactivates a member.
pub async fn set_active(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: MemberId,
    active: bool,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    let m = member(conn, id).await?;
    refuse_self(access, &m)?;
    if m.active == active {
        return Ok(());
    }
    sqlx::query!(
        "update memberships set active = $2 where id = $1",
        id,
        active
    )
    .execute(&mut *conn)
    .await?;
    let ended = if active {
        0
    } else {
        sessions::end_all_for_user(conn, m.user_id, EndReason::AccessChanged).await?
    };
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::Membership);
    event.entity_id = Some(id.to_string());
    event.before = Some(json!({ "active": m.active }));
    event.after = Some(json!({ "active": active, "sessions_ended": ended }));
    audit::record(conn, &event).await?;
    Ok(())
}

async fn profile(conn: &mut PgConnection, id: Uuid) -> Result<Option<DoctorProfile>, AppError> {
    let row = sqlx::query!(
        r#"select specialization, licence_number, qualification, years_of_experience,
                  consultation_fee_minor, availability
           from doctor_profiles where membership_id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| DoctorProfile {
        specialization: r.specialization,
        licence_number: r.licence_number,
        qualification: r.qualification,
        years_of_experience: r.years_of_experience,
        consultation_fee_minor: r.consultation_fee_minor,
        availability: Availability::parse(&r.availability).unwrap_or(Availability::Available),
    }))
}

/// Saves a doctor's (or head of department's) profile in this clinic.
pub async fn save_doctor_profile(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    id: MemberId,
    p: &DoctorProfile,
) -> Result<(), AppError> {
    let id = id.as_uuid();
    let m = member(conn, id).await?;
    if !needs_department(m.role) {
        return Err(AppError::Conflict(
            "Only doctors and heads of department have a doctor profile.".into(),
        ));
    }
    let before = profile(conn, id).await?;
    sqlx::query!(
        r#"insert into doctor_profiles (membership_id, clinic_id, specialization, licence_number,
                                        qualification, years_of_experience, consultation_fee_minor, availability)
           values ($1, app_clinic_id(), $2, $3, $4, $5, $6, $7)
           on conflict (membership_id) do update set
               specialization = excluded.specialization, licence_number = excluded.licence_number,
               qualification = excluded.qualification, years_of_experience = excluded.years_of_experience,
               consultation_fee_minor = excluded.consultation_fee_minor, availability = excluded.availability"#,
        id,
        p.specialization,
        p.licence_number,
        p.qualification,
        p.years_of_experience,
        p.consultation_fee_minor,
        p.availability.as_str(),
    )
    .execute(&mut *conn)
    .await?;
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::DoctorProfile);
    event.entity_id = Some(id.to_string());
    event.before = before.map(|b| json!(b));
    event.after = Some(json!(p));
    audit::record(conn, &event).await?;
    Ok(())
}

/// Nobody changes their own access: it would let an admin lock themselves
/// out, and since only active clinic admins change others, a clinic always
/// keeps one.
fn refuse_self(access: &ClinicAccess, m: &Member) -> Result<(), AppError> {
    if m.user_id == access.user.user_id {
        return Err(AppError::Conflict(
            "You cannot change your own access. Ask another clinic admin.".into(),
        ));
    }
    Ok(())
}
