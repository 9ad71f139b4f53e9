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
