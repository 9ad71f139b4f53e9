//! `/c/{slug}/invitations`: the clinic admin invites staff by email, and sees
//! the invitations still waiting, to send again or withdraw.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{InviteStaff, ResendInvitation, RevokeInvitation, clinic_invitations};
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination, When};
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::auth::MAX_EMAIL_CHARS;
use crate::domain::invitations::{GRANTABLE_ROLES, MAX_NAME_CHARS, PendingInvitation};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::staff::Department;

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let sent = move || q.with(|m| m.get("sent").is_some());
    let invite = ServerAction::<InviteStaff>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let data = Resource::new(
        move || {
            (
                slug.get(),
                page.get(),
                invite.version().get() + resend.version().get() + revoke.version().get(),
            )
        },
        |(s, p, _)| clinic_invitations(s, p),
    );
    let list_outcome = move || {
        let done = |ok: &'static str, r: Option<Result<(), AppError>>| {
            r.map(|r| r.map(|()| ok.to_string()).map_err(|e| e.to_string()))
        };
        done(
            "A new link is on its way; the old one no longer works.",
            resend.value().get(),
        )
        .or_else(|| {
            done(
                "The invitation was withdrawn; its link no longer works.",
                revoke.value().get(),
            )
        })
    };
    view! {
        <Title text="Invitations" />
        <h1 class="text-3xl font-bold text-slate-900">"Staff invitations"</h1>
        <p class="mt-2 text-slate-700">
            "Invite someone by email. They choose a password from the link, which works once for 72 hours."
        </p>
        {move || sent().then(|| view! { <Notice>"The invitation is on its way."</Notice> })}
        {move || {
            list_outcome()
                .map(|r| match r {
                    Ok(m) => view! { <Notice>{m}</Notice> }.into_any(),
                    Err(m) => view! { <Notice tone=NoticeTone::Error>{m}</Notice> }.into_any(),
                })
        }}
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading invitations…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => {
                        let position = overview.open.position();
                        let s = slug.get_untracked();
                        let href = Callback::new(move |p: u32| {
                            if p > 1 {
                                format!("/c/{s}/invitations?page={p}")
                            } else {
                                format!("/c/{s}/invitations")
                            }
                        });
                        view! {
                            <InviteForm action=invite departments=overview.departments />
                            <Card title="Waiting for an answer" class="mt-6">
                                <OpenInvitations
                                    items=overview.open.items
                                    resend=resend
                                    revoke=revoke
                                />
                                <Pagination position=position href=href />
                            </Card>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InviteForm(action: ServerAction<InviteStaff>, departments: Vec<Department>) -> impl IntoView {
    let slug = use_slug();
    let field = move |name| field_error(action, name);
    let mut roles = vec![(String::new(), "Choose a role".to_string())];
    roles.extend(
        GRANTABLE_ROLES
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string())),
    );
    let mut depts = vec![(String::new(), "No department".to_string())];
    depts.extend(departments.into_iter().map(|d| (d.id.to_string(), d.name)));
    view! {
        <Card title="Invite someone" class="mt-6">
            <ActionForm action=action attr:class="grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(action) />
                </div>
                <input type="hidden" name="slug" value=move || slug.get() />
                <TextField
                    name="invitation[email]"
                    label="Email"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    max_length=MAX_EMAIL_CHARS
                    error=field("email")
                />
                <TextField
                    name="invitation[display_name]"
                    label="Name"
                    autocomplete="off"
                    required=true
                    max_length=MAX_NAME_CHARS
                    error=field("display_name")
                />
                <SelectField
                    name="invitation[role]"
                    label="Role"
                    options=roles
                    required=true
                    error=field("role")
                />
                <SelectField
                    name="invitation[department]"
                    label="Department"
                    options=depts
                    error=field("department")
                    hint="Required for doctors and heads of department."
                />
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=action.pending()>
                        "Send invitation"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn OpenInvitations(
    items: Vec<PendingInvitation>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let slug = use_slug();
    if items.is_empty() {
        return view! { <EmptyState title="No invitations waiting" message="Everyone invited has answered." /> }
            .into_any();
    }
    let columns = vec![
        Column::plain("Person"),
        Column::plain("Role"),
        Column::plain("Link"),
        Column::plain("Actions"),
    ];
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <DataTable
            caption="Invitations waiting for an answer"
            columns=columns
            sort_key=""
            sort_dir=SortDirection::Desc
            sort_href=no_sort
        >
            {items
                .into_iter()
                .map(|i| {
                    let (tone, link) = if i.expired {
                        (
                            Tone::Warning,
                            // The link's end, in the clinic's time zone.
                            view! { "Expired" }
                                .into_any(),
                        )
                    } else {
                        let until = i.expires_at.clone();
                        (
                            Tone::Info,
                            view! {
                                "Until "
                                <When at=until />
                            }
                                .into_any(),
                        )
                    };
                    let (resend_id, revoke_id) = (i.id.to_string(), i.id.to_string());
                    let (resend_label, revoke_label) = (
                        format!("Send again to {}", i.email),
                        format!("Withdraw the invitation to {}", i.email),
                    );
                    view! {
                        <tr>
                            <td data-label="Person">
                                <span class="block font-semibold text-slate-900">
                                    {i.display_name}
                                </span>
                                <span class="block break-all text-sm text-slate-700">
                                    {i.email}
                                </span>
                            </td>
                            <td data-label="Role">
                                {i.role.label()}
                                {i
                                    .department
                                    .map(|d| {
                                        view! {
                                            <span class="block text-sm text-slate-700">{d}</span>
                                        }
                                    })}
                            </td>
                            <td data-label="Link">
                                <Badge tone=tone>{link}</Badge>
                                <span class="block text-sm text-slate-700">
                                    {format!("Invited by {}", i.invited_by)}
                                </span>
                            </td>
                            <td data-label="Actions">
                                <div class="flex flex-wrap gap-2">
                                    <ActionForm action=resend>
                                        <input type="hidden" name="slug" value=move || slug.get() />
                                        <input type="hidden" name="id" value=resend_id />
                                        <Button r#type="submit" variant=ButtonVariant::Secondary>
                                            <span class="sr-only">{resend_label}</span>
                                            <span aria-hidden="true">"Send again"</span>
                                        </Button>
                                    </ActionForm>
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="slug" value=move || slug.get() />
                                        <input type="hidden" name="id" value=revoke_id />
                                        <Button r#type="submit" variant=ButtonVariant::Danger>
                                            <span class="sr-only">{revoke_label}</span>
                                            <span aria-hidden="true">"Withdraw"</span>
                                        </Button>
                                    </ActionForm>
                                </div>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
