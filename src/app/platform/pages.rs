use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_query_map;

use super::{platform_audit_log, platform_context, platform_dashboard};
use crate::app::audit::{AuditFilters, AuditTable, use_audit_filter};
use crate::app::frame::{AccessError, PagedList};
use crate::app::frame::{Account, FrameInfo, SignedInFrame};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::shell::NavItem;
use crate::components::skeleton::Skeleton;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};

#[component]
pub fn PlatformLayout() -> impl IntoView {
    let info = Resource::new(
        || (),
        |_| async move {
            platform_context().await.map(|ctx| FrameInfo {
                context_name: "HMS platform".into(),
                bell: None,
                home: "/platform".into(),
                nav: vec![
                    NavItem::new("/platform", "Dashboard"),
                    NavItem::new("/platform/audit", "Audit log"),
                    NavItem::new("/platform/registrations", "Registrations"),
                    NavItem::new("/platform/outbox", "Outbox"),
                    NavItem::new("/platform/jobs", "Jobs"),
                ],
                account: Account {
                    display_name: ctx.display_name,
                    role_label: "Platform admin".into(),
                    idle_timeout_secs: ctx.idle_timeout_secs,
                    can_switch: false,
                },
            })
        },
    );
    view! {
        <SignedInFrame info=info>
            <Outlet />
        </SignedInFrame>
    }
}

fn page_from_query() -> Memo<u32> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    })
}

#[component]
pub fn PlatformDashboardPage() -> impl IntoView {
    let page = page_from_query();
    let data = Resource::new(move || page.get(), platform_dashboard);
    view! {
        <Title text="Platform" />
        <h1 class="text-3xl font-bold text-slate-900">"Platform overview"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading clinics…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let position = d.clinics.position();
                        let href = Callback::new(|p: u32| {
                            if p > 1 { format!("/platform?page={p}") } else { "/platform".into() }
                        });
                        let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
                        view! {
                            <Card title="Clinics" class="mt-4">
                                <DataTable
                                    caption="Clinics"
                                    columns=vec![
                                        Column::plain("Clinic"),
                                        Column::plain("Web address"),
                                        Column::plain("Status"),
                                        Column::plain("Staff"),
                                        Column::plain("Patients"),
                                    ]
                                    sort_key=""
                                    sort_dir=SortDirection::Asc
                                    sort_href=no_sort
                                >
                                    {d
                                        .clinics
                                        .items
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <tr>
                                                    <td
                                                        data-label="Clinic"
                                                        class="font-semibold text-slate-900"
                                                    >
                                                        {c.name}
                                                    </td>
                                                    <td data-label="Web address" class="font-mono text-sm">
                                                        {c.slug}
                                                    </td>
                                                    <td data-label="Status">
                                                        {crate::domain::clinics::clinic_status_label(&c.status)
                                                            .to_string()}
                                                    </td>
                                                    <td data-label="Staff" class="tabular-nums">
                                                        {c.staff}
                                                    </td>
                                                    <td data-label="Patients" class="tabular-nums">
                                                        {c.patients}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </DataTable>
                                <Pagination position=position href=href />
                            </Card>
                            <Card title="Recent sign-ins" class="mt-6">
                                <ul class="divide-y divide-slate-200" aria-label="Recent sign-ins">
                                    {d
                                        .sign_ins
                                        .into_iter()
                                        .map(|s| {
                                            view! {
                                                <li class="flex min-h-11 flex-wrap items-center justify-between gap-2 py-2">
                                                    <span class="font-medium text-slate-900">{s.email}</span>
                                                    <span class="text-sm text-slate-700">
                                                        {if s.succeeded { "signed in" } else { "failed attempt" }}
                                                        {format!(
                                                            " · {} UTC",
                                                            s.occurred_at.format("%Y-%m-%d %H:%M"),
                                                        )} {s.client_addr.map(|a| format!(" · {a}"))}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
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
pub fn PlatformAuditPage() -> impl IntoView {
    let filter = use_audit_filter();
    let page = page_from_query();
    let q = use_query_map();
    let clinic = Memo::new(move |_| q.with(|m| m.get("clinic").unwrap_or_default()));
    let data = Resource::new(
        move || (filter.get(), clinic.get(), page.get()),
        |(f, c, p)| platform_audit_log(f, c, p),
    );
    let error = Signal::derive(move || data.get().and_then(Result::err));
    view! {
        <Title text="Platform audit log" />
        <h1 class="text-3xl font-bold text-slate-900">"Audit log: all clinics"</h1>
        <div class="mt-4">
            <AuditFilters
                action_path=Signal::derive(|| "/platform/audit".to_string())
                filter=filter
                error=error
                clinic_field=clinic.get_untracked()
            />
        </div>
        <div class="mt-6">
            <PagedList
                data=data
                loading="Loading events…"
                href=Callback::new(move |p: u32| {
                    filter.get_untracked().page_href("/platform/audit", &clinic.get_untracked(), p)
                })
                render=|entries| view! { <AuditTable entries=entries show_clinic=true /> }
            />
        </div>
    }
}
