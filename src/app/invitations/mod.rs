//! Invitations: the clinic admin's staff invitations page, and the page an
//! invited person (staff or patient) accepts from. Reception's portal
//! invitations are on the portal card (`app::portal`).

mod accept_fns;
mod accept_page;
mod staff_fns;
mod staff_page;

pub use accept_fns::*;
pub use accept_page::AcceptInvitationPage;
pub use staff_fns::*;
pub use staff_page::InvitationsPage;
