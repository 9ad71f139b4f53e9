use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::clinics::ClinicListing;
use crate::domain::paging::Page;

/// One page of active clinics. Public: the directory shows only what a clinic
/// publishes anyway (name, address, phone), so no sign-in is required.
#[server(prefix = "/fn/clinics", endpoint = "list_clinics")]
pub async fn list_clinics(
    q: String,
    sort: String,
    dir: String,
    page: u32,
) -> Result<Page<ClinicListing>, AppError> {
    use crate::domain::clinics::{ClinicSort, parse_directory_query};
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::server::{clinics, state::AppState};

    let query = parse_directory_query(&q).map_err(|m| AppError::validation("q", m))?;
    let sort = ClinicSort::from_query(Some(&sort), Some(&dir));
    let page = PageRequest::new(page, DEFAULT_PER_PAGE);
    let state = AppState::from_context()?;
    Ok(clinics::list_active(&state.pool, query.as_deref(), sort, page).await?)
}
