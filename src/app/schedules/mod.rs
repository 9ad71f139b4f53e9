//! Doctors' schedules: the weekly hours and the exceptions to them, which
//! the free appointment times are worked out from; and the clinic's
//! booking rules.

mod schedule_page;
mod server_fns;
mod settings_fns;
mod settings_page;

pub use schedule_page::SchedulePage;
pub use server_fns::*;
pub use settings_fns::*;
pub use settings_page::ScheduleSettingsPage;
