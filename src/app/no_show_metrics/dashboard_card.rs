//! "No-shows" on the clinic admin's dashboard: the share of the last 30
//! days' due appointments the patients missed, and a way to the report.

use leptos::prelude::*;

use super::no_show_rate_card;
use crate::app::frame::{Loaded, use_slug};
use crate::components::card::Card;
use crate::components::stat_tile::StatTile;
use crate::domain::no_show_metrics::NoShowCard;

#[component]
pub fn NoShowCardView() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), no_show_rate_card);
    view! {
        <Card title="No-shows" class="mt-4">
            <Loaded
                data=data
                loading="Loading the no-show rate…"
                render=move |card| view! { <Rate card=card slug=slug.get_untracked() /> }
            />
        </Card>
    }
}

#[component]
fn Rate(card: NoShowCard, slug: String) -> impl IntoView {
    view! {
        <div class="grid grid-cols-1 gap-3 md:grid-cols-2">
            <StatTile
                label="No-show rate, last 30 days"
                value=card.rate.percent()
                hint=card.rate.summary()
            />
            <div class="flex items-center">
                <a
                    href=format!("/c/{slug}/no-shows")
                    class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                >
                    "No-shows by doctor and patient"
                </a>
            </div>
        </div>
    }
}
