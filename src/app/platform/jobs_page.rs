//! `/platform/jobs`: the durable jobs' recent runs, newest first, what each
//! did, and the failures (with their error). Filter by status with a GET
//! form, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::platform_jobs;
use crate::app::frame::PagedList;
use crate::components::badge::{Badge, Tone};
use crate::components::button::Button;
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::SelectField;
use crate::domain::jobs::{JobRunEntry, RunStatus, job_label};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::url::with_query;

#[component]
pub fn PlatformJobsPage() -> impl IntoView {
    let q = use_query_map();
    let status = Memo::new(move |_| q.with(|m| m.get("status").unwrap_or_default()));
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (status.get(), page.get()),
        |(s, p)| platform_jobs(s, p),
    );
    let filter_error = Signal::derive(move || {
        data.get()
            .and_then(Result::err)
            .and_then(|e| e.field_message("status").map(str::to_owned))
    });
    let mut options = vec![(String::new(), "Any status".to_string())];
    options.extend(
        RunStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string())),
    );
    view! {
        <Title text="Jobs" />
        <h1 class="text-3xl font-bold text-slate-900">"Jobs"</h1>
        <p class="mt-2 text-slate-700">
            "The server's recurring work: each run, once across all server processes, what it did, and failures with their error. A failed run is tried again five times before it stays failed."
        </p>
        <Form method="GET" action="/platform/jobs" attr:class="mt-4 flex flex-wrap items-end gap-3">
            <SelectField
                name="status"
                label="Status"
                options=options
                value=status.get_untracked()
                error=filter_error
            />
            <Button r#type="submit">"Show"</Button>
        </Form>
        <div class="mt-6">
            <PagedList
                data=data
                loading="Loading the runs…"
                href=Callback::new(move |p: u32| {
                    let s = status.get_untracked();
                    let p = if p > 1 { p.to_string() } else { String::new() };
                    with_query("/platform/jobs", &[("status", &s), ("page", &p)])
                })
                render=move |entries| view! { <RunsTable entries=entries /> }
            />
        </div>
    }
}

#[component]
fn RunsTable(entries: Vec<JobRunEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <EmptyState title="No runs" message="No run matches." /> }.into_any();
    }
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Job runs"
            columns=vec![
                Column::plain("Period (UTC)"),
                Column::plain("Job"),
                Column::plain("Status"),
                Column::plain("Attempts"),
                Column::plain("Result"),
            ]
            sort_key=""
            sort_dir=SortDirection::Desc
            sort_href=no_sort
        >
            {entries
                .into_iter()
                .map(|r| {
                    let tone = match r.status {
                        RunStatus::Succeeded => Tone::Success,
                        RunStatus::Failed => Tone::Danger,
                        RunStatus::Pending => Tone::Warning,
                        RunStatus::Running => Tone::Info,
                    };
                    let result = r
                        .last_error
                        .clone()
                        .filter(|_| r.status != RunStatus::Succeeded)
                        .or(r.outcome.clone())
                        .unwrap_or_default();
                    let asked = r.requested_by.clone().map(|w| format!("asked for by {w}"));
                    view! {
                        <tr>
                            <td data-label="Period (UTC)" class="tabular-nums">
                                {r.slot.format("%Y-%m-%d %H:%M:%S").to_string()}
                                {r
                                    .finished_at
                                    .map(|f| {
                                        view! {
                                            <span class="block text-sm text-slate-700">
                                                {format!("ended {}", f.format("%H:%M:%S"))}
                                            </span>
                                        }
                                    })}
                            </td>
                            <td data-label="Job">
                                <span class="block font-semibold text-slate-900">
                                    {job_label(&r.job)}
                                </span>
                                {asked
                                    .map(|a| {
                                        view! {
                                            <span class="block text-sm text-slate-700">{a}</span>
                                        }
                                    })}
                            </td>
                            <td data-label="Status">
                                <Badge tone=tone>{r.status.label()}</Badge>
                            </td>
                            <td data-label="Attempts" class="tabular-nums">
                                {r.attempts}
                            </td>
                            <td data-label="Result" class="break-all text-sm">
                                {result}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
