use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::button::{ButtonVariant, LinkButton};
use crate::domain::AppError;

/// Shown in place of a page's content when it could not load at all.
#[component]
pub fn ServerErrorPage(error: AppError, #[prop(into)] retry_href: String) -> impl IntoView {
    super::set_error_status(&error);
    view! {
        <Title text="Something went wrong" />
        <section role="alert" class="mx-auto flex max-w-xl flex-col items-start gap-4 py-12">
            <p class="text-sm font-semibold uppercase tracking-wide text-red-800">
                {format!("Error {}", error.status_code())}
            </p>
            <h1 class="text-3xl font-bold text-slate-900">"Something went wrong"</h1>
            <p class="text-lg text-slate-700">{error.to_string()}</p>
            <div class="flex flex-wrap gap-3">
                <LinkButton href=retry_href>"Try again"</LinkButton>
                <LinkButton href="/" variant=ButtonVariant::Secondary>
                    "Go to the home page"
                </LinkButton>
            </div>
        </section>
    }
}
