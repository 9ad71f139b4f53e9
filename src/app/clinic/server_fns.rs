//! The clinic area's server functions. Each authorises through
//! `server::access` first, which also opens the clinic transaction.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::audit::{AuditEntry, AuditFilterInput};
use crate::domain::dashboard::{AdminOverview, PortalView, TeamView};
use crate::domain::paging::Page;
use crate::domain::people::{PatientDetails, PatientSummary};
use crate::domain::session::ClinicFrame;

/// The frame of clinic pages: the clinic, the person's role there.
#[server(endpoint = "clinic_context")]
pub async fn clinic_context(slug: String) -> Result<ClinicFrame, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, access) = access::member(&slug).await?;
    let others = landing::memberships(&mut tx, access.user.user_id)
        .await?
        .len()
        > 1;
    tx.commit().await?;
    Ok(ClinicFrame {
        clinic_id: access.membership.clinic_id,
        slug: access.membership.slug.clone(),
        clinic_name: access.membership.clinic_name.clone(),
        role: access.role(),
        display_name: access.user.display_name.clone(),
        email: access.user.email.clone(),
        idle_timeout_secs: access.user.idle_timeout.as_secs(),
        has_other_memberships: others,
    })
}

#[server(endpoint = "admin_dashboard")]
pub async fn admin_dashboard(slug: String, page: u32) -> Result<AdminOverview, AppError> {
    use crate::domain::audit::AuditFilter;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, audit_log, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let patient_count = staff::count_patients(&mut tx).await?;
    let staff = staff::directory(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let recent = audit_log::list(
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

#[server(endpoint = "doctor_dashboard")]
pub async fn doctor_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(&slug, crate::domain::permission::Permission::Consult).await
}

#[server(endpoint = "lab_dashboard")]
pub async fn lab_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(
        &slug,
        crate::domain::permission::Permission::UploadTestReports,
    )
    .await
}

#[server(endpoint = "nurse_dashboard")]
pub async fn nurse_dashboard(slug: String) -> Result<TeamView, AppError> {
    team_dashboard(
        &slug,
        crate::domain::permission::Permission::RecordNursingCare,
    )
    .await
}

/// Front-desk search by name, patient number or phone, one page at a time.
#[server(endpoint = "search_patients")]
pub async fn search_patients(
    slug: String,
    q: String,
    page: u32,
) -> Result<Page<PatientSummary>, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::people::parse_patient_query;
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let query = parse_patient_query(&q).map_err(|m| AppError::validation("q", m))?;
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let found = patients::search(&mut tx, &query, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(found)
}

/// A patient's record; opening it is audited (one VIEW per call).
#[server(endpoint = "patient_record")]
pub async fn patient_record(slug: String, id: String) -> Result<PatientDetails, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let id = access::parse_id(&id)?;
    let record = patients::open_record(&mut tx, &access, id).await?;
    tx.commit().await?;
    record.ok_or(AppError::NotFound)
}

/// The patient portal: the signed-in patient's own record and nobody else's.
#[server(endpoint = "my_records")]
pub async fn my_records(slug: String) -> Result<PortalView, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewOwnRecords).await?;
    let record = patients::open_own_record(&mut tx, &access).await?;
    tx.commit().await?;
    Ok(PortalView {
        display_name: access.user.display_name.clone(),
        email: access.user.email.clone(),
        clinic_name: access.membership.clinic_name.clone(),
        record,
    })
}

#[server(endpoint = "clinic_audit_log")]
pub async fn clinic_audit_log(
    slug: String,
    filter: AuditFilterInput,
    page: u32,
) -> Result<Page<AuditEntry>, AppError> {
    use crate::domain::audit::parse_audit_filter;
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, audit_log};
    let filter = parse_audit_filter(&filter).map_err(AppError::Validation)?;
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewAuditLog).await?;
    let entries = audit_log::list(
        &mut tx,
        &filter,
        None,
        PageRequest::new(page, DEFAULT_PER_PAGE),
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}
