//! The role dashboards inside a clinic: the clinic admin's, and the team
//! view of doctors, nurses and lab technicians. Reception's front desk is the
//! patient search (`app::patients`).

mod admin_page;
mod server_fns;
mod team_pages;

pub use admin_page::AdminDashboardPage;
pub use server_fns::*;
pub use team_pages::{DoctorDashboardPage, LabDashboardPage, NurseDashboardPage};
