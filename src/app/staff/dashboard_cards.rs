//! The staff area's cards on the role dashboards: the admin's directory and
//! head count, and a member's own department.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use super::{my_department, staff_count, staff_directory};
use crate::app::frame::{Loaded, PagedList, use_slug};
use crate::components::badge::{Badge, Tone};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, LongValue, When};
use crate::components::stat_tile::StatTile;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::staff::{MyDepartment, StaffMember};

/// How many staff memberships the clinic has.
#[component]
pub fn StaffCountTile() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), staff_count);
    view! {
        <Loaded
            data=data
            loading="Counting staff…"
            rows=1
            render=|n| view! { <StatTile label="Staff memberships" value=n.to_string() /> }
        />
    }
}

/// The clinic's staff by name, a page at a time (`?page=` of this page).
#[component]
pub fn StaffDirectoryCard() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let path = use_location().pathname;
    let page = Memo::new(move |_| {
        query.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), page.get()),
        |(s, p)| staff_directory(s, p),
    );
    let href = Callback::new(move |p: u32| {
        let base = path.get_untracked();
        if p > 1 {
            format!("{base}?page={p}")
        } else {
            base
        }
    });
    view! {
        <Card title="Staff directory" class="mt-6">
            <PagedList
                data=data
                loading="Loading the staff directory…"
                href=href
                render=move |staff| {
                    view! { <StaffTable staff=staff slug=slug.get_untracked() /> }
                }
            />
        </Card>
    }
}

#[component]
fn StaffTable(staff: Vec<StaffMember>, slug: String) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
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
            {staff
                .into_iter()
                .map(|s| {
                    let (tone, status) = match (s.active, s.account_active) {
                        (true, true) => (Tone::Success, "Active"),
                        (false, _) => (Tone::Neutral, "Deactivated"),
                        (true, false) => (Tone::Danger, "Account disabled"),
                    };
                    let manage_href = format!("/c/{slug}/staff/{}", s.membership_id);
                    let manage_label = format!("Manage {} ({})", s.display_name, s.role.label());
                    view! {
                        <tr>
                            <td data-label="Name">
                                <span class="block font-semibold text-slate-900">
                                    {s.display_name}
                                </span>
                                <LongValue value=s.email />
                            </td>
                            <td data-label="Role">{s.role.label()}</td>
                            <td data-label="Department">
                                {s.department.unwrap_or_else(|| "—".into())}
                            </td>
                            <td data-label="Status">
                                <Badge tone=tone>{status}</Badge>
                            </td>
                            <td data-label="Last sign-in" class="tabular-nums">
                                {match s.last_login {
                                    Some(t) => view! { <When at=t /> }.into_any(),
                                    None => "Never".into_any(),
                                }}
                            </td>
                            <td data-label="Manage">
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
    }
}

/// The signed-in member's department, its head and their colleagues.
#[component]
pub fn MyDepartmentCard() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), my_department);
    view! {
        <Card title="My department">
            <Loaded
                data=data
                loading="Loading your department…"
                rows=4
                render=|mine| view! { <DepartmentView mine=mine /> }
            />
        </Card>
    }
}

#[component]
fn DepartmentView(mine: MyDepartment) -> impl IntoView {
    let more = mine.colleagues_not_shown();
    view! {
        {match mine.department {
            Some(d) => {
                view! {
                    <p class="text-lg font-semibold text-slate-900">
                        {format!("{} ({})", d.name, d.code)}
                    </p>
                    <p class="text-slate-700">
                        {format!("Head: {}", d.head.unwrap_or_else(|| "not appointed".into()))}
                    </p>
                }
                    .into_any()
            }
            None => {
                view! { <p class="text-slate-700">"You are not assigned to a department."</p> }
                    .into_any()
            }
        }}
        <h3 class="mt-4 font-semibold text-slate-900">"Colleagues"</h3>
        {if mine.colleagues.is_empty() {
            view! { <p class="text-slate-700">"No colleagues in this department yet."</p> }
                .into_any()
        } else {
            view! {
                <ul class="mt-2 divide-y divide-slate-200" aria-label="Colleagues">
                    {mine
                        .colleagues
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li class="flex min-h-11 items-center justify-between gap-2 py-2">
                                    <span class="font-medium text-slate-900">{c.display_name}</span>
                                    <span class="text-sm text-slate-700">{c.role.label()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {(more > 0)
                    .then(|| {
                        view! {
                            <p class="mt-2 text-slate-700">
                                {format!(
                                    "and {more} more {}",
                                    if more == 1 { "colleague" } else { "colleagues" },
                                )}
                            </p>
                        }
                    })}
            }
                .into_any()
        }}
    }
}
