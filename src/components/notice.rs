//! A status banner above a page's content: what an action just did, or
//! something the person should know before going on.

use leptos::prelude::*;

/// How a notice reads: done (teal), take note (amber), or failed (red).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeTone {
    #[default]
    Success,
    Warning,
    Error,
}

/// A banner announced to screen readers: politely as a status, or at once
/// as an alert for a failure.
#[component]
pub fn Notice(#[prop(optional)] tone: NoticeTone, children: Children) -> impl IntoView {
    let (role, class) = match tone {
        NoticeTone::Success => (
            "status",
            "mt-4 rounded-xl border border-teal-300 bg-teal-50 p-4 text-teal-950",
        ),
        NoticeTone::Warning => (
            "status",
            "mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950",
        ),
        NoticeTone::Error => (
            "alert",
            "mt-4 rounded-xl border border-red-300 bg-red-50 p-4 text-red-950",
        ),
    };
    view! {
        <p role=role class=class>
            {children()}
        </p>
    }
}
