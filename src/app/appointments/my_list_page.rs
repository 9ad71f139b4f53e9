//! `/c/{slug}/my-appointments`: the patient's appointments in the portal:
//! those to come (with the doctor, and "Cancel appointment" while the
//! clinic's notice allows), then those that have been, and "Book
//! appointment".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::own_appointments;
use super::status::status_tone;
use crate::app::frame::{AccessError, use_slug};
use crate::components::badge::Badge;
use crate::components::button::LinkButton;
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::empty_state::EmptyState;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentSummary, MyAppointments, notice_label};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::url::with_query;

#[component]
pub fn MyAppointmentsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let said = Memo::new(move |_| {
        q.with(|m| {
            if m.get("booked").is_some() {
                Some("Your appointment is booked.")
            } else if m.get("cancelled").is_some() {
                Some("Your appointment is cancelled.")
            } else {
                None
            }
        })
    });
    let data = Resource::new(
        move || (slug.get(), page.get()),
        |(s, p)| own_appointments(s, p),
    );
    view! {
        <Title text="My appointments" />
        <h1 class="text-3xl font-bold text-slate-900">"My appointments"</h1>
        {move || said.get().map(|m| view! { <Notice>{m}</Notice> })}
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading your appointments…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(m) => view! { <MineView mine=m /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MineView(mine: MyAppointments) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let notice = notice_label(mine.cancel_notice_minutes);
    let position = mine.past.position();
    let here = format!("/c/{slug}/my-appointments");
    let page_href = Callback::new(move |p: u32| {
        let p = if p > 1 { p.to_string() } else { String::new() };
        with_query(&here, &[("page", &p)])
    });
    let upcoming = mine.upcoming;
    let past = mine.past.items;
    let book = match mine.booking_paused {
        Some(paused) => view! {
            <Notice tone=NoticeTone::Warning>
                {format!("{} Please call the clinic to book.", paused.sentence())}
            </Notice>
        }
        .into_any(),
        None => view! { <LinkButton href=format!("/c/{slug}/my-appointments/new")>"Book appointment"</LinkButton> }
        .into_any(),
    };
    view! {
        <div class="mt-3">{book}</div>
        <Card title="Coming up" class="mt-6">
            <p class="mb-3 text-slate-700">
                {format!(
                    "You can cancel online up to {notice} before an appointment; after that, please call the clinic.",
                )}
            </p>
            {if upcoming.is_empty() {
                view! {
                    <EmptyState
                        title="No appointments booked"
                        message="Book one when you need to see a doctor."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <ul class="flex flex-col gap-3">
                        {upcoming
                            .into_iter()
                            .map(|m| {
                                let a = m.appointment;
                                let open = format!("/c/{slug}/my-appointments/{}", a.id);
                                let label = if m.may_cancel {
                                    "Details or cancel"
                                } else {
                                    "Details"
                                };
                                view! {
                                    <li class="rounded-lg border border-slate-300 p-3">
                                        <p class="font-semibold text-slate-900">
                                            <time datetime=a.starts.machine()>{a.starts.full()}</time>
                                        </p>
                                        <p class="text-slate-700">
                                            {format!("{} · {}", a.doctor, a.department)}
                                        </p>
                                        {(!a.reason.is_empty())
                                            .then(|| {
                                                view! { <p class="text-slate-700">{a.reason.clone()}</p> }
                                            })}
                                        <a
                                            href=open
                                            aria-label=format!(
                                                "{label}: appointment on {}",
                                                a.starts.compact(),
                                            )
                                            class="mt-2 inline-block font-semibold text-teal-800 underline"
                                        >
                                            {label}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </Card>
        <Card title="Past and cancelled" class="mt-6">
            {if past.is_empty() {
                view! {
                    <EmptyState title="Nothing yet" message="Your past appointments appear here." />
                }
                    .into_any()
            } else {
                view! {
                    <PastTable rows=past />
                    <Pagination position=position href=page_href />
                }
                    .into_any()
            }}
        </Card>
    }
}

#[component]
fn PastTable(rows: Vec<AppointmentSummary>) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Past appointments"
            columns=vec![Column::plain("When"), Column::plain("With"), Column::plain("Status")]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort
        >
            {rows
                .into_iter()
                .map(|a| {
                    view! {
                        <tr>
                            <td data-label="When">
                                <time datetime=a.starts.machine()>{a.starts.compact()}</time>
                            </td>
                            <td data-label="With">
                                {a.doctor.clone()}
                                <span class="block text-sm text-slate-700">
                                    {a.department.clone()}
                                </span>
                            </td>
                            <td data-label="Status">
                                <Badge tone=status_tone(a.status)>{a.status.label()}</Badge>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
