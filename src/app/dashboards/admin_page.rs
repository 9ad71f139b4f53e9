use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::admin_dashboard;
use crate::app::audit::AuditTable;
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::components::badge::{Badge, Tone};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::skeleton::Skeleton;
use crate::components::stat_tile::StatTile;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};

/// The clinic admin's dashboard: staff directory, patient count, recent audit events.
#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), page.get()),
        |(s, p)| admin_dashboard(s, p),
    );
    view! {
        <Title text="Clinic administration" />
        <h1 class="text-3xl font-bold text-slate-900">"Clinic administration"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the dashboard…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let slug = slug.get_untracked();
                        let active_staff = d.staff.total;
                        let position = d.staff.position();
                        let base = format!("/c/{slug}/admin");
                        let (staff_base, audit_href) = (
                            format!("/c/{slug}/staff"),
                            format!("/c/{slug}/audit"),
                        );
                        let href = Callback::new(move |p: u32| {
                            if p > 1 { format!("{base}?page={p}") } else { base.clone() }
                        });
                        let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
                        view! {
                            <div class="mt-4 grid gap-4 md:grid-cols-2">
                                <StatTile
                                    label="Registered patients"
                                    value=d.patient_count.to_string()
                                />
                                <StatTile
                                    label="Staff memberships"
                                    value=active_staff.to_string()
                                />
                            </div>
                            <Card title="Staff directory" class="mt-6">
                                <DataTable
                                    caption="Staff directory"
                                    columns=vec![
                                        Column::plain("Name"),
                                        Column::plain("Role"),
                                        Column::plain("Department"),
                                        Column::plain("Status"),
                                        Column::plain("Last sign-in"),
                                        Column::plain("Manage"),
                                    ]
                                    sort_key=""
                                    sort_dir=SortDirection::Asc
                                    sort_href=no_sort
                                >
                                    {d
                                        .staff
                                        .items
                                        .into_iter()
                                        .map(|s| {
                                            let (tone, status) = match (s.active, s.account_active) {
                                                (true, true) => (Tone::Success, "Active"),
                                                (false, _) => (Tone::Neutral, "Deactivated"),
                                                (true, false) => (Tone::Danger, "Account disabled"),
                                            };
                                            let manage_href = format!(
                                                "{staff_base}/{}",
                                                s.membership_id,
                                            );
                                            let manage_label = format!(
                                                "Manage {} ({})",
                                                s.display_name,
                                                s.role.label(),
                                            );
                                            view! {
                                                <tr>
                                                    <td>
                                                        <span class="block font-semibold text-slate-900">
                                                            {s.display_name}
                                                        </span>
                                                        <span class="block text-sm text-slate-700">{s.email}</span>
                                                    </td>
                                                    <td>{s.role.label()}</td>
                                                    <td>{s.department.unwrap_or_else(|| "—".into())}</td>
                                                    <td>
                                                        <Badge tone=tone>{status}</Badge>
                                                    </td>
                                                    <td class="tabular-nums">
                                                        {s
                                                            .last_login_at
                                                            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                                                            .unwrap_or_else(|| "Never".into())}
                                                    </td>
                                                    <td>
                                                        <a
                                                            href=manage_href
                                                            class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                                                        >
                                                            <span class="sr-only">{manage_label}</span>
                                                            <span aria-hidden="true">"Manage"</span>
                                                        </a>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </DataTable>
                                <Pagination position=position href=href />
                            </Card>
                            <Card title="Recent audit events" class="mt-6">
                                <AuditTable entries=d.recent_events show_clinic=false />
                                <a
                                    href=audit_href
                                    class="mt-3 inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                                >
                                    "Open the full audit log"
                                </a>
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
