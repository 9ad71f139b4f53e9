//! The frames pages render inside: the public one, the signed-in one with
//! the person's navigation, the clinic's, and how a page shows a refusal.

pub mod access_error;
pub mod clinic;
pub mod idle_warning;
pub mod paged_list;
pub mod public;
pub mod signed_in;

pub use access_error::AccessError;
pub use clinic::{ClinicHome, ClinicLayout, clinic_context, use_slug};
pub use paged_list::PagedList;
pub use public::PublicFrame;
pub use signed_in::{Account, FrameInfo, SignedInFrame};
