//! The patient portal, reception's side: inviting a patient to see their own
//! record. What the patient then sees is `patients::open_own_record`, read
//! under the restrictive row-level policies for someone acting as a patient.

pub mod invitations;

pub use invitations::{ADDRESS_INVITED, access, invite, resend, withdraw};

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[ConstraintField {
    constraint: "invitations_open_patient_email_key",
    field: "email",
    message: invitations::ADDRESS_INVITED,
}];
