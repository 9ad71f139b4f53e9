//! The clinic admin's staff pages: `/c/{slug}/invitations`.

mod invitations_page;
mod server_fns;

pub use invitations_page::InvitationsPage;
pub use server_fns::*;
