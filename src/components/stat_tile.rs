use leptos::prelude::*;

/// One headline number on a dashboard.
#[component]
pub fn StatTile(
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4">
            <p class="text-sm font-medium text-slate-600">{label}</p>
            <p class="mt-1 text-3xl font-bold tabular-nums text-slate-900">{value}</p>
            {hint.map(|h| view! { <p class="mt-1 text-sm text-slate-600">{h}</p> })}
        </div>
    }
}
