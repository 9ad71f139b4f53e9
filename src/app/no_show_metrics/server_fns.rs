//! No-show metrics' server functions: the admin dashboard's card and the
//! report page. Read-only, for the clinic's admin.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::no_show_metrics::{NoShowCard, NoShowReport};

/// The clinic's no-show rate over the last 30 days.
#[server(prefix = "/fn/no_show_metrics", endpoint = "no_show_rate_card")]
pub async fn no_show_rate_card(slug: String) -> Result<NoShowCard, AppError> {
    use crate::domain::no_show_metrics::Period;
    use crate::domain::permission::Permission;
    use crate::server::{access, no_show_metrics};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let period = Period::recent(access.membership.today);
    let rate = no_show_metrics::clinic_rate(&mut tx, period).await?;
    tx.commit().await?;
    Ok(NoShowCard { period, rate })
}

/// The report over the period `from`–`to` (empty: the last 30 days), with
/// one page of the doctors or of the patients (`view`).
#[server(prefix = "/fn/no_show_metrics", endpoint = "no_show_figures")]
pub async fn no_show_figures(
    slug: String,
    from: String,
    to: String,
    view: String,
    page: u32,
) -> Result<NoShowReport, AppError> {
    use crate::domain::no_show_metrics::{NoShowView, parse_period};
    use crate::domain::paging::{DEFAULT_PER_PAGE, Page, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, no_show_metrics};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let today = access.membership.today;
    let period = parse_period(&from, &to, today)?;
    let view = NoShowView::parse(&view);
    let page = PageRequest::new(page, DEFAULT_PER_PAGE);
    let clinic = no_show_metrics::clinic_rate(&mut tx, period).await?;
    let (doctors, patients) = match view {
        NoShowView::Doctors => (
            no_show_metrics::per_doctor(&mut tx, period, page).await?,
            Page::exact(Vec::new(), page, 0),
        ),
        NoShowView::Patients => (
            Page::exact(Vec::new(), page, 0),
            no_show_metrics::per_patient(&mut tx, period, page).await?,
        ),
    };
    tx.commit().await?;
    Ok(NoShowReport {
        period,
        today,
        clinic,
        view,
        doctors,
        patients,
    })
}
