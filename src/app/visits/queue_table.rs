//! A queue as a table, shared by the front desk and the doctor's queue:
//! token, patient, where they wait, priority, status, waiting time and the
//! estimate; the actions column is the caller's.

use leptos::prelude::*;

use crate::app::vitals::Readings;
use crate::components::badge::{Badge, Tone};
use crate::components::data_table::{Column, DataTable};
use crate::domain::paging::SortDirection;
use crate::domain::patients::registration::sex_label;
use crate::domain::visits::{Priority, QueueEntry, VisitStatus, token_label, wait_label};

pub fn priority_tone(p: Priority) -> Tone {
    match p {
        Priority::Emergency => Tone::Danger,
        Priority::Urgent => Tone::Warning,
        Priority::Normal => Tone::Neutral,
    }
}

pub fn status_tone(s: VisitStatus) -> Tone {
    match s {
        VisitStatus::Waiting => Tone::Info,
        VisitStatus::Called | VisitStatus::InConsultation => Tone::Success,
        VisitStatus::Completed => Tone::Neutral,
        _ => Tone::Warning,
    }
}

/// "12 min" waited, or the wait still expected.
fn waiting_text(e: &QueueEntry) -> String {
    let waited = format!("{} min", e.waited_minutes);
    match e.estimated_wait_minutes {
        Some(m) if e.status == VisitStatus::Waiting => format!("{waited} · {}", wait_label(m)),
        _ => waited,
    }
}

#[component]
pub fn QueueTable(
    caption: &'static str,
    slug: String,
    /// Each visit with its actions.
    entries: Vec<(QueueEntry, AnyView)>,
) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption=caption
            columns=vec![
                Column::plain("Token"),
                Column::plain("Patient"),
                Column::plain("Where"),
                Column::plain("Priority"),
                Column::plain("Status"),
                Column::plain("Waiting"),
                Column::plain("Actions"),
            ]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort
        >
            {entries
                .into_iter()
                .map(|(e, acts)| {
                    let waiting = waiting_text(&e);
                    let (vitals, adult) = (e.vitals.clone(), e.age >= 18);
                    let reason = (!e.reason.is_empty())
                        .then(|| {
                            view! {
                                <span class="block text-sm text-slate-700">{e.reason.clone()}</span>
                            }
                        });
                    let about = format!(
                        "{} years · {} · {}",
                        e.age,
                        sex_label(&e.sex),
                        e.patient_number,
                    );
                    view! {
                        <tr>
                            <td data-label="Token" class="text-lg font-bold tabular-nums">
                                {token_label(e.token)}
                            </td>
                            <td data-label="Patient">
                                <a
                                    href=format!("/c/{slug}/patients/{}", e.patient_id)
                                    class="font-semibold text-teal-800 underline"
                                >
                                    {e.patient_name}
                                </a>
                                <span class="block text-sm text-slate-700">{about}</span>
                                {reason}
                                {vitals.map(|v| view! { <Readings vitals=v adult=adult /> })}
                            </td>
                            <td data-label="Where">
                                {e.department}
                                <span class="block text-sm text-slate-700">
                                    {e.doctor.unwrap_or_else(|| "Any doctor".into())}
                                </span>
                            </td>
                            <td data-label="Priority">
                                <Badge tone=priority_tone(e.priority)>{e.priority.label()}</Badge>
                            </td>
                            <td data-label="Status">
                                <Badge tone=status_tone(e.status)>{e.status.label()}</Badge>
                            </td>
                            <td data-label="Waiting" class="tabular-nums">
                                {waiting}
                            </td>
                            <td data-label="Actions">{acts}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
