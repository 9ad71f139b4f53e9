use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::PublicFrame;
use crate::components::button::{ButtonVariant, LinkButton};

/// The router's fallback: an address no route knows, in the public frame.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PublicFrame outside_routes=true>
            <NotFoundMessage home_href="/" home_label="Go to the home page" />
        </PublicFrame>
    }
}

/// A 404 inside the signed-in frame (an unknown clinic page, a record that
/// is not there or not yours to know of): shown once, inside the frame the
/// person is already in, with the way back to their dashboard.
#[component]
pub fn NotFoundInFrame() -> impl IntoView {
    view! { <NotFoundMessage home_href="/home" home_label="Go to your dashboard" /> }
}

#[component]
fn NotFoundMessage(home_href: &'static str, home_label: &'static str) -> impl IntoView {
    super::set_response_status(404);
    view! {
        <Title text="Page not found" />
        <section class="mx-auto flex max-w-xl flex-col items-start gap-4 py-12">
            <p class="text-sm font-semibold uppercase tracking-wide text-teal-800">"Error 404"</p>
            <h1 class="text-3xl font-bold text-slate-900">"Page not found"</h1>
            <p class="text-lg text-slate-700">
                "We could not find that page. The link may be old, or the address may have a typo."
            </p>
            <LinkButton href=home_href>{home_label}</LinkButton>
        </section>
    }
}

/// A 403 inside the signed-in frame: what the role may not use, and the way
/// back.
#[component]
pub fn ForbiddenInFrame() -> impl IntoView {
    use crate::domain::AppError;
    super::set_error_status(&AppError::Forbidden);
    view! {
        <Title text="Not available to your role" />
        <section role="alert" class="mx-auto flex max-w-xl flex-col items-start gap-4 py-12">
            <p class="text-sm font-semibold uppercase tracking-wide text-red-800">"Error 403"</p>
            <h1 class="text-3xl font-bold text-slate-900">"Not available to your role"</h1>
            <p class="text-lg text-slate-700">{AppError::Forbidden.to_string()}</p>
            <div class="flex flex-wrap gap-3">
                <LinkButton href="/home">"Go to your dashboard"</LinkButton>
                <LinkButton href="/account" variant=ButtonVariant::Secondary>
                    "Your account"
                </LinkButton>
            </div>
        </section>
    }
}
