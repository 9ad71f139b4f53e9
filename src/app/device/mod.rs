//! `/device`: a signed-in person allows (or denies) a device that asked to
//! be signed in to the API as them (RFC 8628; `server::api::device_grants`).

mod device_page;
mod server_fns;

pub use device_page::DevicePage;
pub use server_fns::*;
