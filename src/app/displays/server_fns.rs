//! Waiting-room displays: the admin's links (make, list, revoke) and the
//! board a screen reads through its link alone.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::displays::{Board, DisplayInput, DisplaysPage};

/// Where a new link waits in the admin's session to be shown once.
#[cfg(feature = "ssr")]
const NEW_LINK: &str = "hms.new_display_link";

#[server(prefix = "/fn/displays", endpoint = "clinic_displays")]
pub async fn clinic_displays(slug: String, page: u32) -> Result<DisplaysPage, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, auth, displays, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let list = displays::list(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let departments = staff::departments(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    tx.commit().await?;
    let new_link = auth::cookie_session()?
        .remove::<String>(NEW_LINK)
        .await
        .map_err(|_| AppError::Unavailable)?;
    Ok(DisplaysPage {
        displays: list,
        departments,
        new_link,
    })
}

/// Makes a link; the page shows it once.
#[server(prefix = "/fn/displays", endpoint = "create_display")]
pub async fn create_display(slug: String, display: DisplayInput) -> Result<(), AppError> {
    use crate::domain::displays::parse_display;
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, auth, displays};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let new = parse_display(&display)?;
    let key = displays::create(&mut tx, &access, &new).await?;
    tx.commit().await?;
    let state = AppState::from_context()?;
    let link = format!(
        "{}/display?key={key}",
        state.config.base_url.trim_end_matches('/')
    );
    auth::cookie_session()?
        .insert(NEW_LINK, link)
        .await
        .map_err(|_| AppError::Unavailable)?;
    leptos_axum::redirect(&format!("/c/{}/displays", access.membership.slug));
    Ok(())
}

#[server(prefix = "/fn/displays", endpoint = "revoke_display")]
pub async fn revoke_display(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, displays};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    if !displays::revoke(&mut tx, &access, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/displays", access.membership.slug));
    Ok(())
}

/// A screen's board, opened by its link alone: tokens and where to go.
#[server(prefix = "/fn/displays", endpoint = "display_board")]
pub async fn display_board(key: String) -> Result<Board, AppError> {
    use crate::server::{displays, state::AppState, tenancy};
    let state = AppState::from_context()?;
    let mut tx = tenancy::begin_anonymous(&state.pool).await?;
    let board = displays::board(&mut tx, &key).await?;
    tx.rollback().await?;
    board.ok_or(AppError::NotFound)
}
