use leptos::prelude::*;

#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(optional, into)] message: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center gap-2 rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
            <p class="text-lg font-semibold text-slate-900">{title}</p>
            {message.map(|m| view! { <p class="max-w-prose text-slate-600">{m}</p> })}
            {children.map(|c| c())}
        </div>
    }
}
