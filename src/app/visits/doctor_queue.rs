//! "Today's queue" on the doctor's dashboard: the patients with the doctor
//! or called to them, then those waiting (their own and their department's
//! unassigned ones; emergencies first, then by token). "Call next" calls
//! the next one; a called patient's consultation starts, or they did not
//! come; a consultation is completed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::queue_table::QueueTable;
use super::{CallNext, DoctorVisitAction, my_queue};
use crate::app::frame::{AccessError, LiveRegions, use_slug};
use crate::components::action_errors::FormAlert;
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::Pagination;
use crate::components::empty_state::EmptyState;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
use crate::domain::url::with_query;
use crate::domain::visits::{DoctorQueue, QueueEntry, VisitStatus, token_label};

#[component]
pub fn DoctorQueueCard() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let called = move || q.with(|m| m.get("called"));
    let data = Resource::new(move || (slug.get(), page.get()), |(s, p)| my_queue(s, p));
    view! {
        <section aria-labelledby="queue-title" class="min-w-0 lg:col-span-2">
            <Card>
                <div class="flex flex-wrap items-center justify-between gap-3">
                    <h2 id="queue-title" class="text-xl font-bold text-slate-900">
                        "Today's queue"
                    </h2>
                    <a
                        href=move || format!("/c/{}/doctor", slug.get())
                        class="font-semibold text-teal-800 underline"
                    >
                        "Refresh"
                    </a>
                </div>
                {move || {
                    called()
                        .map(|c| match c.parse::<i32>() {
                            Ok(t) => {
                                view! {
                                    <Notice>
                                        {format!(
                                            "{} called: it shows on the display.",
                                            token_label(t),
                                        )}
                                    </Notice>
                                }
                                    .into_any()
                            }
                            Err(_) => {
                                view! {
                                    <Notice tone=NoticeTone::Warning>"No one is waiting."</Notice>
                                }
                                    .into_any()
                            }
                        })
                }}
                <div id="doctor-queue">
                    <Suspense fallback=|| {
                        view! { <Skeleton rows=4 label="Loading your queue…" /> }
                    }>
                        {move || Suspend::new(async move {
                            match data.await {
                                Ok(queue) => view! { <Queue queue=queue /> }.into_any(),
                                Err(e) => view! { <AccessError error=e /> }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
                <LiveRegions
                    source=format!("/live/{}", slug.get_untracked())
                    targets=vec!["doctor-queue".to_string()]
                />
            </Card>
        </section>
    }
}

#[component]
fn Queue(queue: DoctorQueue) -> impl IntoView {
    let slug = use_slug().get_untracked();
    if queue.department.is_none() {
        return view! {
            <EmptyState
                title="No department"
                message="Your clinic admin can add you to a department; its queue then shows here."
            />
        }
        .into_any();
    }
    let call = ServerAction::<CallNext>::new();
    let act = ServerAction::<DoctorVisitAction>::new();
    let call_error = Signal::derive(move || {
        call.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let act_error = Signal::derive(move || {
        act.value().get().and_then(Result::err).map(|e| {
            e.field_message("form")
                .map_or_else(|| e.to_string(), str::to_owned)
        })
    });
    let position = queue.visits.position();
    let here = format!("/c/{slug}/doctor");
    let href = Callback::new(move |p: u32| {
        let p = if p > 1 { p.to_string() } else { String::new() };
        with_query(&here, &[("page", &p)])
    });
    let rows: Vec<_> = queue
        .visits
        .items
        .into_iter()
        .map(|e| {
            let acts = doctor_actions(act, &slug, &e);
            (e, acts)
        })
        .collect();
    let form_slug = slug.clone();
    view! {
        <p class="mt-1 text-slate-700">{queue.department.unwrap_or_default()}</p>
        <FormAlert message=call_error />
        <FormAlert message=act_error />
        <ActionForm action=call attr:class="mt-3">
            <input type="hidden" name="slug" value=form_slug />
            <Button r#type="submit" loading=call.pending()>
                "Call next"
            </Button>
        </ActionForm>
        <div class="mt-4">
            {if rows.is_empty() {
                view! {
                    <EmptyState
                        title="No one waiting"
                        message="Patients checked in to your department appear here."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <QueueTable caption="Today's queue" slug=slug entries=rows />
                    <Pagination position=position href=href />
                }
                    .into_any()
            }}
        </div>
    }
    .into_any()
}

fn doctor_actions(act: ServerAction<DoctorVisitAction>, slug: &str, e: &QueueEntry) -> AnyView {
    let moves: &[(&str, &str, ButtonVariant)] = match e.status {
        VisitStatus::Called => &[
            ("start", "Start consultation", ButtonVariant::Primary),
            ("no_show", "No show", ButtonVariant::Secondary),
        ],
        VisitStatus::InConsultation => &[("complete", "Complete visit", ButtonVariant::Primary)],
        _ => &[],
    };
    let who = format!("{} (token {})", e.patient_name, e.token);
    let id = e.visit_id.to_string();
    view! {
        <div class="flex flex-wrap gap-2">
            {moves
                .iter()
                .map(|(action, label, variant)| {
                    let (slug, id, full) = (
                        slug.to_string(),
                        id.clone(),
                        format!("{label}: {who}"),
                    );
                    view! {
                        <ActionForm action=act>
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value=*action />
                            <Button r#type="submit" variant=*variant>
                                <span class="sr-only">{full}</span>
                                <span aria-hidden="true">{*label}</span>
                            </Button>
                        </ActionForm>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}
