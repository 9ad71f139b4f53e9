//! The clinic's booking rules' server functions: read and saved by the
//! clinic admin.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::schedule_settings::{ScheduleSettings, ScheduleSettingsInput};

/// The clinic's booking rules, for their form.
#[server(prefix = "/fn/schedules", endpoint = "booking_rules")]
pub async fn booking_rules(slug: String) -> Result<ScheduleSettings, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, schedule_settings};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let settings = schedule_settings::settings(&mut tx).await?;
    tx.commit().await?;
    settings.ok_or(AppError::NotFound)
}

/// Saves the clinic's booking rules (audited), then the form again.
#[server(prefix = "/fn/schedules", endpoint = "save_booking_rules")]
pub async fn save_booking_rules(
    slug: String,
    // A form sent without its fields is answered field by field.
    #[server(default)] settings: ScheduleSettingsInput,
) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::schedule_settings::parse_schedule_settings;
    use crate::server::{access, schedule_settings};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let new = parse_schedule_settings(&settings)?;
    schedule_settings::set_settings(&mut tx, &access, &new).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule/settings?saved=1",
        access.membership.slug
    ));
    Ok(())
}

/// The clinic's opening hours and the holidays ahead, for their forms.
#[server(prefix = "/fn/schedules", endpoint = "opening_hours_and_holidays")]
pub async fn opening_hours_and_holidays(
    slug: String,
) -> Result<crate::domain::clinic_calendar::ClinicCalendar, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, clinic_calendar};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let calendar = clinic_calendar::calendar(&mut tx, &access).await?;
    tx.commit().await?;
    Ok(calendar)
}

/// Replaces the opening hours with the form's sessions (audited).
#[server(prefix = "/fn/schedules", endpoint = "save_opening_hours")]
pub async fn save_opening_hours(
    slug: String,
    #[server(default)] sessions: Vec<crate::domain::appointments::WeeklyHoursInput>,
) -> Result<(), AppError> {
    use crate::domain::appointments::parse_week;
    use crate::domain::permission::Permission;
    use crate::server::{access, clinic_calendar};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    // A clinic's hours have no room: one typed anyway is refused by name.
    if let Some(i) = sessions.iter().position(|s| !s.room.is_empty()) {
        return Err(AppError::validation(
            format!("sessions[{i}][room]"),
            "Opening hours have no room.",
        ));
    }
    let week = parse_week(&sessions)?;
    clinic_calendar::set_opening_hours(&mut tx, &access, &week).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule/settings?saved=hours",
        access.membership.slug
    ));
    Ok(())
}

/// Closes the clinic on a day (audited); the page then says how many
/// appointments that day are still booked.
#[server(prefix = "/fn/schedules", endpoint = "add_clinic_holiday")]
pub async fn add_clinic_holiday(
    slug: String,
    #[server(default)] holiday: crate::domain::clinic_calendar::HolidayInput,
) -> Result<(), AppError> {
    use crate::domain::clinic_calendar::parse_holiday;
    use crate::domain::permission::Permission;
    use crate::server::{access, clinic_calendar};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let holiday = parse_holiday(&holiday, access.membership.today)?;
    let booked = clinic_calendar::add_holiday(&mut tx, &access, &holiday).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule/settings?saved=holiday&day={}&booked={booked}",
        access.membership.slug, holiday.day
    ));
    Ok(())
}

/// Opens the clinic again on a holiday (audited).
#[server(prefix = "/fn/schedules", endpoint = "remove_clinic_holiday")]
pub async fn remove_clinic_holiday(slug: String, day: String) -> Result<(), AppError> {
    use crate::domain::appointments::parse_date;
    use crate::domain::permission::Permission;
    use crate::server::{access, clinic_calendar};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let day = parse_date(&day).ok_or(AppError::NotFound)?;
    if !clinic_calendar::remove_holiday(&mut tx, &access, day).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/schedule/settings?saved=reopened",
        access.membership.slug
    ));
    Ok(())
}
