//! The front desk's live day (on `/c/{slug}/reception`): today's counts and
//! the queue by department, with the slip of each visit and what the desk
//! may do with it. Filters are a plain GET form, and "Refresh" a link, so
//! all of it works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::queue_table::QueueTable;
use super::{DeskVisitAction, front_desk_queue};
use crate::app::frame::{AccessError, LiveRegions, use_slug};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::Pagination;
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;
use crate::components::stat_tile::StatTile;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
use crate::domain::url::with_query;
use crate::domain::visits::{DeskQueue, QueueEntry, Showing, VisitStatus};

#[component]
pub fn DeskQueueSection() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let department = Memo::new(move |_| q.with(|m| m.get("department").unwrap_or_default()));
    let showing = Memo::new(move |_| Showing::from_query(q.with(|m| m.get("showing")).as_deref()));
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), department.get(), showing.get(), page.get()),
        |(s, d, sh, p)| front_desk_queue(s, d, sh.as_str().to_string(), p),
    );
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading today's queue…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        view! {
                            <DeskDay
                                day=d
                                department=department.get_untracked()
                                showing=showing.get_untracked()
                            />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeskDay(day: DeskQueue, department: String, showing: Showing) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let here = format!("/c/{slug}/reception");
    let c = day.counts;
    let position = day.visits.position();
    let (dept, show) = (department.clone(), showing.as_str());
    let page_href = {
        let here = here.clone();
        Callback::new(move |p: u32| {
            let p = if p > 1 { p.to_string() } else { String::new() };
            with_query(
                &here,
                &[("department", &dept), ("showing", show), ("page", &p)],
            )
        })
    };
    let refresh = with_query(
        &here,
        &[("department", &department), ("showing", showing.as_str())],
    );
    let act = ServerAction::<DeskVisitAction>::new();
    let rows: Vec<_> = day
        .visits
        .items
        .into_iter()
        .map(|e| {
            let acts = desk_actions(act, &slug, &e);
            (e, acts)
        })
        .collect();
    view! {
        <section aria-labelledby="today-title" class="mt-8">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 id="today-title" class="text-2xl font-bold text-slate-900">
                    "Today"
                </h2>
                <a href=refresh class="font-semibold text-teal-800 underline">
                    "Refresh"
                </a>
            </div>
            <LiveRegions
                source=format!("/live/{slug}")
                targets=vec!["desk-counts".to_string(), "desk-queue".to_string()]
            />
            <div id="desk-counts" class="mt-4 grid grid-cols-2 gap-3 md:grid-cols-4">
                <StatTile label="Checked in" value=c.checked_in.to_string() />
                <StatTile label="Waiting" value=c.waiting.to_string() />
                <StatTile label="In consultation" value=c.in_consultation.to_string() />
                <StatTile label="Completed" value=c.completed.to_string() />
            </div>
            <Card title="Queue" class="mt-4">
                <form method="get" action=here.clone() class="mb-4 flex flex-wrap items-end gap-3">
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-900">
                        "Department"
                        <select
                            name="department"
                            class="min-h-11 rounded-lg border border-slate-400 bg-white px-3 text-base"
                        >
                            <option value="" selected=department.is_empty()>
                                "All departments"
                            </option>
                            {day
                                .departments
                                .into_iter()
                                .map(|(id, name)| {
                                    let id = id.to_string();
                                    let selected = id == department;
                                    view! {
                                        <option value=id selected=selected>
                                            {name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-900">
                        "Show"
                        <select
                            name="showing"
                            class="min-h-11 rounded-lg border border-slate-400 bg-white px-3 text-base"
                        >
                            <option value="active" selected=showing == Showing::Active>
                                "Waiting and with a doctor"
                            </option>
                            <option value="all" selected=showing == Showing::All>
                                "Every visit today"
                            </option>
                        </select>
                    </label>
                    <Button r#type="submit" variant=ButtonVariant::Secondary>
                        "Show"
                    </Button>
                </form>
                <div id="desk-queue">
                    {if rows.is_empty() {
                        view! {
                            <EmptyState
                                title="No one in the queue"
                                message="Patients appear here when they are checked in."
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <QueueTable caption="Today's visits" slug=slug.clone() entries=rows />
                            <Pagination position=position href=page_href />
                        }
                            .into_any()
                    }}
                </div>
            </Card>
        </section>
    }
}

fn desk_actions(act: ServerAction<DeskVisitAction>, slug: &str, e: &QueueEntry) -> AnyView {
    let slip = format!("/c/{slug}/visits/{}/slip", e.visit_id);
    let open = matches!(e.status, VisitStatus::Waiting | VisitStatus::Called);
    let forms = open.then(|| {
        let id = e.visit_id.to_string();
        let who = format!("{} (token {})", e.patient_name, e.token);
        [
            ("left", "Left", "Left without being seen"),
            ("cancel", "Cancel", "Cancel the visit of"),
        ]
        .into_iter()
        .map(|(action, short, long)| {
            let (slug, id, label) = (slug.to_string(), id.clone(), format!("{long}: {who}"));
            view! {
                <ActionForm action=act>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="action" value=action />
                    <Button r#type="submit" variant=ButtonVariant::Secondary>
                        <span class="sr-only">{label}</span>
                        <span aria-hidden="true">{short}</span>
                    </Button>
                </ActionForm>
            }
        })
        .collect_view()
    });
    view! {
        <div class="flex flex-wrap items-center gap-2">
            <a
                href=slip
                aria-label=format!("Slip, token {}", e.token)
                class="font-semibold text-teal-800 underline"
            >
                "Slip"
            </a>
            {forms}
        </div>
    }
    .into_any()
}
