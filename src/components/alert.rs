use leptos::prelude::*;

use crate::domain::AppError;

/// A failed request, in words for the person using the page. Only the
/// error's safe message is shown; internal causes stay in the server log.
#[component]
pub fn ErrorAlert(
    error: AppError,
    #[prop(optional, into)] retry_href: Option<String>,
) -> impl IntoView {
    let title = match &error {
        AppError::Internal | AppError::Unavailable => "We could not load this",
        AppError::Validation(_) | AppError::BadRequest(_) => "Please check what you entered",
        AppError::NotFound => "Not found",
        AppError::Forbidden | AppError::Unauthenticated => "Access needed",
        _ => "That did not work",
    };
    view! {
        <div role="alert" class="rounded-xl border border-red-300 bg-red-50 p-4 text-red-900">
            <p class="font-semibold">{title}</p>
            <p class="mt-1">{error.to_string()}</p>
            {retry_href
                .map(|href| {
                    view! {
                        <a
                            href=href
                            class=format!(
                                "mt-2 inline-flex min-h-11 items-center font-semibold underline {}",
                                super::FOCUS_RING,
                            )
                        >
                            "Try again"
                        </a>
                    }
                })}
        </div>
    }
}
