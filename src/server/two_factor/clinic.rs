//! What a clinic admin decides about two-factor sign-in: whether all staff
//! must use it, and resetting a member's authenticator (a lost phone).

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::MemberId;
use crate::server::access::ClinicAccess;

pub async fn required(conn: &mut PgConnection, clinic_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        "select require_two_factor from clinics where id = $1",
        clinic_id
    )
    .fetch_one(conn)
    .await
}

/// Staff who have no authenticator yet set one up at their next sign-in.
pub async fn set_required(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    required: bool,
) -> Result<(), AppError> {
    let clinic_id = access.membership.clinic_id;
    let before = self::required(&mut *conn, clinic_id).await?;
    let changed = sqlx::query_scalar!(
        r#"select set_clinic_require_two_factor($1) as "changed!""#,
        required
    )
    .fetch_one(&mut *conn)
    .await?;
    if !changed {
        return Err(AppError::Forbidden);
    }
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::Clinic);
    event.entity_id = Some(clinic_id.to_string());
    event.before = Some(json!({ "require_two_factor": before }));
    event.after = Some(json!({ "require_two_factor": required }));
    crate::server::audit::record(conn, &event).await?;
    Ok(())
}

/// Removes a member's authenticator, recovery codes and trusted devices and
/// ends their sessions; they set it up again at their next sign-in if it is
/// required. The database decides who may be reset (see the migration).
pub async fn reset_member(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    membership_id: MemberId,
) -> Result<(), AppError> {
    let membership_id = membership_id.as_uuid();
    let user_id = sqlx::query_scalar!(
        "select user_id from memberships where id = $1 and role <> 'patient'",
        membership_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let outcome = sqlx::query_scalar!(
        r#"select clinic_reset_two_factor($1) as "outcome!""#,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    match outcome.as_str() {
        "reset" => {}
        "not_set_up" => {
            return Err(AppError::Conflict(
                "They have no two-factor sign-in set up, so there is nothing to reset.".into(),
            ));
        }
        _ => {
            return Err(AppError::Conflict(
                "Two-factor sign-in can be reset here only for staff who belong to this clinic alone. Ask your HMS platform team.".into(),
            ));
        }
    }
    let mut event = access.event(AuditAction::Update);
    event.entity_type = Some(AuditEntity::User);
    event.entity_id = Some(user_id.to_string());
    event.after = Some(json!({ "two_factor": "reset by clinic admin", "sessions_ended": true }));
    crate::server::audit::record(conn, &event).await?;
    Ok(())
}
