//! "Waiting for triage" on the nurse's dashboard: today's patients waiting
//! (or called) with no vital signs taken yet, each with "Record vitals".
//! Kept current as patients are checked in (`LiveRegions`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::awaiting_triage;
use crate::app::frame::{AccessError, LiveRegions, use_slug};
use crate::app::visits::QueueTable;
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;

#[component]
pub fn TriageCard() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let recorded = move || q.with(|m| m.get("recorded").is_some());
    let data = Resource::new(move || slug.get(), |s| awaiting_triage(s, 1));
    view! {
        <section aria-labelledby="triage-title" class="min-w-0 lg:col-span-2">
            <Card>
                <div class="flex flex-wrap items-center justify-between gap-3">
                    <h2 id="triage-title" class="text-xl font-bold text-slate-900">
                        "Waiting for triage"
                    </h2>
                    <a
                        href=move || format!("/c/{}/nurse", slug.get())
                        class="font-semibold text-teal-800 underline"
                    >
                        "Refresh"
                    </a>
                </div>
                {move || recorded().then(|| view! { <Notice>"Vital signs saved."</Notice> })}
                <div id="triage-queue" class="mt-4">
                    <Suspense fallback=|| {
                        view! { <Skeleton rows=4 label="Loading…" /> }
                    }>
                        {move || Suspend::new(async move {
                            let s = slug.get_untracked();
                            match data.await {
                                Ok(page) if page.items.is_empty() => {
                                    view! {
                                        <EmptyState
                                            title="No one waiting for triage"
                                            message="Patients checked in today appear here until their vital signs are taken."
                                        />
                                    }
                                        .into_any()
                                }
                                Ok(page) => {
                                    let rows = page
                                        .items
                                        .into_iter()
                                        .map(|e| {
                                            let href = format!("/c/{s}/visits/{}/vitals", e.visit_id);
                                            let label = format!(
                                                "Record vitals: {} (token {})",
                                                e.patient_name,
                                                e.token,
                                            );
                                            let act = view! {
                                                <a
                                                    href=href
                                                    aria-label=label
                                                    class="font-semibold text-teal-800 underline"
                                                >
                                                    "Record vitals"
                                                </a>
                                            }
                                                .into_any();
                                            (e, act)
                                        })
                                        .collect();
                                    view! {
                                        <QueueTable
                                            caption="Patients waiting for triage"
                                            slug=s
                                            entries=rows
                                        />
                                    }
                                        .into_any()
                                }
                                Err(e) => view! { <AccessError error=e /> }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
                <LiveRegions
                    source=format!("/live/{}", slug.get_untracked())
                    targets=vec!["triage-queue".to_string()]
                />
            </Card>
        </section>
    }
}
