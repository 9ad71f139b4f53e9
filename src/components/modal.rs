//! A dialog opened and closed in the browser: for use inside an island.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use super::icons::CloseIcon;

/// A modal dialog: focus moves into it when it opens, Escape or the close
/// button dismisses it, and the page behind is inert to pointer input.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    children: ChildrenFn,
) -> impl IntoView {
    let close_button = NodeRef::<html::Button>::new();
    let handle = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = close_button.get()
        {
            let _ = button.focus();
        }
    });
    let title_id = "modal-title";
    view! {
        <Show when=move || open.get()>
            <div class="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/60 p-4">
                <div
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby=title_id
                    class="w-full max-w-lg rounded-xl bg-white p-6 shadow-xl"
                >
                    <div class="flex items-start justify-between gap-4">
                        <h2 id=title_id class="text-xl font-semibold text-slate-900">
                            {title.clone()}
                        </h2>
                        <button
                            node_ref=close_button
                            type="button"
                            aria-label="Close"
                            class=format!(
                                "inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 {}",
                                super::FOCUS_RING,
                            )
                            on:click=move |_| open.set(false)
                        >
                            <CloseIcon />
                        </button>
                    </div>
                    <div class="mt-4">{children()}</div>
                </div>
            </div>
        </Show>
    }
}
