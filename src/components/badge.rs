use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Info,
    Success,
    Warning,
    Danger,
}

impl Tone {
    /// Its classes (style/tailwind.css).
    fn classes(self) -> &'static str {
        match self {
            Tone::Neutral => "badge badge-neutral",
            Tone::Info => "badge badge-info",
            Tone::Success => "badge badge-success",
            Tone::Warning => "badge badge-warning",
            Tone::Danger => "badge badge-danger",
        }
    }
}

/// A short status label. Colour is never the only signal: the text says it.
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! { <span class=tone.classes()>{children()}</span> }
}
