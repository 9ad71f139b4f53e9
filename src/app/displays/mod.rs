//! Waiting-room displays: the clinic admin's links, and the public board a
//! screen shows.

mod board_page;
mod displays_page;
mod server_fns;

pub use board_page::DisplayBoardPage;
pub use displays_page::DisplaysPage;
pub use server_fns::*;
