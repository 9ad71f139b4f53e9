use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::PublicFrame;
use crate::components::button::LinkButton;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    super::set_response_status(404);
    view! {
        <Title text="Page not found" />
        <PublicFrame>
            <section class="mx-auto flex max-w-xl flex-col items-start gap-4 py-12">
                <p class="text-sm font-semibold uppercase tracking-wide text-teal-800">
                    "Error 404"
                </p>
                <h1 class="text-3xl font-bold text-slate-900">"Page not found"</h1>
                <p class="text-lg text-slate-700">
                    "We could not find that page. The link may be old, or the address may have a typo."
                </p>
                <LinkButton href="/">"Go to the home page"</LinkButton>
            </section>
        </PublicFrame>
    }
}
