//! `/c/{slug}/appointments`: a day of the clinic's appointments, by time,
//! filtered by department and doctor with a plain GET form (the day moves
//! by links), so it all works without JavaScript. The front desk books
//! from here (a department's free times link to the booking page); the
//! clinical staff see their day.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::appointments_of_day;
use super::calendar_controls::CalendarControls;
use super::calendar_free_times::CalendarFreeTimes;
use super::status::status_tone;
use crate::app::frame::{AccessError, use_slug};
use crate::components::badge::Badge;
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentDay, AppointmentSummary};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::url::with_query;

#[component]
pub fn AppointmentsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| q.with(|m| m.get(k).unwrap_or_default()));
    let (day, department, doctor) = (get("day"), get("department"), get("doctor"));
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || {
            (
                slug.get(),
                day.get(),
                department.get(),
                doctor.get(),
                page.get(),
            )
        },
        |(s, d, dep, doc, p)| appointments_of_day(s, d, dep, doc, p),
    );
    view! {
        <Title text="Appointments" />
        <h1 class="text-3xl font-bold text-slate-900">"Appointments"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the appointments…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DayView day=d /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Monday 7 December 2026", with "Today" said where it is.
fn day_heading(day: NaiveDate, today: NaiveDate) -> String {
    let long = day.format("%A %-d %B %Y").to_string();
    match (day - today).num_days() {
        0 => format!("Today, {long}"),
        1 => format!("Tomorrow, {long}"),
        _ => long,
    }
}

#[component]
fn DayView(day: AppointmentDay) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let here = format!("/c/{slug}/appointments");
    let dep = day.department_id.map(|d| d.to_string()).unwrap_or_default();
    let doc = day
        .doctor_user_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    let link_to = {
        let (here, dep, doc) = (here.clone(), dep.clone(), doc.clone());
        move |d: NaiveDate| {
            with_query(
                &here,
                &[
                    ("day", &d.to_string()),
                    ("department", &dep),
                    ("doctor", &doc),
                ],
            )
        }
    };
    let (previous, next, today) = (
        link_to(day.day - Duration::days(1)),
        link_to(day.day + Duration::days(1)),
        link_to(day.today),
    );
    let page_href = {
        let (here, d) = (here.clone(), day.day.to_string());
        let (dep, doc) = (dep.clone(), doc.clone());
        Callback::new(move |p: u32| {
            let p = if p > 1 { p.to_string() } else { String::new() };
            with_query(
                &here,
                &[
                    ("day", &d),
                    ("department", &dep),
                    ("doctor", &doc),
                    ("page", &p),
                ],
            )
        })
    };
    let position = day.appointments.position();
    let book = with_query(
        &format!("{here}/new"),
        &[
            ("department", &dep),
            ("doctor", &doc),
            ("day", &day.day.to_string()),
        ],
    );
    let week_view = with_query(
        &format!("{here}/week"),
        &[
            ("day", &day.day.to_string()),
            ("department", &dep),
            ("doctor", &doc),
        ],
    );
    let heading = day_heading(day.day, day.today);
    let rows = day.appointments.items;
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-3">
            {day.may_book.then(|| view! { <LinkButton href=book>"Book appointment"</LinkButton> })}
            <LinkButton href=week_view variant=ButtonVariant::Secondary>
                "Week view"
            </LinkButton>
        </div>
        <CalendarControls
            title="Day"
            action=here.clone()
            day_label="Day"
            day=day.day.to_string()
            departments=day.departments
            department=dep.clone()
            doctor=doc.clone()
            steps_label="Days"
            steps=[(previous, "Previous day"), (today, "Today"), (next, "Next day")]
        />
        <section aria-labelledby="day-title" class="mt-6">
            <h2 id="day-title" class="text-2xl font-bold text-slate-900">
                {heading}
            </h2>
            {if rows.is_empty() {
                view! {
                    <EmptyState
                        title="No appointments"
                        message="Nothing is booked for this day with these filters."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <DayTable slug=slug.clone() rows=rows />
                    <Pagination position=position href=page_href />
                }
                    .into_any()
            }}
        </section>
        {day
            .may_book
            .then(|| {
                view! {
                    <section aria-labelledby="free-title" class="mt-8">
                        <h2 id="free-title" class="text-2xl font-bold text-slate-900">
                            "Free times"
                        </h2>
                        <CalendarFreeTimes
                            slug=slug.clone()
                            department=dep.clone()
                            doctor=doc.clone()
                            day=day.day.to_string()
                        />
                    </section>
                }
            })}
    }
}

#[component]
fn DayTable(slug: String, rows: Vec<AppointmentSummary>) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Appointments of the day"
            columns=vec![
                Column::plain("Time"),
                Column::plain("Patient"),
                Column::plain("With"),
                Column::plain("Type"),
                Column::plain("Status"),
                Column::plain("Actions"),
            ]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort
        >
            {rows
                .into_iter()
                .map(|a| {
                    let time = format!("{}–{}", a.starts.clock(), a.ends.clock());
                    let open = format!("/c/{slug}/appointments/{}", a.id);
                    let label = format!(
                        "Open the appointment of {} at {}",
                        a.patient_name,
                        a.starts.clock(),
                    );
                    let reason = (!a.reason.is_empty())
                        .then(|| {
                            view! {
                                <span class="block text-sm text-slate-700">{a.reason.clone()}</span>
                            }
                        });
                    view! {
                        <tr>
                            <td data-label="Time" class="font-bold tabular-nums">
                                <time datetime=a.starts.machine() title=a.starts.full()>
                                    {time}
                                </time>
                            </td>
                            <td data-label="Patient">
                                <a
                                    href=format!("/c/{slug}/patients/{}", a.patient_id)
                                    class="font-semibold text-teal-800 underline"
                                >
                                    {a.patient_name.clone()}
                                </a>
                                <span class="block text-sm text-slate-700">
                                    {a.patient_number.clone()}
                                </span>
                                {reason}
                            </td>
                            <td data-label="With">
                                {a.doctor.clone()}
                                <span class="block text-sm text-slate-700">
                                    {a.department.clone()}
                                </span>
                            </td>
                            <td data-label="Type">{a.appointment_type.label()}</td>
                            <td data-label="Status">
                                <Badge tone=status_tone(a.status)>{a.status.label()}</Badge>
                            </td>
                            <td data-label="Actions">
                                <a
                                    href=open
                                    aria-label=label
                                    class="font-semibold text-teal-800 underline"
                                >
                                    "Open"
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
