//! The patient portal: reception's portal card on a record, and the
//! patient's own `/c/{slug}/my-records`.

mod card;
mod my_records_page;
mod server_fns;

pub use card::{PortalActions, PortalCard, done_message};
pub use my_records_page::MyRecordsPage;
pub use server_fns::*;
