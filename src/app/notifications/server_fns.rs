//! The notification centre's server functions: a person's own list, and
//! marking one or all read. Any member of the clinic has a centre; each
//! reaches only their own (row-level security, and the queries name them).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::AppError;
use crate::domain::notifications::NotificationItem;
use crate::domain::paging::Page;

/// One page of the person's notifications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationList {
    pub page: Page<NotificationItem>,
    pub unread: i64,
    /// Whether "Open appointment" leads anywhere for this role.
    pub may_open_appointments: bool,
}

#[server(prefix = "/fn/notifications", endpoint = "my_notifications")]
pub async fn my_notifications(slug: String, page: u32) -> Result<NotificationList, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, notifications};
    let (mut tx, access) = access::member(&slug).await?;
    let scope = access.scope();
    let page =
        notifications::page(&mut tx, &scope, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let unread = notifications::unread(&mut tx, &scope).await?;
    tx.commit().await?;
    Ok(NotificationList {
        page,
        unread,
        may_open_appointments: access.role().can(Permission::ViewAppointments),
    })
}

/// Marks one read, then back to the list (at the page it was on).
#[server(prefix = "/fn/notifications", endpoint = "mark_notification_read")]
pub async fn mark_notification_read(
    slug: String,
    id: String,
    #[server(default)] page: u32,
) -> Result<(), AppError> {
    use crate::domain::ids::NotificationId;
    use crate::server::{access, notifications};
    let (mut tx, access) = access::member(&slug).await?;
    let id = NotificationId::parse(&id)?;
    notifications::mark_read(&mut tx, &access.scope(), id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&list_href(&access.membership.slug, page));
    Ok(())
}

/// Marks every unread one read, then back to the list.
#[server(prefix = "/fn/notifications", endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read(slug: String) -> Result<(), AppError> {
    use crate::server::{access, notifications};
    let (mut tx, access) = access::member(&slug).await?;
    notifications::mark_all_read(&mut tx, &access.scope()).await?;
    tx.commit().await?;
    leptos_axum::redirect(&list_href(&access.membership.slug, 1));
    Ok(())
}

/// The list's address at `page`.
pub fn list_href(slug: &str, page: u32) -> String {
    if page > 1 {
        format!("/c/{slug}/notifications?page={page}")
    } else {
        format!("/c/{slug}/notifications")
    }
}
