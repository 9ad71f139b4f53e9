//! `/platform/registrations`: confirmed hospital registrations waiting for
//! a platform admin, each approved at a web address or rejected with a
//! reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ApproveRegistration, RejectRegistration, pending_registrations};
use crate::app::frame::PagedList;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::components::notice::Notice;
use crate::domain::onboarding::{MAX_REASON_CHARS, PendingRegistration};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};

#[component]
pub fn RegistrationsPage() -> impl IntoView {
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let done = move || {
        q.with(|m| {
            m.get("approved")
                .map(|s| {
                    format!(
                        "Approved: the clinic is at /c/{s} and its administrator has an invitation."
                    )
                })
                .or_else(|| {
                    m.get("rejected").map(|_| {
                        "Rejected: the administrator has an email with your reason.".to_string()
                    })
                })
        })
    };
    let approve = ServerAction::<ApproveRegistration>::new();
    let reject = ServerAction::<RejectRegistration>::new();
    let data = Resource::new(
        move || (page.get(), approve.version().get() + reject.version().get()),
        |(p, _)| pending_registrations(p),
    );
    view! {
        <Title text="Hospital registrations" />
        <h1 class="text-3xl font-bold text-slate-900">"Hospital registrations"</h1>
        <p class="mt-2 text-slate-700">
            "Registrations whose administrator confirmed their email address, oldest first."
        </p>
        {move || done().map(|m| view! { <Notice>{m}</Notice> })}
        <PagedList
            data=data
            loading="Loading registrations…"
            rows=4
            href=Callback::new(|p: u32| {
                if p > 1 {
                    format!("/platform/registrations?page={p}")
                } else {
                    "/platform/registrations".into()
                }
            })
            empty=|| {
                view! {
                    <EmptyState
                        title="No registrations waiting"
                        message="New ones appear here once their administrator confirms their email."
                    />
                }
            }
            render=move |items| {
                items
                    .into_iter()
                    .map(|r| view! { <Registration r=r approve=approve reject=reject /> })
                    .collect_view()
            }
        />
    }
}

#[component]
fn Registration(
    r: PendingRegistration,
    approve: ServerAction<ApproveRegistration>,
    reject: ServerAction<RejectRegistration>,
) -> impl IntoView {
    let id = r.id.to_string();
    // Errors belong to the registration they were about (without
    // JavaScript the input is not known, and every card shows them).
    let mine = {
        let id = id.clone();
        Signal::derive(move || approve.input().get().is_none_or(|i| i.id == id))
    };
    let mine_reject = {
        let id = id.clone();
        Signal::derive(move || reject.input().get().is_none_or(|i| i.id == id))
    };
    let slug_error =
        Signal::derive(move || field_error(approve, "slug").get().filter(|_| mine.get()));
    let reason_error = Signal::derive(move || {
        field_error(reject, "reason")
            .get()
            .filter(|_| mine_reject.get())
    });
    let approve_alert = Signal::derive(move || form_error(approve).get().filter(|_| mine.get()));
    let reject_alert =
        Signal::derive(move || form_error(reject).get().filter(|_| mine_reject.get()));
    let h = r.hospital;
    let (approve_id, slug_label, reason_label) = (
        id.clone(),
        format!("Web address for {}", h.name),
        format!("Reason for rejecting {}", h.name),
    );
    view! {
        <Card title=h.name.clone() class="mt-6">
            <dl class="grid gap-2 text-slate-900 md:grid-cols-2">
                <Item label="Address" value=h.address />
                <Item label="Phone" value=h.phone />
                <Item label="Email" value=h.email />
                <Item label="Registration number" value=h.registration_number />
                <Item label="Tax id" value=h.tax_id />
                <Item label="Plan" value=format!("{} ({})", r.plan.label(), r.plan.summary()) />
                <Item label="Administrator" value=format!("{} <{}>", r.admin.name, r.admin.email) />
                <Item
                    label="Registered"
                    value=r.requested_at.format("%Y-%m-%d %H:%M UTC").to_string()
                />
            </dl>
            <div class="mt-4 grid gap-6 md:grid-cols-2">
                <ActionForm action=approve attr:class="flex flex-col gap-3">
                    <FormAlert message=approve_alert />
                    <input type="hidden" name="id" value=approve_id />
                    <TextField
                        name="slug"
                        label=slug_label
                        value=r.suggested_slug
                        required=true
                        max_length=48
                        error=slug_error
                        hint=Some(
                            "Lower-case letters, digits and hyphens. Staff will find the clinic's pages at this address, for example /c/riverside."
                                .to_string(),
                        )
                    />
                    <Button r#type="submit" loading=approve.pending()>
                        "Approve and invite the administrator"
                    </Button>
                </ActionForm>
                <ActionForm action=reject attr:class="flex flex-col gap-3">
                    <FormAlert message=reject_alert />
                    <input type="hidden" name="id" value=id />
                    <TextField
                        name="reason"
                        label=reason_label
                        required=true
                        max_length=MAX_REASON_CHARS
                        error=reason_error
                        hint=Some("Sent to the administrator.".to_string())
                    />
                    <Button r#type="submit" variant=ButtonVariant::Danger loading=reject.pending()>
                        "Reject"
                    </Button>
                </ActionForm>
            </div>
        </Card>
    }
}

#[component]
fn Item(label: &'static str, #[prop(into)] value: String) -> impl IntoView {
    view! {
        <div>
            <dt class="text-sm text-slate-700">{label}</dt>
            <dd class="break-words font-medium">{value}</dd>
        </div>
    }
}
