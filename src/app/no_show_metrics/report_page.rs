//! `/c/{slug}/no-shows`: for the clinic's admin, the appointments due and
//! missed over a period (the last 30 days unless chosen), for the clinic
//! and by doctor or by patient, a page at a time. The period is a GET form,
//! so it is in the address and works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::no_show_figures;
use crate::app::frame::{AccessError, ClinicGate, use_slug};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::components::stat_tile::StatTile;
use crate::domain::AppError;
use crate::domain::no_show_metrics::{
    DoctorNoShows, NoShowReport, NoShowView, PatientNoShows, Period,
};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::permission::Permission;
use crate::domain::url::with_query;

/// What the address asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Asked {
    from: String,
    to: String,
    view: String,
    page: u32,
}

#[component]
pub fn NoShowReportPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let asked = Memo::new(move |_| {
        q.with(|m| Asked {
            from: m.get("from").unwrap_or_default(),
            to: m.get("to").unwrap_or_default(),
            view: m.get("view").unwrap_or_default(),
            page: PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page(),
        })
    });
    let data = Resource::new(
        move || (slug.get(), asked.get()),
        |(s, a)| no_show_figures(s, a.from, a.to, a.view, a.page),
    );
    view! {
        <Title text="No-shows" />
        <ClinicGate
            permission=Permission::ManageClinic
            page=move |_| {
                view! {
                    <h1 class="text-3xl font-bold text-slate-900">"No-shows"</h1>
                    <p class="mt-1 text-slate-700">
                        "Appointments the patients were due at (checked in, seen or missed; not cancelled ones) and those they missed, by the day the appointment was for."
                    </p>
                    <Suspense fallback=|| {
                        view! { <Skeleton rows=6 label="Loading the no-shows…" /> }
                    }>
                        {move || Suspend::new(async move {
                            let a = asked.get_untracked();
                            match data.await {
                                Ok(report) => view! { <Report report=report asked=a /> }.into_any(),
                                Err(e @ AppError::Validation(_)) => {
                                    view! { <PeriodForm asked=a error=Some(e) /> }.into_any()
                                }
                                Err(e) => view! { <AccessError error=e /> }.into_any(),
                            }
                        })}
                    </Suspense>
                }
            }
        />
    }
}

/// The period's form, with the last refusal by its fields.
#[component]
fn PeriodForm(asked: Asked, error: Option<AppError>) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let field = move |name: &'static str| {
        let message = error
            .as_ref()
            .and_then(|e| e.field_message(name).map(str::to_owned));
        Signal::derive(move || message.clone())
    };
    let view_value = NoShowView::parse(&asked.view).as_str();
    view! {
        <Form method="GET" action=format!("/c/{slug}/no-shows")>
            <input type="hidden" name="view" value=view_value />
            <div class="mt-4 grid gap-3 md:grid-cols-3 md:items-end">
                <TextField
                    name="from"
                    label="From"
                    input_type="date"
                    value=asked.from
                    error=field("from")
                />
                <TextField
                    name="to"
                    label="To"
                    input_type="date"
                    value=asked.to
                    error=field("to")
                />
                <Button r#type="submit">"Show"</Button>
            </div>
        </Form>
    }
}

/// The address of the report for `period`, `view` and `page`.
fn href(slug: &str, period: Period, view: NoShowView, page: u32) -> String {
    let page = if page > 1 {
        page.to_string()
    } else {
        String::new()
    };
    with_query(
        &format!("/c/{slug}/no-shows"),
        &[
            ("from", &period.from.to_string()),
            ("to", &period.to.to_string()),
            ("view", view.as_str()),
            ("page", &page),
        ],
    )
}

fn tab_label(v: NoShowView) -> &'static str {
    match v {
        NoShowView::Doctors => "By doctor",
        NoShowView::Patients => "By patient",
    }
}

#[component]
fn Report(report: NoShowReport, asked: Asked) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let (period, current) = (report.period, report.view);
    // The form shows the period counted, both ends filled in.
    let shown = Asked {
        from: period.from.to_string(),
        to: period.to.to_string(),
        ..asked
    };
    let tabs = [NoShowView::Doctors, NoShowView::Patients]
        .into_iter()
        .map(|v| {
            let here = v == current;
            let class = if here {
                "inline-flex min-h-11 items-center rounded-lg bg-teal-800 px-4 font-semibold text-white"
            } else {
                "inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-4 font-semibold text-teal-800"
            };
            view! {
                <li>
                    <a
                        href=href(&slug, period, v, 1)
                        class=class
                        aria-current=here.then_some("page")
                    >
                        {tab_label(v)}
                    </a>
                </li>
            }
        })
        .collect_view();
    let page_href = {
        let slug = slug.clone();
        Callback::new(move |p: u32| href(&slug, period, current, p))
    };
    let list = match current {
        NoShowView::Doctors => {
            let position = report.doctors.position();
            let rows = report.doctors.items;
            view! {
                <DoctorTable rows=rows />
                <Pagination position=position href=page_href />
            }
            .into_any()
        }
        NoShowView::Patients => {
            let position = report.patients.position();
            let rows = report.patients.items;
            view! {
                <PatientTable rows=rows slug=slug.clone() />
                <Pagination position=position href=page_href />
            }
            .into_any()
        }
    };
    view! {
        <PeriodForm asked=shown error=None />
        <div class="mt-4 grid gap-3 md:grid-cols-2">
            <StatTile
                label=format!(
                    "No-show rate, {} to {}",
                    period.from.format("%-d %b %Y"),
                    period.to.format("%-d %b %Y"),
                )
                value=report.clinic.percent()
                hint=report.clinic.summary()
            />
        </div>
        <nav aria-label="No-shows by" class="mt-4">
            <ul class="flex flex-wrap gap-2">{tabs}</ul>
        </nav>
        <Card class="mt-4">{list}</Card>
    }
}

fn no_sort() -> Callback<(String, SortDirection), String> {
    Callback::new(move |_: (String, SortDirection)| String::new())
}

#[component]
fn DoctorTable(rows: Vec<DoctorNoShows>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState
                title="No appointments were due"
                message="No doctor had an appointment due in this period."
            />
        }
        .into_any();
    }
    view! {
        <DataTable
            caption="No-shows by doctor, most missed first"
            columns=vec![
                Column::plain("Doctor"),
                Column::plain("Due"),
                Column::plain("Missed"),
                Column::plain("No-show rate"),
            ]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort()
        >
            {rows
                .into_iter()
                .map(|d| {
                    view! {
                        <tr>
                            <td data-label="Doctor">{d.doctor}</td>
                            <td data-label="Due" class="tabular-nums">
                                {d.rate.due}
                            </td>
                            <td data-label="Missed" class="tabular-nums">
                                {d.rate.missed}
                            </td>
                            <td data-label="No-show rate" class="tabular-nums">
                                {d.rate.percent()}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn PatientTable(rows: Vec<PatientNoShows>, slug: String) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState
                title="No missed appointments"
                message="No patient missed an appointment in this period."
            />
        }
        .into_any();
    }
    view! {
        <DataTable
            caption="Patients who missed appointments, most first"
            columns=vec![
                Column::plain("Patient"),
                Column::plain("Missed"),
                Column::plain("Last missed"),
                Column::plain("Booking online"),
            ]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort()
        >
            {rows
                .into_iter()
                .map(|p| {
                    let record = format!("/c/{slug}/patients/{}", p.patient_id);
                    view! {
                        <tr>
                            <td data-label="Patient">
                                <a href=record class="font-semibold text-teal-800 underline">
                                    {p.patient_name}
                                </a>
                                <span class="block text-sm text-slate-600">{p.patient_number}</span>
                            </td>
                            <td data-label="Missed" class="tabular-nums">
                                {p.missed}
                            </td>
                            <td data-label="Last missed">
                                {p.last_missed.format("%-d %b %Y").to_string()}
                            </td>
                            <td data-label="Booking online">
                                {if p.booking_paused { "Paused" } else { "Open" }}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
