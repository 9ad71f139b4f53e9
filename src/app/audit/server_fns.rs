//! The clinic admin's audit log, and its latest events for the dashboard.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::audit::{AuditEntry, AuditFilterInput};
use crate::domain::paging::Page;

#[server(prefix = "/fn/audit", endpoint = "clinic_audit_log")]
pub async fn clinic_audit_log(
    slug: String,
    filter: AuditFilterInput,
    page: u32,
) -> Result<Page<AuditEntry>, AppError> {
    use crate::domain::audit::parse_audit_filter;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, audit};
    let filter = parse_audit_filter(&filter).map_err(AppError::Validation)?;
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewAuditLog).await?;
    let entries = audit::log::list(
        &mut tx,
        &filter,
        None,
        PageRequest::new(page, DEFAULT_PER_PAGE),
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}

/// The clinic's ten latest audit events (the admin's dashboard).
#[server(prefix = "/fn/audit", endpoint = "recent_audit_events")]
pub async fn recent_audit_events(slug: String) -> Result<Vec<AuditEntry>, AppError> {
    use crate::domain::audit::AuditFilter;
    use crate::domain::paging::PageRequest;
    use crate::domain::permission::Permission;
    use crate::server::{access, audit};
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewAuditLog).await?;
    let recent = audit::log::list(
        &mut tx,
        &AuditFilter::default(),
        None,
        PageRequest::new(1, 10),
    )
    .await?;
    tx.commit().await?;
    Ok(recent.items)
}
