//! Patient records' server functions: search and the record page.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::paging::Page;
use crate::domain::patients::{PatientDetails, PatientSummary};

/// Front-desk search by name, patient number or phone, one page at a time.
#[server(prefix = "/fn", endpoint = "search_patients")]
pub async fn search_patients(
    slug: String,
    q: String,
    page: u32,
) -> Result<Page<PatientSummary>, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::patients::parse_patient_query;
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let query = parse_patient_query(&q).map_err(|m| AppError::validation("q", m))?;
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let found = patients::search(&mut tx, &query, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(found)
}

/// A patient's record; opening it is audited (one VIEW per call).
#[server(prefix = "/fn", endpoint = "patient_record")]
pub async fn patient_record(slug: String, id: String) -> Result<PatientDetails, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let id = access::parse_id(&id)?;
    let record = patients::open_record(&mut tx, &access, id).await?;
    tx.commit().await?;
    record.ok_or(AppError::NotFound)
}
