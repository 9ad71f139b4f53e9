use leptos::prelude::*;

/// A titled form section: fields stack on tablets and sit two abreast on wide screens.
#[component]
pub fn FormLayout(
    #[prop(into)] title: String,
    #[prop(optional, into)] description: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-4 md:p-6">
            <h2 class="text-lg font-semibold text-slate-900">{title}</h2>
            {description.map(|d| view! { <p class="mt-1 text-sm text-slate-600">{d}</p> })}
            <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">{children()}</div>
        </section>
    }
}

/// The row of actions under a form, primary action last (nearest the thumb).
#[component]
pub fn FormActions(children: Children) -> impl IntoView {
    view! { <div class="mt-4 flex flex-wrap justify-end gap-3">{children()}</div> }
}
