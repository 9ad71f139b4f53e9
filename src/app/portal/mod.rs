//! The patient portal: reception's portal card on a record, and the
//! patient's own `/c/{slug}/my-records` and their contact details form.

mod card;
mod contact_page;
mod my_records_page;
mod server_fns;

pub use card::{PortalActions, PortalCard, done_message};
pub use contact_page::OwnContactPage;
pub use my_records_page::MyRecordsPage;
pub use server_fns::*;
