//! `/c/{slug}/sso`: the clinic admin connects the clinic's identity provider
//! and answers the people waiting to be let in through it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ApproveSsoRequest, RejectSsoRequest, SaveSsoSettings, clinic_sso};
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::{Pagination, When};
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::invitations::GRANTABLE_ROLES;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
use crate::domain::sso::{
    AccessRequest, MAX_CLIENT_ID_CHARS, MAX_CLIENT_SECRET_CHARS, MAX_DISPLAY_NAME_CHARS,
    MAX_DOMAINS_CHARS, MAX_ISSUER_CHARS, MAX_REASON_CHARS, NewUsers, PROVISION_ROLES,
    SsoSettingsView,
};
use crate::domain::staff::Department;

#[component]
pub fn SsoSettingsPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let saved = move || {
        q.with(|m| {
            m.get("saved")
                .is_some()
                .then_some("Single sign-on settings saved.")
        })
    };
    let save = ServerAction::<SaveSsoSettings>::new();
    let approve = ServerAction::<ApproveSsoRequest>::new();
    let reject = ServerAction::<RejectSsoRequest>::new();
    let data = Resource::new(
        move || {
            (
                slug.get(),
                page.get(),
                save.version().get() + approve.version().get() + reject.version().get(),
            )
        },
        |(s, p, _)| clinic_sso(s, p),
    );
    let decided = move || {
        let done = |ok: &'static str, r: Option<Result<(), AppError>>| {
            r.map(|r| {
                r.map(|()| ok.to_string()).map_err(|e| {
                    e.field_message("role")
                        .or(e.field_message("department"))
                        .or(e.field_message("reason"))
                        .map(str::to_owned)
                        .unwrap_or_else(|| e.to_string())
                })
            })
        };
        done(
            "Approved: they can sign in now, and an email tells them so.",
            approve.value().get(),
        )
        .or_else(|| done("The request was declined.", reject.value().get()))
    };
    view! {
        <Title text="Single sign-on" />
        <h1 class="text-3xl font-bold text-slate-900">"Single sign-on"</h1>
        <p class="mt-2 text-slate-700">
            "Let staff sign in with their organisation's account (Google Workspace, Microsoft Entra, Keycloak or any OpenID Connect provider)."
        </p>
        {move || saved().map(|m| view! { <Notice>{m}</Notice> })}
        {move || {
            decided()
                .map(|r| match r {
                    Ok(m) => view! { <Notice>{m}</Notice> }.into_any(),
                    Err(m) => view! { <Notice tone=NoticeTone::Error>{m}</Notice> }.into_any(),
                })
        }}
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading single sign-on settings…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => {
                        let position = overview.requests.position();
                        let s = slug.get_untracked();
                        let href = Callback::new(move |p: u32| {
                            if p > 1 {
                                format!("/c/{s}/sso?page={p}")
                            } else {
                                format!("/c/{s}/sso")
                            }
                        });
                        view! {
                            <SettingsForm action=save settings=overview.settings />
                            <Card title="Waiting for approval" class="mt-6">
                                <Requests
                                    items=overview.requests.items
                                    departments=overview.departments
                                    approve=approve
                                    reject=reject
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
fn SettingsForm(action: ServerAction<SaveSsoSettings>, settings: SsoSettingsView) -> impl IntoView {
    let slug = use_slug();
    let field = move |name| field_error(action, name);
    let new_users = vec![
        (
            "approval".to_string(),
            "Wait for a clinic admin to approve them".to_string(),
        ),
        (
            "provision".to_string(),
            "Let them in at once with the role below".to_string(),
        ),
    ];
    let mut roles = vec![(String::new(), "No role (approval only)".to_string())];
    roles.extend(
        PROVISION_ROLES
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string())),
    );
    let mode = settings
        .new_users
        .map(NewUsers::mode)
        .unwrap_or("approval")
        .to_string();
    let role = settings
        .new_users
        .and_then(NewUsers::role)
        .map(|r| r.as_str().to_string())
        .unwrap_or_default();
    let secret_hint = if settings.configured {
        "Saved and never shown again. Leave empty to keep it; type a new one to replace it."
    } else {
        "Stored encrypted, never shown again."
    };
    let enabled = settings.enabled;
    // The secret field empties whenever the form comes back: a secret is
    // sent once and never left lying in the page.
    let no_secret = Signal::derive(move || {
        action.version().get();
        String::new()
    });
    view! {
        <Card title="Identity provider" class="mt-6">
            {(!settings.can_store_secrets)
                .then(|| {
                    view! {
                        <p
                            role="alert"
                            class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950"
                        >
                            "This server has no key for client secrets (HMS_SECRET_KEY), so settings cannot be saved yet."
                        </p>
                    }
                })}
            <p class="mb-4 text-slate-700">
                "Register HMS at your provider with this redirect address: "
                <code class="break-all rounded bg-slate-100 px-1 font-mono text-slate-900">
                    {settings.redirect_uri.clone()}
                </code>
            </p>
            <ActionForm action=action attr:class="grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(action) />
                    <FormAlert message=field("form") />
                </div>
                <input type="hidden" name="slug" value=move || slug.get() />
                <TextField
                    name="settings[display_name]"
                    label="Button name"
                    value=settings.display_name
                    required=true
                    max_length=MAX_DISPLAY_NAME_CHARS
                    error=field("display_name")
                    hint=Some("Shown as “Sign in with …”.".to_string())
                />
                <TextField
                    name="settings[issuer_url]"
                    label="Issuer URL"
                    input_type="url"
                    value=settings.issuer_url
                    required=true
                    max_length=MAX_ISSUER_CHARS
                    error=field("issuer_url")
                    placeholder="https://accounts.google.com"
                />
                <TextField
                    name="settings[client_id]"
                    label="Client id"
                    value=settings.client_id
                    autocomplete="off"
                    required=true
                    max_length=MAX_CLIENT_ID_CHARS
                    error=field("client_id")
                />
                <TextField
                    name="settings[client_secret]"
                    label="Client secret"
                    input_type="password"
                    autocomplete="new-password"
                    value=no_secret
                    required=!settings.configured
                    max_length=MAX_CLIENT_SECRET_CHARS
                    error=field("client_secret")
                    hint=Some(secret_hint.to_string())
                />
                <div class="md:col-span-2">
                    <TextField
                        name="settings[allowed_domains]"
                        label="Allowed email domains"
                        value=settings.allowed_domains.join(", ")
                        required=true
                        max_length=MAX_DOMAINS_CHARS
                        error=field("allowed_domains")
                        placeholder="example.org, staff.example.org"
                        hint=Some(
                            "Only verified addresses in these domains may sign in.".to_string(),
                        )
                    />
                </div>
                <SelectField
                    name="settings[new_users]"
                    label="Someone new signs in"
                    options=new_users
                    value=mode
                    required=true
                    error=field("new_users")
                />
                <SelectField
                    name="settings[provision_role]"
                    label="Role for new people"
                    options=roles
                    value=role
                    error=field("provision_role")
                    hint="Doctors and admins always need an admin's approval."
                />
                <label class="flex min-h-11 items-center gap-3 md:col-span-2">
                    <input
                        type="checkbox"
                        name="settings[enabled]"
                        checked=enabled
                        class="size-6 shrink-0"
                    />
                    <span class="font-medium text-slate-900">
                        "Offer single sign-on on the sign-in page"
                    </span>
                </label>
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=action.pending()>
                        "Save settings"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn Requests(
    items: Vec<AccessRequest>,
    departments: Vec<Department>,
    approve: ServerAction<ApproveSsoRequest>,
    reject: ServerAction<RejectSsoRequest>,
) -> impl IntoView {
    let slug = use_slug();
    if items.is_empty() {
        return view! {
            <EmptyState
                title="Nobody is waiting"
                message="People who sign in through the provider and need your approval appear here."
            />
        }
            .into_any();
    }
    let mut roles = vec![(String::new(), "Choose a role".to_string())];
    roles.extend(
        GRANTABLE_ROLES
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string())),
    );
    let mut depts = vec![(String::new(), "No department".to_string())];
    depts.extend(departments.into_iter().map(|d| (d.id.to_string(), d.name)));
    view! {
        <ul class="flex flex-col gap-4">
            {items
                .into_iter()
                .map(|r| {
                    let (approve_id, reject_id) = (r.id.to_string(), r.id.to_string());
                    let when = r.requested_at.clone();
                    let asked = if r.request_count > 1 {
                        // In the clinic's time zone; the zone itself on hover.
                        view! {
                            {format!("Asked {} times, last on ", r.request_count)}
                            <When at=when />
                        }
                            .into_any()
                    } else {
                        view! {
                            "Asked on "
                            <When at=when />
                        }
                            .into_any()
                    };
                    let (roles, depts) = (roles.clone(), depts.clone());
                    let role_label = format!("Role for {}", r.display_name);
                    let reason_label = format!("Reason for declining {}", r.display_name);
                    view! {
                        <li class="rounded-lg border border-slate-200 p-4">
                            <p class="font-semibold text-slate-900">{r.display_name}</p>
                            <p class="break-all text-slate-700">{r.email}</p>
                            <p class="text-sm text-slate-700">{asked}</p>
                            <div class="mt-3 grid gap-4 md:grid-cols-2">
                                <ActionForm action=approve attr:class="flex flex-col gap-3">
                                    <input type="hidden" name="slug" value=move || slug.get() />
                                    <input type="hidden" name="id" value=approve_id />
                                    <SelectField
                                        name="role"
                                        label=role_label
                                        options=roles
                                        required=true
                                    />
                                    <SelectField
                                        name="department"
                                        label="Department"
                                        options=depts
                                        hint="Required for doctors and heads of department."
                                    />
                                    <Button r#type="submit">"Approve"</Button>
                                </ActionForm>
                                <ActionForm action=reject attr:class="flex flex-col gap-3">
                                    <input type="hidden" name="slug" value=move || slug.get() />
                                    <input type="hidden" name="id" value=reject_id />
                                    <TextField
                                        name="reason"
                                        label=reason_label
                                        max_length=MAX_REASON_CHARS
                                        hint=Some("Optional; kept in the audit log.".to_string())
                                    />
                                    <Button r#type="submit" variant=ButtonVariant::Danger>
                                        "Decline"
                                    </Button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
