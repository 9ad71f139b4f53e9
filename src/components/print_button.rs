//! "Print": an island, as printing is the browser's. Without JavaScript the
//! page says to use the browser's own Print instead.

use leptos::prelude::*;

use crate::components::button::{Button, ButtonVariant};

#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let print = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    view! {
        <span class="print:hidden">
            <noscript>"Use your browser's Print to print this page."</noscript>
            <Button variant=ButtonVariant::Secondary on_click=print>
                {label}
            </Button>
        </span>
    }
}
