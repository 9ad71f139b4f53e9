//! The role dashboards' server functions. Each authorises through
//! `server::access` first, which also opens the clinic transaction.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::dashboards::{AdminOverview, TeamView};

#[server(prefix = "/fn", endpoint = "admin_dashboard")]
pub async fn admin_dashboard(slug: String, page: u32) -> Result<AdminOverview, AppError> {
    use crate::domain::audit::AuditFilter;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, audit, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let patient_count = staff::count_patients(&mut tx).await?;
    let staff = staff::directory(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let recent = audit::log::list(
        &mut tx,
        &AuditFilter::default(),
        None,
        PageRequest::new(1, 10),
    )
    .await?;
    tx.commit().await?;
    Ok(AdminOverview {
        patient_count,
        staff,
        recent_events: recent.items,
    })
}

#[cfg(feature = "ssr")]
async fn team_dashboard(
    slug: &str,
    permission: crate::domain::permission::Permission,
) -> Result<TeamView, AppError> {
    use crate::server::{access, dashboards};
    let (mut tx, access) = access::clinic(slug, permission).await?;
    let view = dashboards::team_view(&mut tx, &access).await?;
    tx.commit().await?;
    Ok(view)
}

#[server(prefix = "/fn", endpoint = "doctor_dashboard")]
pub async fn doctor_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(&slug, crate::domain::permission::Permission::Consult).await
}

#[server(prefix = "/fn", endpoint = "lab_dashboard")]
pub async fn lab_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(
        &slug,
        crate::domain::permission::Permission::UploadTestReports,
    )
    .await
}

#[server(prefix = "/fn", endpoint = "nurse_dashboard")]
pub async fn nurse_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(
        &slug,
        crate::domain::permission::Permission::RecordNursingCare,
    )
    .await
}
