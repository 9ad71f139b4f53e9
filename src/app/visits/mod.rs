//! Visits: checking a patient in, the token slip, the front desk's day and
//! the doctor's "Today's queue".

mod check_in_page;
mod desk_queue;
mod doctor_queue;
pub mod queue_table;
mod server_fns;
mod slip_page;
mod today_card;

pub use check_in_page::CheckInPage;
pub use desk_queue::DeskQueueSection;
pub use doctor_queue::DoctorQueueCard;
pub use queue_table::QueueTable;
pub use server_fns::*;
pub use slip_page::TokenSlipPage;
pub use today_card::TodayCard;
