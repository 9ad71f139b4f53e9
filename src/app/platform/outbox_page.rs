//! `/platform/outbox`: every email HMS has queued, whether it went, and why
//! not; failed messages (and those whose delivery is unknown) can be sent
//! again. Filter by status with a GET form, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{RetryEmail, platform_outbox};
use crate::app::frame::PagedList;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::SelectField;
use crate::components::notice::{Notice, NoticeTone};
use crate::domain::outbox::{OutboxEntry, OutboxStatus, email_kind_label};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::url::with_query;

#[component]
pub fn PlatformOutboxPage() -> impl IntoView {
    let q = use_query_map();
    let status = Memo::new(move |_| q.with(|m| m.get("status").unwrap_or_default()));
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let retry = ServerAction::<RetryEmail>::new();
    // Refetched after each retry, so the message shows as waiting again.
    let data = Resource::new(
        move || (status.get(), page.get(), retry.version().get()),
        |(s, p, _)| platform_outbox(s, p),
    );
    let filter_error = Signal::derive(move || {
        data.get()
            .and_then(Result::err)
            .and_then(|e| e.field_message("status").map(str::to_owned))
    });
    let mut options = vec![(String::new(), "Any status".to_string())];
    options.extend(
        OutboxStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string())),
    );
    view! {
        <Title text="Outbox" />
        <h1 class="text-3xl font-bold text-slate-900">"Outbox"</h1>
        <p class="mt-2 text-slate-700">
            "Every email HMS sends waits here until the mail server takes it. Failed messages can be sent again."
        </p>
        <Form
            method="GET"
            action="/platform/outbox"
            attr:class="mt-4 flex flex-wrap items-end gap-3"
        >
            <SelectField
                name="status"
                label="Status"
                options=options
                value=status.get_untracked()
                error=filter_error
            />
            <Button r#type="submit">"Show"</Button>
        </Form>
        {move || {
            retry
                .value()
                .get()
                .map(|r| match r {
                    Ok(()) => {
                        view! { <Notice>"The message will be sent again in a moment."</Notice> }
                            .into_any()
                    }
                    Err(e) => {
                        view! { <Notice tone=NoticeTone::Error>{e.to_string()}</Notice> }.into_any()
                    }
                })
        }}
        <div class="mt-6">
            <PagedList
                data=data
                loading="Loading the outbox…"
                href=Callback::new(move |p: u32| {
                    let s = status.get_untracked();
                    let p = if p > 1 { p.to_string() } else { String::new() };
                    with_query("/platform/outbox", &[("status", &s), ("page", &p)])
                })
                render=move |entries| view! { <OutboxTable entries=entries retry=retry /> }
            />
        </div>
    }
}

#[component]
fn OutboxTable(entries: Vec<OutboxEntry>, retry: ServerAction<RetryEmail>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <EmptyState title="No messages" message="No email matches." /> }.into_any();
    }
    let columns = vec![
        Column::plain("Queued (UTC)"),
        Column::plain("To"),
        Column::plain("Message"),
        Column::plain("Status"),
        Column::plain("Attempts"),
        Column::plain("Details"),
    ];
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Outgoing email"
            columns=columns
            sort_key=""
            sort_dir=SortDirection::Desc
            sort_href=no_sort
        >
            {entries
                .into_iter()
                .map(|e| {
                    let tone = match e.status {
                        OutboxStatus::Sent => Tone::Success,
                        OutboxStatus::Failed => Tone::Danger,
                        OutboxStatus::Unknown => Tone::Warning,
                        OutboxStatus::Pending | OutboxStatus::Sending => Tone::Info,
                    };
                    let details = match e.status {
                        OutboxStatus::Sent => {
                            e.sent_at.map(|t| format!("Sent {}", t.format("%Y-%m-%d %H:%M")))
                        }
                        OutboxStatus::Pending if e.attempts > 0 => {
                            Some(format!("Next try {}", e.next_attempt_at.format("%H:%M:%S")))
                        }
                        _ => None,
                    };
                    let label = format!("Send again to {}", e.to_address);
                    view! {
                        <tr>
                            <td data-label="Queued (UTC)" class="tabular-nums">
                                {e.created_at.format("%Y-%m-%d %H:%M").to_string()}
                            </td>
                            <td data-label="To" class="break-all">
                                {e.to_address}
                            </td>
                            <td data-label="Message">
                                <span class="block font-semibold text-slate-900">{e.subject}</span>
                                <span class="block text-sm text-slate-700">
                                    {email_kind_label(&e.kind)}
                                    {e.clinic.map(|c| format!(" · {c}"))}
                                </span>
                            </td>
                            <td data-label="Status">
                                <Badge tone=tone>{e.status.label()}</Badge>
                            </td>
                            <td data-label="Attempts" class="tabular-nums">
                                {e.attempts}
                            </td>
                            <td data-label="Details" class="text-sm text-slate-700">
                                {details}
                                {e
                                    .last_error
                                    .map(|err| {
                                        view! { <span class="block break-words">{err}</span> }
                                    })}
                                {e
                                    .status
                                    .can_retry()
                                    .then(|| {
                                        view! {
                                            <ActionForm action=retry attr:class="mt-2">
                                                <input type="hidden" name="id" value=e.id.to_string() />
                                                <Button r#type="submit" variant=ButtonVariant::Secondary>
                                                    <span class="sr-only">{label}</span>
                                                    <span aria-hidden="true">"Send again"</span>
                                                </Button>
                                            </ActionForm>
                                        }
                                    })}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
