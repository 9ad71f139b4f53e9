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
    fn classes(self) -> &'static str {
        match self {
            Tone::Neutral => "bg-slate-100 text-slate-800 border-slate-300",
            Tone::Info => "bg-sky-50 text-sky-900 border-sky-300",
            Tone::Success => "bg-emerald-50 text-emerald-900 border-emerald-300",
            Tone::Warning => "bg-amber-50 text-amber-900 border-amber-300",
            Tone::Danger => "bg-red-50 text-red-900 border-red-300",
        }
    }
}

/// A short status label. Colour is never the only signal: the text says it.
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! {
        <span class=format!(
            "inline-flex items-center rounded-full border px-2.5 py-0.5 text-sm font-medium {}",
            tone.classes(),
        )>{children()}</span>
    }
}
