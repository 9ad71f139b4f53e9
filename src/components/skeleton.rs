use leptos::prelude::*;

/// Placeholder rows while data loads; hidden from screen readers, which hear
/// the busy region's label instead.
#[component]
pub fn Skeleton(
    #[prop(default = 3)] rows: usize,
    #[prop(into, default = "Loading…".into())] label: String,
) -> impl IntoView {
    view! {
        <div role="status" aria-label=label class="flex flex-col gap-3">
            {(0..rows)
                .map(|_| {
                    view! {
                        <div
                            class="h-11 animate-pulse rounded-lg bg-slate-200"
                            aria-hidden="true"
                        ></div>
                    }
                })
                .collect_view()}
        </div>
    }
}
