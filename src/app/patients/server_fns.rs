//! Patient records' server functions: search, the record page and the
//! dashboards' patient cards.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::paging::Page;
use crate::domain::patients::{PatientDetails, PatientLabel, PatientSummary};

/// Front-desk search by name, patient number or phone, one page at a time.
#[server(prefix = "/fn/patients", endpoint = "search_patients")]
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

/// The search form. What was typed travels in this POST's body and stays in
/// the person's session; the browser goes to the results under an opaque
/// handle, so no name reaches its history, a proxy's log or a referrer.
/// From the booking page it also carries the department, doctor, day and
/// time chosen there.
#[server(prefix = "/fn/patients", endpoint = "start_search")]
pub async fn start_patient_search(
    slug: String,
    from: String,
    q: String,
    #[server(default)] department: String,
    #[server(default)] doctor: String,
    #[server(default)] day: String,
    #[server(default)] at: String,
) -> Result<(), AppError> {
    use crate::domain::patients::{BookingChoice, SearchFrom, parse_patient_query};
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let from = SearchFrom::parse(&from).ok_or(AppError::NotFound)?;
    parse_patient_query(&q).map_err(|m| AppError::validation("q", m))?;
    let choice = BookingChoice::parse(&department, &doctor, &day, &at)
        .map_err(|m| AppError::validation("form", m))?;
    let keep = match from {
        SearchFrom::Booking => choice.query().to_vec(),
        SearchFrom::Reception | SearchFrom::Patients => Vec::new(),
    };
    let (tx, _access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    tx.commit().await?;
    let results = patients::searches::start(&slug, from, &q, &keep).await?;
    leptos_axum::redirect(&results);
    Ok(())
}

/// The words behind a search handle, to show in the search box.
#[server(prefix = "/fn/patients", endpoint = "recall_search")]
pub async fn recall_patient_search(slug: String, s: String) -> Result<String, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (tx, _access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    tx.commit().await?;
    patients::searches::recall_raw(&s).await
}

/// One page of the search behind a handle (none: the newest registrations).
#[server(prefix = "/fn/patients", endpoint = "search_by_handle")]
pub async fn search_patients_by_handle(
    slug: String,
    s: String,
    page: u32,
) -> Result<Page<PatientSummary>, AppError> {
    let q = crate::server::patients::searches::recall_raw(&s).await?;
    // The same guard, parsing and query as a search by its words.
    search_patients(slug, q, page).await
}

/// A patient's record; opening it is audited (one VIEW per call).
#[server(prefix = "/fn/patients", endpoint = "patient_record")]
pub async fn patient_record(slug: String, id: String) -> Result<PatientDetails, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, patients};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    let state = AppState::from_context()?;
    let record = patients::open_record(&mut tx, &access, state.secret_key()?, id).await?;
    tx.commit().await?;
    record.ok_or(AppError::NotFound)
}

/// A patient's printable label: name, number, date of birth and the
/// number's QR code. Opening it is audited as opening the record.
#[server(prefix = "/fn/patients", endpoint = "print_label")]
pub async fn print_label(slug: String, id: String) -> Result<PatientLabel, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, patients, qr};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewClinicPatients).await?;
    let id = crate::domain::ids::PatientId::parse(&id)?;
    let state = AppState::from_context()?;
    let record = patients::open_record(&mut tx, &access, state.secret_key()?, id).await?;
    tx.commit().await?;
    let r = record.ok_or(AppError::NotFound)?;
    Ok(PatientLabel {
        id: r.id,
        name: format!("{} {}", r.given_name, r.family_name),
        qr: qr::data_uri(&r.patient_number),
        patient_number: r.patient_number,
        date_of_birth: r.date_of_birth,
        sex: r.sex,
        clinic_name: access.membership.clinic_name.clone(),
    })
}

/// How many patients the clinic has registered (the admin's dashboard).
#[server(prefix = "/fn/patients", endpoint = "patient_count")]
pub async fn patient_count(slug: String) -> Result<i64, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let n = patients::count(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// The patients the signed-in member opened lately (the team dashboards).
#[server(prefix = "/fn/patients", endpoint = "recently_viewed_patients")]
pub async fn recently_viewed_patients(slug: String) -> Result<Vec<PatientSummary>, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, patients};
    let (mut tx, _access) = access::clinic(&slug, Permission::ViewTeam).await?;
    let seen = patients::recently_viewed(&mut tx).await?;
    tx.commit().await?;
    Ok(seen)
}
