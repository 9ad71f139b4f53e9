//! Where someone lands after signing in through their provider when a
//! clinic admin must let them in first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::PublicFrame;
use crate::components::notice::Notice;

#[component]
pub fn SsoRequestedPage() -> impl IntoView {
    view! {
        <Title text="Request sent" />
        <PublicFrame>
            <div class="mx-auto max-w-md">
                <h1 class="text-3xl font-bold text-slate-900">"Your request has been sent"</h1>
                <Notice>
                    "Your organisation confirmed who you are. The clinic's administrators now decide what you can do in HMS; you will get an email when they have."
                </Notice>
                <p class="mt-4">
                    <a
                        href="/login"
                        class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                    >
                        "Back to sign in"
                    </a>
                </p>
            </div>
        </PublicFrame>
    }
}
