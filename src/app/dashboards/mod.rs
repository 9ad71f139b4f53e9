//! The role dashboards inside a clinic: the clinic admin's, and the team
//! view of doctors, nurses and lab technicians. Each is a page of cards
//! that belong to their areas (`app::patients`, `app::staff`, `app::audit`)
//! and load through their own server functions: a new area adds a card.
//! Reception's front desk is the patient search (`app::patients`).

mod admin_page;
mod coming_card;
mod team_pages;

pub use admin_page::AdminDashboardPage;
pub use team_pages::{DoctorDashboardPage, LabDashboardPage, NurseDashboardPage};
