//! Types and pure rules shared by the server and the browser (WASM) build.

pub mod audit;
pub mod clinic;
pub mod error;
pub mod paging;
pub mod role;
pub mod url;

pub use error::{AppError, FieldError};
