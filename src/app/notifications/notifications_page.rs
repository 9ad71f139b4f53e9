//! `/c/{slug}/notifications`: the person's notifications, newest first,
//! unread ones marked "New" with "Mark read", and "Mark all as read". The
//! header bell's stream keeps the list current too (its region is named
//! here), so a booking made elsewhere appears without reloading.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    MarkAllNotificationsRead, MarkNotificationRead, NotificationList, list_href, my_notifications,
};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::Pagination;
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;
use crate::domain::notifications::NotificationItem;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};

/// The list's region, which the bell's stream refreshes.
pub const LIST_ID: &str = "notification-list";

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), page.get()),
        |(s, p)| my_notifications(s, p),
    );
    view! {
        <Title text="Notifications" />
        <h1 class="text-3xl font-bold text-slate-900">"Notifications"</h1>
        <p class="mt-1 text-slate-700">
            "Appointments booked, moved or cancelled by someone else. New ones appear here and on the bell as they happen."
        </p>
        <div id=LIST_ID>
            <Suspense fallback=|| {
                view! { <Skeleton rows=6 label="Loading your notifications…" /> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <ListView list=list /> }.into_any(),
                        Err(e) => view! { <AccessError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ListView(list: NotificationList) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let position = list.page.position();
    let page = list.page.page;
    let page_href = {
        let slug = slug.clone();
        Callback::new(move |p: u32| list_href(&slug, p))
    };
    let unread = list.unread;
    let open = list.may_open_appointments;
    let items = list.page.items;
    let mark_all_form = {
        let slug = slug.clone();
        move || {
            view! {
                <ActionForm action=mark_all>
                    <FormAlert message=form_error(mark_all) />
                    <input type="hidden" name="slug" value=slug.clone() />
                    <Button
                        r#type="submit"
                        variant=ButtonVariant::Secondary
                        loading=mark_all.pending()
                    >
                        "Mark all as read"
                    </Button>
                </ActionForm>
            }
        }
    };
    view! {
        <Card class="mt-6">
            <div class="mb-3 flex flex-wrap items-center justify-between gap-3">
                <p class="font-semibold text-slate-900">
                    {match unread {
                        0 => "All read.".to_string(),
                        1 => "1 unread.".to_string(),
                        n => format!("{} unread.", crate::domain::notifications::unread_label(n)),
                    }}
                </p>
                {(unread > 0).then(mark_all_form)}
            </div>
            {if items.is_empty() {
                view! {
                    <EmptyState
                        title="No notifications"
                        message="When a patient books, moves or cancels an appointment with you, it appears here."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <ul class="flex flex-col gap-3">
                        {items
                            .into_iter()
                            .map(|n| view! { <Item n=n slug=slug.clone() page=page open=open /> })
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
fn Item(n: NotificationItem, slug: String, page: u32, open: bool) -> impl IntoView {
    let mark = ServerAction::<MarkNotificationRead>::new();
    let headline = n.headline();
    let border = if n.read {
        "border-slate-200"
    } else {
        "border-teal-700 border-l-4"
    };
    view! {
        <li class=format!("rounded-lg border p-3 {border}")>
            <p class="flex flex-wrap items-center gap-2">
                {(!n.read).then(|| view! { <Badge tone=Tone::Info>"New"</Badge> })}
                <span class=if n.read {
                    "text-slate-800"
                } else {
                    "font-semibold text-slate-900"
                }>{headline.clone()}</span>
            </p>
            {n
                .cancel_reason
                .clone()
                .filter(|_| n.kind == crate::domain::notifications::NotificationKind::Cancelled)
                .map(|r| view! { <p class="mt-1 text-slate-700">{format!("Reason: {r}")}</p> })}
            <p class="mt-1 text-sm text-slate-700">
                <time datetime=n.at.machine() title=n.at.full()>
                    {n.at.compact()}
                </time>
            </p>
            <div class="mt-2 flex flex-wrap items-center gap-3">
                {open
                    .then(|| {
                        view! {
                            <a
                                href=format!("/c/{slug}/appointments/{}", n.appointment_id)
                                aria-label=format!("Open appointment: {headline}")
                                class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                            >
                                "Open appointment"
                            </a>
                        }
                    })}
                {(!n.read)
                    .then(|| {
                        view! {
                            <ActionForm action=mark>
                                <FormAlert message=form_error(mark) />
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="id" value=n.id.to_string() />
                                <input type="hidden" name="page" value=page.to_string() />
                                <Button
                                    r#type="submit"
                                    variant=ButtonVariant::Secondary
                                    loading=mark.pending()
                                    attr:aria-label=format!("Mark read: {headline}")
                                >
                                    "Mark read"
                                </Button>
                            </ActionForm>
                        }
                    })}
            </div>
        </li>
    }
}
