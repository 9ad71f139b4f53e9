//! Friendly error pages and the HTTP status that goes with them.

mod not_found_page;
mod server_error_page;

pub use not_found_page::{ForbiddenInFrame, NotFoundInFrame, NotFoundPage};
pub use server_error_page::ServerErrorPage;

use crate::domain::AppError;

/// During server rendering, answers the page with the error's status
/// (a page that failed to load its data is not a 200).
pub fn set_response_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

pub fn set_error_status(error: &AppError) {
    set_response_status(error.status_code());
}
