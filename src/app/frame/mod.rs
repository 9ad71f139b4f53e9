//! The frames pages render inside: the public one, the signed-in one with
//! the person's navigation, the clinic's, how a page shows a refusal, and
//! the pieces pages are made of (lists, cards that load on their own).

pub mod access_error;
pub mod clinic;
pub mod idle_warning;
pub mod live_regions;
pub mod loaded;
pub mod paged_list;
pub mod public;
pub mod signed_in;

pub use access_error::AccessError;
pub use clinic::{
    ClinicGate, ClinicHome, ClinicLayout, ClinicNotFound, LayoutClinic, WhenAllowed,
    clinic_context, use_slug,
};
pub use live_regions::LiveRegions;
pub use loaded::Loaded;
pub use paged_list::PagedList;
pub use public::{DashboardOrSignIn, ForwardSignedIn, HomeRedirect, PublicFrame, SignedInPlace};
pub use signed_in::{Account, FrameInfo, SignedInFrame};
