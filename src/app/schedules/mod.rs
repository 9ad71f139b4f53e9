//! Doctors' schedules: the weekly hours and the exceptions to them, which
//! the free appointment times are worked out from; and the clinic's
//! booking rules; and a doctor's private calendar feed.

mod calendar_feed_card;
mod feed_fns;
mod holidays_card;
mod opening_hours_card;
mod schedule_page;
mod server_fns;
mod sessions_table;
mod settings_fns;
mod settings_page;

pub use calendar_feed_card::CalendarFeedCard;
pub use feed_fns::*;
pub use schedule_page::SchedulePage;
pub use server_fns::*;
pub use settings_fns::*;
pub use settings_page::ScheduleSettingsPage;
