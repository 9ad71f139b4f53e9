//! A doctor's calendar feed link: reading whether they have one (and, just
//! after making it, the link itself, shown once), making a new one and
//! revoking it. Doctors and heads of department, each their own only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::AppError;
use crate::domain::local_time::LocalTime;

/// Where the link just made waits to be shown, once.
#[cfg(feature = "ssr")]
const NEW_FEED_LINK: &str = "hms.new_calendar_link";

/// The person's feed as the schedule page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedCard {
    /// When the live link was made; None without one.
    pub live_since: Option<LocalTime>,
    /// The link, on the page read straight after making it.
    pub new_link: Option<String>,
}

/// The person's feed; None for those who have none (all but doctors), so
/// the schedule page asks without a refusal to show or audit.
#[server(prefix = "/fn/schedules", endpoint = "my_calendar_feed")]
pub async fn my_calendar_feed(slug: String) -> Result<Option<FeedCard>, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::schedules::{clinic_zone, local_time};
    use crate::server::{access, auth, calendar_feeds};
    let (mut tx, access) = access::member(&slug).await?;
    if !access.role().can(Permission::Consult) {
        tx.commit().await?;
        return Ok(None);
    }
    let since = calendar_feeds::live_since(&mut tx, &access.scope()).await?;
    let (tz, zone) = clinic_zone(&mut tx).await?;
    tx.commit().await?;
    let new_link = auth::cookie_session()?
        .remove::<String>(NEW_FEED_LINK)
        .await
        .map_err(|_| AppError::Unavailable)?;
    Ok(Some(FeedCard {
        live_since: since.map(|t| local_time(&tz, &zone, t)),
        // Only while the link it names is still the live one.
        new_link: new_link.filter(|_| since.is_some()),
    }))
}

/// Makes a new link (the one before stops working); the page shows it once.
#[server(prefix = "/fn/schedules", endpoint = "make_calendar_feed")]
pub async fn make_calendar_feed(slug: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, auth, calendar_feeds};
    let (mut tx, access) = access::clinic(&slug, Permission::Consult).await?;
    let key = calendar_feeds::create(&mut tx, &access).await?;
    tx.commit().await?;
    let state = AppState::from_context()?;
    let link = format!(
        "{}/calendar/feed.ics?key={key}",
        state.config.base_url.trim_end_matches('/')
    );
    auth::cookie_session()?
        .insert(NEW_FEED_LINK, link)
        .await
        .map_err(|_| AppError::Unavailable)?;
    leptos_axum::redirect(&format!("/c/{}/schedule", access.membership.slug));
    Ok(())
}

/// Stops the person's link working.
#[server(prefix = "/fn/schedules", endpoint = "revoke_calendar_feed")]
pub async fn revoke_calendar_feed(slug: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, calendar_feeds};
    let (mut tx, access) = access::clinic(&slug, Permission::Consult).await?;
    if !calendar_feeds::revoke(&mut tx, &access).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/schedule", access.membership.slug));
    Ok(())
}
