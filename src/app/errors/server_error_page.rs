use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::button::{ButtonVariant, LinkButton};
use crate::domain::AppError;

/// Shown in place of a page's content when it could not load at all.
#[component]
pub fn ServerErrorPage(error: AppError, #[prop(into)] retry_href: String) -> impl IntoView {
    super::set_error_status(&error);
    // An in-app navigation without a network reaches no server: say so, and
    // what still works, rather than "something went wrong".
    if matches!(error, AppError::Unavailable) && crate::app::pwa::is_offline() {
        return view! { <OfflineNotice retry_href=retry_href /> }.into_any();
    }
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
    .into_any()
}

/// What a page shows when the device has no network: patient data is
/// never kept on the device, so only the pages already on screen stay.
#[component]
pub fn OfflineNotice(#[prop(into)] retry_href: String) -> impl IntoView {
    view! {
        <Title text="You are offline" />
        <section role="alert" class="mx-auto flex max-w-xl flex-col items-start gap-4 py-12">
            <p class="text-sm font-semibold uppercase tracking-wide text-amber-800">"Offline"</p>
            <h1 class="text-3xl font-bold text-slate-900">"You are offline"</h1>
            <p class="text-lg text-slate-700">
                "HMS needs a network connection to open records and save changes, so that everyone sees the same, current information. Nothing was saved or changed."
            </p>
            <p class="text-slate-700">
                "What still works: the menu and this page. Patient records are never kept on this device. Check the Wi-Fi or mobile data, then try again."
            </p>
            // A full load, not an in-app one: the router would keep this
            // page for the same address.
            <a
                href=retry_href
                rel="external"
                class=crate::components::button::button_classes(ButtonVariant::Primary)
            >
                "Try again"
            </a>
        </section>
    }
}
