//! The clinic admin's page for a member of staff: `/c/{slug}/staff/{membership}`.
//! The staff directory is on the admin dashboard; inviting is in `app::invitations`.

mod member_page;
mod server_fns;

pub use member_page::MemberPage;
pub use server_fns::*;
