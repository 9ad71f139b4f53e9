//! A set of vital signs as a line of readings; abnormal ones say so in
//! words (not colour alone).

use leptos::prelude::*;

use crate::domain::vitals::{Flag, Vitals, readings};

#[component]
pub fn Readings(vitals: Vitals, #[prop(default = true)] adult: bool) -> impl IntoView {
    view! {
        <ul class="flex flex-wrap gap-x-3 gap-y-1 text-sm" aria-label="Vital signs">
            {readings(&vitals, adult)
                .into_iter()
                .map(|r| {
                    let (class, note) = match r.flag {
                        Flag::Normal => ("text-slate-800", ""),
                        Flag::High => ("font-semibold text-red-800", " (high)"),
                        Flag::Low => ("font-semibold text-red-800", " (low)"),
                    };
                    view! { <li class=class>{format!("{} {}{note}", r.label, r.value)}</li> }
                })
                .collect_view()}
        </ul>
    }
}
