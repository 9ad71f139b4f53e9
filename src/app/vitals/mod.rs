//! Vital signs: the nurse's triage page for a visit, the list of patients
//! waiting for it, and how a set reads on the queues.

mod readings;
mod server_fns;
mod triage_card;
mod vitals_page;

pub use readings::Readings;
pub use server_fns::*;
pub use triage_card::TriageCard;
pub use vitals_page::VitalsPage as VitalsPageView;
