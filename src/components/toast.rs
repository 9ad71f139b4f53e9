//! Short confirmations ("Saved") that announce themselves politely and fade
//! after a few seconds. Errors belong next to what failed, not in a toast.
//! They live in the browser, so only inside an island: provide them there
//! (`provide_toasts`) with a `ToastRegion` beside them.

use std::time::Duration;

use leptos::prelude::*;

use super::badge::Tone;

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    id: u64,
    tone: Tone,
    message: String,
}

#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

const VISIBLE_FOR: Duration = Duration::from_secs(6);

impl Toasts {
    pub fn push(&self, tone: Tone, message: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                tone,
                message: message.into(),
            })
        });
        let items = self.items;
        set_timeout(
            move || items.update(|items| items.retain(|t| t.id != id)),
            VISIBLE_FOR,
        );
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }
}

pub fn provide_toasts() {
    provide_context(Toasts {
        items: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    });
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_else(|| {
        provide_toasts();
        expect_context::<Toasts>()
    })
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div
            role="status"
            aria-live="polite"
            class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
        >
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div class=format!(
                    "pointer-events-auto flex w-full max-w-md items-center justify-between gap-3 rounded-xl border px-4 py-2 shadow-lg {}",
                    match toast.tone {
                        Tone::Success => "border-emerald-300 bg-emerald-50 text-emerald-900",
                        Tone::Danger => "border-red-300 bg-red-50 text-red-900",
                        Tone::Warning => "border-amber-300 bg-amber-50 text-amber-900",
                        _ => "border-slate-300 bg-white text-slate-900",
                    },
                )>
                    <span>{toast.message.clone()}</span>
                    <button
                        type="button"
                        aria-label="Dismiss"
                        class=format!(
                            "inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg {}",
                            super::FOCUS_RING,
                        )
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
