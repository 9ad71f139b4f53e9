//! A few inline icons; decorative, so hidden from assistive technology.

use leptos::prelude::*;

#[component]
pub fn LogoMark(#[prop(default = "size-8")] class: &'static str) -> impl IntoView {
    view! {
        <svg class=class viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="#0f766e"></rect>
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff"></path>
        </svg>
    }
}

#[component]
pub fn MenuIcon() -> impl IntoView {
    view! {
        <svg
            class="size-6"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            aria-hidden="true"
        >
            <path d="M4 6h16M4 12h16M4 18h16"></path>
        </svg>
    }
}

#[component]
pub fn CloseIcon() -> impl IntoView {
    view! {
        <svg
            class="size-6"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            aria-hidden="true"
        >
            <path d="M6 6l12 12M18 6L6 18"></path>
        </svg>
    }
}
