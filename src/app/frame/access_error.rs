//! What a signed-in page shows when its data is refused: sign-in for an
//! ended session, 404 for what does not exist or is not yours to know of,
//! 403 for what your role may not use. Pages using it are inside the
//! signed-in frame, so the errors are shown inside it, once.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::app::errors::{ForbiddenInFrame, NotFoundInFrame, ServerErrorPage};
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
        AppError::NotFound => view! { <NotFoundInFrame /> }.into_any(),
        AppError::Forbidden => view! { <ForbiddenInFrame /> }.into_any(),
        other => {
            let retry = location.pathname.get_untracked();
            view! { <ServerErrorPage error=other retry_href=retry /> }.into_any()
        }
    }
}
