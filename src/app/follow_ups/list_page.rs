//! `/c/{slug}/follow-ups`: the patients the doctors asked to see again.
//! "To book" lists the pending ones by due date, the overdue first, each
//! with "Book appointment" (the booking page, chosen for it) and, from its
//! due day, "Mark missed"; the other statuses list what became of them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{MarkFollowUpMissed, follow_ups_list};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::data_table::Pagination;
use crate::components::empty_state::EmptyState;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::follow_ups::{FollowUpItem, FollowUpList, FollowUpStatus};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
use crate::domain::url::with_query;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let status = Memo::new(move |_| q.with(|m| m.get("status").unwrap_or_default()));
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let marked = move || q.with(|m| m.get("marked").is_some());
    let data = Resource::new(
        move || (slug.get(), status.get(), page.get()),
        |(s, st, p)| follow_ups_list(s, st, p),
    );
    view! {
        <Title text="Follow-ups" />
        <h1 class="text-3xl font-bold text-slate-900">"Follow-ups"</h1>
        <p class="mt-1 text-slate-700">
            "Patients the doctors asked to see again by a date. Once booked, a follow-up follows its appointment: completed with the visit, missed if the patient does not come, back here if it is cancelled."
        </p>
        {move || {
            marked()
                .then(|| {
                    view! {
                        <Notice>
                            "Marked missed. The audit trail keeps who marked it and when."
                        </Notice>
                    }
                })
        }}
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the follow-ups…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <ListView list=list /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The list's address for `status` at `page`.
fn href(slug: &str, status: FollowUpStatus, page: u32) -> String {
    let status = if status == FollowUpStatus::Pending {
        String::new()
    } else {
        status.as_str().to_string()
    };
    let page = if page > 1 {
        page.to_string()
    } else {
        String::new()
    };
    with_query(
        &format!("/c/{slug}/follow-ups"),
        &[("status", &status), ("page", &page)],
    )
}

fn tab_label(s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::Pending => "To book",
        other => other.label(),
    }
}

#[component]
fn ListView(list: FollowUpList) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let current = list.status;
    let position = list.items.position();
    let page_href = {
        let slug = slug.clone();
        Callback::new(move |p: u32| href(&slug, current, p))
    };
    let tabs = FollowUpStatus::ALL
        .iter()
        .map(|s| {
            let here = *s == current;
            let class = if here {
                "inline-flex min-h-11 items-center rounded-lg bg-teal-800 px-4 font-semibold text-white"
            } else {
                "inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-4 font-semibold text-teal-800"
            };
            view! {
                <li>
                    <a href=href(&slug, *s, 1) class=class aria-current=here.then_some("page")>
                        {tab_label(*s)}
                    </a>
                </li>
            }
        })
        .collect_view();
    let (today, may_book) = (list.today, list.may_book);
    let items = list.items.items;
    view! {
        <nav aria-label="Follow-ups by status" class="mt-4">
            <ul class="flex flex-wrap gap-2">{tabs}</ul>
        </nav>
        <Card class="mt-4">
            {if items.is_empty() {
                view! {
                    <EmptyState
                        title=format!("No follow-ups {}", tab_label(current).to_lowercase())
                        message="Follow-ups are added on a patient's record by the doctors and the front desk."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <ul class="flex flex-col gap-3">
                        {items
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <Item f=f slug=slug.clone() today=today may_book=may_book />
                                }
                            })
                            .collect_view()}
                    </ul>
                    <Pagination position=position href=page_href />
                }
                    .into_any()
            }}
        </Card>
    }
}

#[component]
fn Item(f: FollowUpItem, slug: String, today: chrono::NaiveDate, may_book: bool) -> impl IntoView {
    let mark = ServerAction::<MarkFollowUpMissed>::new();
    let overdue = f.overdue(today);
    let who = format!("{} ({})", f.patient_name, f.patient_number);
    let place = match &f.doctor {
        Some(d) => format!("{} · {d}", f.department),
        None => format!("{} · any doctor", f.department),
    };
    let (booking_href, for_whom) = (
        f.booking_href(&slug, today),
        format!(" for {}", f.patient_name),
    );
    let book = (may_book && f.status == FollowUpStatus::Pending).then(move || {
        view! {
            <LinkButton href=booking_href>
                <span>"Book appointment"</span>
                <span class="sr-only">{for_whom}</span>
            </LinkButton>
        }
    });
    let (missed_label, slug_field, id_field) = (
        format!("Mark missed: {}", f.patient_name),
        slug.clone(),
        f.id.to_string(),
    );
    let missed = (may_book && f.may_mark_missed(today)).then(move || {
        view! {
            <ActionForm action=mark>
                <FormAlert message=form_error(mark) />
                <input type="hidden" name="slug" value=slug_field />
                <input type="hidden" name="id" value=id_field />
                <Button
                    r#type="submit"
                    variant=ButtonVariant::Secondary
                    loading=mark.pending()
                    attr:aria-label=missed_label
                >
                    "Mark missed"
                </Button>
            </ActionForm>
        }
    });
    let appointment = f
        .appointment_id
        .zip(f.appointment_starts.clone())
        .map(|(id, at)| {
            view! {
                <p class="mt-1 text-slate-800">
                    "Appointment "
                    <a
                        href=format!("/c/{slug}/appointments/{id}")
                        class="font-semibold text-teal-800 underline"
                    >
                        <time datetime=at.machine() title=at.full()>
                            {at.compact()}
                        </time>
                    </a>
                </p>
            }
        });
    let border = if overdue {
        "border-red-300 border-l-4"
    } else {
        "border-slate-200"
    };
    view! {
        <li class=format!("rounded-lg border p-3 {border}")>
            <p class="flex flex-wrap items-center gap-2">
                <a
                    href=format!("/c/{slug}/patients/{}", f.patient_id)
                    class="font-semibold text-teal-800 underline [overflow-wrap:anywhere]"
                >
                    {who}
                </a>
                {overdue.then(|| view! { <Badge tone=Tone::Danger>"Overdue"</Badge> })}
                {(f.status != FollowUpStatus::Pending)
                    .then(|| view! { <Badge tone=Tone::Neutral>{f.status.label()}</Badge> })}
            </p>
            <p class="mt-1 font-medium text-slate-900">{f.due_label(today)}</p>
            <p class="mt-1 text-slate-800">{place}</p>
            <p class="mt-1 text-slate-800 [overflow-wrap:anywhere]">{f.reason.clone()}</p>
            {appointment}
            <p class="mt-1 text-sm text-slate-700">{format!("Asked by {}", f.asked_by)}</p>
            {(book.is_some() || missed.is_some())
                .then(|| {
                    view! {
                        <div class="mt-2 flex flex-wrap items-center gap-3">{book} {missed}</div>
                    }
                })}
        </li>
    }
}
