//! The day calendar's free times, for the front desk: with a department
//! chosen (and a doctor, or whichever is free), each free time links to the
//! booking page with that time picked, where the desk finds the patient.

use leptos::prelude::*;

use super::booking_choices;
use super::booking_parts::closed_message;
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::OfferedSlot;
use crate::domain::url::with_query;

#[component]
pub fn CalendarFreeTimes(
    slug: String,
    department: String,
    doctor: String,
    day: String,
) -> impl IntoView {
    if department.is_empty() {
        return view! {
            <p class="mt-3 text-slate-700">
                "Choose a department (and a doctor, if the patient asks for one) to see its free times here."
            </p>
        }
        .into_any();
    }
    let (d, dep, doc, s) = (
        day.clone(),
        department.clone(),
        doctor.clone(),
        slug.clone(),
    );
    let times = Resource::new(
        move || (s.clone(), dep.clone(), doc.clone(), d.clone()),
        |(s, dep, doc, d)| booking_choices(s, String::new(), dep, doc, d, String::new()),
    );
    let book = StoredValue::new((slug, department, doctor, day));
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=2 label="Loading the free times…" /> }
        }>
            {move || Suspend::new(async move {
                match times.await {
                    Ok(page) if page.slots.is_empty() => {
                        let why = closed_message(&page)
                            .unwrap_or_else(|| {
                                "Nothing is free this day with these filters.".into()
                            });
                        view! { <EmptyState title="No free times" message=why /> }.into_any()
                    }
                    Ok(page) => {
                        let (slug, dep, doc, day) = book.get_value();
                        view! {
                            <ul class="mt-3 grid grid-cols-2 gap-2 md:grid-cols-4 lg:grid-cols-6">
                                {page
                                    .slots
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <FreeTime
                                                slug=slug.clone()
                                                dep=dep.clone()
                                                doc=doc.clone()
                                                day=day.clone()
                                                free=s
                                            />
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn FreeTime(
    slug: String,
    dep: String,
    doc: String,
    day: String,
    free: OfferedSlot,
) -> impl IntoView {
    let href = with_query(
        &format!("/c/{slug}/appointments/new"),
        &[
            ("department", &dep),
            ("doctor", &doc),
            ("day", &day),
            ("at", &free.starts.utc.to_rfc3339()),
        ],
    );
    view! {
        <li>
            <a
                href=href
                class="flex min-h-11 flex-col rounded-lg border border-slate-300 p-2 text-teal-800 hover:bg-teal-50"
            >
                <span class="font-semibold tabular-nums underline">
                    <span class="sr-only">"Book "</span>
                    {free.starts.clock()}
                </span>
                <span class="text-sm text-slate-700">{free.doctor}</span>
            </a>
        </li>
    }
}
