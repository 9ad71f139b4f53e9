//! The clinic admin's page for a member of staff: `/c/{slug}/staff/{membership}`.
//! The staff cards of the dashboards (the directory is on the admin's);
//! inviting is in `app::invitations`.

mod dashboard_cards;
mod member_page;
mod server_fns;

pub use dashboard_cards::{MyDepartmentCard, StaffCountTile, StaffDirectoryCard};
pub use member_page::MemberPage;
pub use server_fns::*;
