//! Types and pure rules shared by the server and the browser (WASM) build.

pub mod account;
pub mod audit;
pub mod auth;
pub mod clinic;
pub mod dashboard;
pub mod doctor_profile;
pub mod error;
pub mod invitation;
pub mod membership;
pub mod onboarding;
pub mod outbox;
pub mod paging;
pub mod people;
pub mod permission;
pub mod platform;
pub mod portal;
pub mod role;
pub mod session;
pub mod sso;
pub mod two_factor;
pub mod url;

pub use error::{AppError, FieldError};
