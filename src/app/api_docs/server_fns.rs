//! The reference's one call: public, as the document itself is.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::api::reference::ApiReference;

/// The API's reference, as the OpenAPI document at `/api/v1/openapi.json`
/// describes it (read once per server process).
#[server(prefix = "/fn/api_docs", endpoint = "read_api_reference")]
pub async fn read_api_reference() -> Result<ApiReference, AppError> {
    Ok(crate::server::api::reference().clone())
}
