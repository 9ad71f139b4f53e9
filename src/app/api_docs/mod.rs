//! `/api/docs`: the public API's reference, for the people who build
//! clients, rendered from the OpenAPI document (`domain::api::reference`).

mod operation;
mod parts;
mod reference_page;
mod schema;
mod server_fns;

pub use reference_page::ApiReferencePage;
pub use server_fns::*;
