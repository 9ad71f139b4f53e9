//! The clinic's booking rules: read by everyone who books, changed by the
//! clinic admin (the database refuses anyone else), each change audited
//! with what it was and what it became.

use serde_json::json;
use sqlx::PgConnection;

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::schedule_settings::ScheduleSettings;
use crate::server::access::ClinicAccess;
use crate::server::audit;

/// The current clinic's rules (every clinic has a row, made with it).
pub async fn settings(conn: &mut PgConnection) -> Result<Option<ScheduleSettings>, sqlx::Error> {
    sqlx::query_as!(
        ScheduleSettings,
        "select slot_minutes, cancel_notice_minutes, no_show_grace_minutes,
                suspend_after_no_shows, suspend_window_days, booking_horizon_days
         from clinic_schedule_settings where clinic_id = app_clinic_id()"
    )
    .fetch_optional(conn)
    .await
}

/// Sets the current clinic's rules, audited.
pub async fn set_settings(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    new: &ScheduleSettings,
) -> Result<(), AppError> {
    let before = settings(conn).await?.ok_or(AppError::NotFound)?;
    let updated = sqlx::query!(
        "update clinic_schedule_settings
         set slot_minutes = $1, cancel_notice_minutes = $2, no_show_grace_minutes = $3,
             suspend_after_no_shows = $4, suspend_window_days = $5, booking_horizon_days = $6
         where clinic_id = app_clinic_id()",
        new.slot_minutes,
        new.cancel_notice_minutes,
        new.no_show_grace_minutes,
        new.suspend_after_no_shows,
        new.suspend_window_days,
        new.booking_horizon_days,
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Clinic, access.membership.clinic_id);
    event.before = Some(json!({ "schedule_settings": before }));
    event.after = Some(json!({ "schedule_settings": new }));
    audit::record(conn, &event).await?;
    Ok(())
}
