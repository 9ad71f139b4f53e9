//! What a signed-in page shows when its data is refused: sign-in for an
//! ended session, 404 for what does not exist or is not yours to know of,
//! 403 for what your role may not use.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::app::errors::{NotFoundPage, ServerErrorPage, set_error_status};
use crate::domain::AppError;
use crate::domain::url::with_query;

#[component]
pub fn AccessError(error: AppError) -> impl IntoView {
    let location = use_location();
    match error {
        AppError::Unauthenticated => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let to = with_query("/login", &[("next", &here), ("reason", "idle")]);
            view! { <Redirect path=to /> }.into_any()
        }
        AppError::NotFound => view! { <NotFoundPage /> }.into_any(),
        AppError::Forbidden => {
            set_error_status(&AppError::Forbidden);
            view! {
                <section role="alert" class="mx-auto max-w-xl py-12">
                    <p class="text-sm font-semibold uppercase tracking-wide text-red-800">
                        "Error 403"
                    </p>
                    <h1 class="mt-2 text-3xl font-bold text-slate-900">
                        "Not available to your role"
                    </h1>
                    <p class="mt-2 text-lg text-slate-700">{AppError::Forbidden.to_string()}</p>
                </section>
            }
            .into_any()
        }
        other => {
            let retry = location.pathname.get_untracked();
            view! { <ServerErrorPage error=other retry_href=retry /> }.into_any()
        }
    }
}
