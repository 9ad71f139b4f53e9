//! The platform admin's server functions, through the audited platform path.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::audit::{AuditEntry, AuditFilterInput};
use crate::domain::paging::Page;
use crate::domain::platform::PlatformOverview;
use crate::domain::session::PlatformFrame;

#[server(prefix = "/fn/platform", endpoint = "platform_context")]
pub async fn platform_context() -> Result<PlatformFrame, AppError> {
    let user = crate::server::auth::current_user()?;
    if !user.is_platform_admin {
        return Err(AppError::NotFound);
    }
    Ok(PlatformFrame {
        display_name: user.display_name,
        email: user.email,
        idle_timeout_secs: user.idle_timeout.as_secs(),
    })
}

#[server(prefix = "/fn/platform", endpoint = "platform_dashboard")]
pub async fn platform_dashboard(page: u32) -> Result<PlatformOverview, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{access, platform};
    let (mut tx, _user) = access::platform().await?;
    let clinics = platform::clinic_stats(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let sign_ins = platform::recent_sign_ins(&mut tx, 10).await?;
    tx.commit().await?;
    Ok(PlatformOverview { clinics, sign_ins })
}

#[server(prefix = "/fn/platform", endpoint = "platform_audit_log")]
pub async fn platform_audit_log(
    filter: AuditFilterInput,
    clinic: String,
    page: u32,
) -> Result<Page<AuditEntry>, AppError> {
    use crate::domain::audit::parse_audit_filter;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{access, audit};
    let filter = parse_audit_filter(&filter).map_err(AppError::Validation)?;
    let clinic = clinic.trim();
    if clinic.chars().count() > 64 {
        return Err(AppError::validation("clinic", "Use at most 64 characters."));
    }
    let (mut tx, _user) = access::platform().await?;
    let entries = audit::log::list(
        &mut tx,
        &filter,
        (!clinic.is_empty()).then_some(clinic),
        PageRequest::new(page, DEFAULT_PER_PAGE),
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}

#[server(prefix = "/fn/platform", endpoint = "platform_outbox")]
pub async fn platform_outbox(
    status: String,
    page: u32,
) -> Result<Page<crate::domain::outbox::OutboxEntry>, AppError> {
    use crate::domain::outbox::OutboxStatus;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{access, mail};
    let status = match status.trim() {
        "" => None,
        s => Some(
            OutboxStatus::parse(s)
                .ok_or_else(|| AppError::validation("status", "Choose a status from the list."))?,
        ),
    };
    let (mut tx, _user) = access::platform().await?;
    let entries =
        mail::outbox::list(&mut tx, status, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(entries)
}

/// Sends a failed message, or one whose delivery is unknown, again; audited.
#[server(prefix = "/fn/platform", endpoint = "retry_email")]
pub async fn retry_email(id: String) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::server::{access, audit, mail};
    let id = crate::domain::ids::EmailId::parse(&id)?;
    let (mut tx, user) = access::platform().await?;
    let before = mail::outbox::retry(&mut tx, id).await?.ok_or_else(|| {
        AppError::Conflict("This message is not waiting to be sent again.".into())
    })?;
    let mut event = audit::NewAuditEvent::new(None, AuditAction::Update);
    event.actor_user_id = Some(user.user_id);
    event.actor_role = Some(crate::domain::role::Role::PlatformAdmin.as_str().into());
    event.entity_type = Some(crate::domain::audit::AuditEntity::OutboxEmail);
    event.entity_id = Some(id.to_string());
    event.before = Some(serde_json::json!({ "status": before.as_str() }));
    event.after = Some(serde_json::json!({ "status": "pending" }));
    event.origin = crate::server::auth::request_origin();
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// The durable jobs' runs, newest first, optionally of one status.
#[server(prefix = "/fn/platform", endpoint = "platform_jobs")]
pub async fn platform_jobs(
    status: String,
    page: u32,
) -> Result<Page<crate::domain::jobs::JobRunEntry>, AppError> {
    use crate::domain::jobs::RunStatus;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{access, jobs};
    let status = match status.trim() {
        "" => None,
        s => Some(
            RunStatus::parse(s)
                .ok_or_else(|| AppError::validation("status", "Choose a status from the list."))?,
        ),
    };
    let (mut tx, _user) = access::platform().await?;
    let runs = jobs::runs::list(&mut tx, status, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(runs)
}
