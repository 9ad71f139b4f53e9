//! The patients area's cards on the role dashboards.

use leptos::prelude::*;

use super::{patient_count, recently_viewed_patients};
use crate::app::frame::{Loaded, use_slug};
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::stat_tile::StatTile;
use crate::domain::patients::PatientSummary;

/// The clinic's number of registered patients (the admin's dashboard).
#[component]
pub fn PatientCountTile() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), patient_count);
    view! {
        <Loaded
            data=data
            loading="Counting patients…"
            rows=1
            render=|n| view! { <StatTile label="Registered patients" value=n.to_string() /> }
        />
    }
}

/// The patients the signed-in member opened lately (the team dashboards).
#[component]
pub fn RecentlyViewedCard() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), recently_viewed_patients);
    view! {
        <Card title="Recently viewed patients">
            <Loaded
                data=data
                loading="Loading recently viewed patients…"
                render=move |seen| {
                    view! { <RecentlyViewedList seen=seen slug=slug.get_untracked() /> }
                }
            />
        </Card>
    }
}

#[component]
fn RecentlyViewedList(seen: Vec<PatientSummary>, slug: String) -> impl IntoView {
    if seen.is_empty() {
        return view! { <EmptyState title="None yet" message="Patients you open appear here." /> }
            .into_any();
    }
    view! {
        <ul class="divide-y divide-slate-200" aria-label="Recently viewed patients">
            {seen
                .into_iter()
                .map(|p| {
                    let href = format!("/c/{slug}/patients/{}", p.id);
                    view! {
                        <li class="flex min-h-11 items-center justify-between gap-2 py-2">
                            <a href=href class="font-semibold text-teal-800 underline">
                                {format!("{} {}", p.given_name, p.family_name)}
                            </a>
                            <span class="text-sm tabular-nums text-slate-700">
                                {p.patient_number}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
