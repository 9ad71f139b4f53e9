//! Vital signs' server functions: the triage page of a visit, recording a
//! set, and the nurses' list of patients still waiting for theirs.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::paging::Page;
use crate::domain::visits::QueueEntry;
use crate::domain::vitals::{VitalsInput, VitalsPage};

#[server(prefix = "/fn/vitals", endpoint = "visit_vitals")]
pub async fn visit_vitals(slug: String, id: String) -> Result<VitalsPage, AppError> {
    use crate::domain::ids::VisitId;
    use crate::domain::permission::Permission;
    use crate::server::{access, vitals};
    let (mut tx, access) = access::clinic(&slug, Permission::RecordNursingCare).await?;
    let id = VisitId::parse(&id)?;
    let today = access.membership.today;
    let page = vitals::page(&mut tx, id, today).await?;
    tx.commit().await?;
    page.ok_or(AppError::NotFound)
}

/// Records a set for the visit and goes back to the triage list.
#[server(prefix = "/fn/vitals", endpoint = "record_vitals")]
pub async fn record_vitals(slug: String, id: String, vitals: VitalsInput) -> Result<(), AppError> {
    use crate::domain::ids::VisitId;
    use crate::domain::permission::Permission;
    use crate::domain::vitals::parse_vitals;
    use crate::server::{access, vitals as recorded};
    let (mut tx, access) = access::clinic(&slug, Permission::RecordNursingCare).await?;
    let id = VisitId::parse(&id)?;
    let set = parse_vitals(&vitals)?;
    recorded::record(&mut tx, &access, recorded::TakenFor::Visit(id), &set)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/nurse?recorded=1", access.membership.slug));
    Ok(())
}

/// Today's patients waiting (or called) with no vital signs taken yet.
#[server(prefix = "/fn/vitals", endpoint = "awaiting_triage")]
pub async fn awaiting_triage(slug: String, page: u32) -> Result<Page<QueueEntry>, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::domain::visits::Showing;
    use crate::server::access;
    use crate::server::visits::queues::{self, QueueFilter};
    let (mut tx, access) = access::clinic(&slug, Permission::RecordNursingCare).await?;
    let day = access.membership.today;
    let filter = QueueFilter {
        day,
        department_id: None,
        showing: Showing::Active,
        doctor_user_id: None,
        awaiting_vitals: true,
    };
    let list = queues::list(&mut tx, filter, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(list)
}
