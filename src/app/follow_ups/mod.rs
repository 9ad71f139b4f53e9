//! Follow-ups: on a patient's record the ones asked for and "Add
//! follow-up" (doctors, and the front desk noting a doctor's word); at
//! `/c/{slug}/follow-ups` the front desk's list of those to book, each
//! booked from the booking page or marked missed.

mod list_page;
mod record_card;
mod server_fns;

pub use list_page::FollowUpsPage;
pub use record_card::FollowUpsCard;
pub use server_fns::*;
