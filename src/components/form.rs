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

/// For a GET `<Form>`: with JavaScript, leptos adds the submit button to the
/// query even when it has no name, as a stray `&=`; this drops it, so the
/// address is the one a browser without JavaScript makes.
pub fn without_unnamed_fields() -> std::sync::Arc<dyn Fn(&leptos::web_sys::FormData)> {
    std::sync::Arc::new(|data| data.delete(""))
}

/// A form that empties itself once its action succeeds (an invitation
/// sent), so what it shows is the saved state, not the values just typed.
/// Without JavaScript the page after the post is rendered anew, empty.
pub fn reset_on_success<A>(action: ServerAction<A>) -> NodeRef<leptos::html::Form>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = crate::domain::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(())))
            && let Some(f) = form.get_untracked()
        {
            f.reset();
        }
    });
    form
}
