//! Doctors' schedules: the weekly hours and the exceptions to them, which
//! the free appointment times are worked out from.

mod schedule_page;
mod server_fns;

pub use schedule_page::SchedulePage;
pub use server_fns::*;
