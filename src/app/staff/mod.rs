//! The clinic admin's staff pages: `/c/{slug}/invitations` and
//! `/c/{slug}/staff/{membership}`.

mod invitations_page;
mod member_page;
mod server_fns;

pub use invitations_page::InvitationsPage;
pub use member_page::MemberPage;
pub use server_fns::*;
