//! No-show metrics for the clinic's admin: the rate over the last 30 days
//! on the dashboard, and at `/c/{slug}/no-shows` the appointments due and
//! missed over a chosen period, per doctor and per patient.

mod dashboard_card;
mod report_page;
mod server_fns;

pub use dashboard_card::NoShowCardView;
pub use report_page::NoShowReportPage;
pub use server_fns::*;
