//! What a page shows when the link or step behind it cannot be used
//! (forged, used, expired, withdrawn): the reason, the right status, and a
//! way on.

use leptos::prelude::*;

use crate::app::errors::set_error_status;
use crate::components::button::LinkButton;
use crate::domain::AppError;

#[component]
pub fn LinkProblem(
    title: &'static str,
    error: AppError,
    href: &'static str,
    label: &'static str,
) -> impl IntoView {
    set_error_status(&error);
    let message = match error {
        AppError::Conflict(m) => m,
        other => other
            .field_message("form")
            .map(str::to_owned)
            .unwrap_or_else(|| other.to_string()),
    };
    view! {
        <h1 class="text-3xl font-bold text-slate-900">{title}</h1>
        <p
            role="alert"
            class="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950"
        >
            {message}
        </p>
        <div class="mt-6">
            <LinkButton href=href>{label}</LinkButton>
        </div>
    }
}
