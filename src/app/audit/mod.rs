//! The audit log: the clinic admin's page and the table and filters it
//! shares with the platform admin's, and the admin dashboard's card of the
//! latest events.

mod clinic_page;
mod recent_card;
mod server_fns;
pub mod table;

pub use clinic_page::ClinicAuditPage;
pub use recent_card::RecentAuditCard;
pub use server_fns::*;
pub use table::{AuditFilters, AuditTable, use_audit_filter};
