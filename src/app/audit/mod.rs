//! The audit log: the clinic admin's page and the table and filters it
//! shares with the platform admin's.

mod clinic_page;
mod server_fns;
pub mod table;

pub use clinic_page::ClinicAuditPage;
pub use server_fns::*;
pub use table::{AuditFilters, AuditTable, use_audit_filter};
