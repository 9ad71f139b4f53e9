//! The public REST API's contract (`/api/v1`): its tokens and its wire
//! types, shared rules only; the handlers are in `server::api`.

pub mod device;
pub mod idempotency;
pub mod reference;
pub mod tokens;
