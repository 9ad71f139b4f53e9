//! The clinic's latest audit events, a card on the admin's dashboard.

use leptos::prelude::*;

use super::recent_audit_events;
use super::table::AuditTable;
use crate::app::frame::{Loaded, use_slug};
use crate::components::card::Card;

#[component]
pub fn RecentAuditCard() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), recent_audit_events);
    let audit_href = move || format!("/c/{}/audit", slug.get());
    view! {
        <Card title="Recent audit events" class="mt-6">
            <Loaded
                data=data
                loading="Loading recent audit events…"
                rows=4
                render=|entries| view! { <AuditTable entries=entries show_clinic=false /> }
            />
            <a
                href=audit_href
                class="mt-3 inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
            >
                "Open the full audit log"
            </a>
        </Card>
    }
}
