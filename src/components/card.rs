use leptos::prelude::*;

#[component]
pub fn Card(
    #[prop(optional, into)] title: Option<String>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=format!(
            "rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:p-6 {class}",
        )>
            {title
                .map(|t| view! { <h2 class="mb-3 text-lg font-semibold text-slate-900">{t}</h2> })}
            {children()}
        </section>
    }
}
