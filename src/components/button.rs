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
    fn classes(self) -> &'static str {
        match self {
            ButtonVariant::Primary => {
                "bg-teal-700 text-white hover:bg-teal-800 border border-teal-700"
            }
            ButtonVariant::Secondary => {
                "bg-white text-slate-900 hover:bg-slate-100 border border-slate-400"
            }
            ButtonVariant::Danger => "bg-red-700 text-white hover:bg-red-800 border border-red-700",
            ButtonVariant::Ghost => {
                "bg-transparent text-teal-800 hover:bg-teal-50 border border-transparent"
            }
        }
    }
}

pub fn button_classes(variant: ButtonVariant) -> String {
    format!(
        "inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-lg px-4 py-2 \
         text-base font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60 \
         {} {}",
        variant.classes(),
        super::FOCUS_RING
    )
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
            class=button_classes(variant)
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
        <a href=href class=button_classes(variant)>
            {children()}
        </a>
    }
}
