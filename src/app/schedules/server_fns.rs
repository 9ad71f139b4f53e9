//! Doctors' schedules' server functions: the schedule page, the weekly
//! hours, and leave, blocked time and extra sessions. Who may change whose
//! schedule is `server::schedules::may_edit`, checked on every change.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::appointments::{ExceptionInput, WeeklyHoursInput};
use crate::domain::schedules::ScheduleEditor;

/// The schedule page of `doctor` (empty: one's own, or the first one may
/// change).
#[server(prefix = "/fn/schedules", endpoint = "doctor_schedule_page")]
pub async fn doctor_schedule_page(
    slug: String,
    doctor: String,
) -> Result<ScheduleEditor, AppError> {
    use crate::domain::appointments::optional_id;
    use crate::domain::permission::Permission;
    use crate::server::{access, schedules};
    let (mut tx, access) = access::clinic(&slug, Permission::EditSchedules).await?;
    let page =
        schedules::editor(&mut tx, &access, optional_id(&doctor), chrono::Utc::now()).await?;
    tx.commit().await?;
    page.ok_or(AppError::NotFound)
}

/// The guard of every change: the person may change this doctor's
/// schedule (another's is not found, as it is not theirs to see).
#[cfg(feature = "ssr")]
async fn guard(
    slug: &str,
    doctor: &str,
) -> Result<
    (
        crate::server::page_transaction::ClinicTx,
        crate::server::access::ClinicAccess,
        uuid::Uuid,
    ),
    AppError,
> {
    use crate::domain::permission::Permission;
    use crate::server::{access, schedules};
    let (mut tx, access) = access::clinic(slug, Permission::EditSchedules).await?;
    let doctor = uuid::Uuid::parse_str(doctor.trim()).map_err(|_| AppError::NotFound)?;
    if !schedules::may_edit(&mut tx, &access, doctor).await? {
        return Err(AppError::NotFound);
    }
    Ok((tx, access, doctor))
}

/// Replaces the doctor's weekly hours with the form's sessions.
#[server(prefix = "/fn/schedules", endpoint = "save_week")]
pub async fn save_week(
    slug: String,
    doctor: String,
    #[server(default)] sessions: Vec<WeeklyHoursInput>,
) -> Result<(), AppError> {
    use crate::domain::appointments::parse_week;
    use crate::server::schedules;
    let (mut tx, access, doctor) = guard(&slug, &doctor).await?;
    let week = parse_week(&sessions)?;
    schedules::set_week(&mut tx, &access, doctor, &week).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule?doctor={doctor}&saved=week",
        access.membership.slug
    ));
    Ok(())
}

/// Adds leave, blocked time or an extra session.
#[server(prefix = "/fn/schedules", endpoint = "add_schedule_exception")]
pub async fn add_schedule_exception(
    slug: String,
    exception: ExceptionInput,
) -> Result<(), AppError> {
    use crate::domain::appointments::parse_exception;
    use crate::server::schedules;
    let (mut tx, access, doctor) = guard(&slug, &exception.doctor).await?;
    let (tz, zone) = schedules::clinic_zone(&mut tx).await?;
    let (entry, starts, ends) = parse_exception(&exception, &tz, &zone)?;
    schedules::add_exception(&mut tx, &access, &entry, starts, ends).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule?doctor={doctor}&saved=exception",
        access.membership.slug
    ));
    Ok(())
}

/// Removes an exception (leave called off, a meeting moved).
#[server(prefix = "/fn/schedules", endpoint = "remove_schedule_exception")]
pub async fn remove_schedule_exception(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, schedules};
    let (mut tx, access) = access::clinic(&slug, Permission::EditSchedules).await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let doctor = schedules::exception_doctor(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !schedules::may_edit(&mut tx, &access, doctor).await? {
        return Err(AppError::NotFound);
    }
    schedules::remove_exception(&mut tx, &access, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule?doctor={doctor}&saved=removed",
        access.membership.slug
    ));
    Ok(())
}
