use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonVariant {
    #[default]
    Primary,
    Secondary,
    Danger,
    Ghost,
}

impl ButtonVariant {
    /// Its classes (style/tailwind.css): the shape and focus ring of every
    /// button, and this variant's colours.
    pub fn classes(self) -> &'static str {
        match self {
            ButtonVariant::Primary => "btn btn-primary",
            ButtonVariant::Secondary => "btn btn-secondary",
            ButtonVariant::Danger => "btn btn-danger",
            ButtonVariant::Ghost => "btn btn-ghost",
        }
    }
}

/// A button; while `loading` it is disabled, says so to screen readers and
/// shows a spinner, so a double tap cannot submit twice.
#[component]
pub fn Button(
    #[prop(optional)] variant: ButtonVariant,
    #[prop(optional, into)] loading: Signal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = "button")] r#type: &'static str,
    #[prop(optional)] on_click: Option<Callback<()>>,
    #[prop(optional, into)] name: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=r#type
            class=variant.classes()
            name=name
            value=value
            disabled=move || loading.get() || disabled.get()
            aria-busy=move || loading.get().then_some("true")
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            <Show when=move || loading.get()>
                <span
                    class="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
                    aria-hidden="true"
                ></span>
            </Show>
            {children()}
        </button>
    }
}

/// A link styled as a button, for navigation that works without JavaScript.
#[component]
pub fn LinkButton(
    #[prop(into)] href: String,
    #[prop(optional)] variant: ButtonVariant,
    children: Children,
) -> impl IntoView {
    view! {
        <a href=href class=variant.classes()>
            {children()}
        </a>
    }
}
