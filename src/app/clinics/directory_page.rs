use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::list_clinics;
use crate::app::errors::{ServerErrorPage, set_error_status};
use crate::app::frame::PublicFrame;
use crate::components::button::{Button, LinkButton};
use crate::components::data_table::{Column, DataTable, Pagination};
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::clinics::{ClinicSort, MAX_DIRECTORY_QUERY_CHARS, parse_directory_query};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::url::with_query;

#[derive(Clone, Debug, PartialEq)]
struct DirectoryQuery {
    q: String,
    sort: ClinicSort,
    page: u32,
}

impl DirectoryQuery {
    fn href(&self, sort: ClinicSort, page: u32) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        with_query(
            "/clinics",
            &[
                ("q", &self.q),
                ("sort", sort.key.as_str()),
                ("dir", sort.direction.as_str()),
                ("page", &page),
            ],
        )
    }
}

#[component]
pub fn ClinicDirectoryPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|m| DirectoryQuery {
            q: m.get("q").unwrap_or_default(),
            sort: ClinicSort::from_query(m.get("sort").as_deref(), m.get("dir").as_deref()),
            page: PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page(),
        })
    });
    // The same rule the server applies, checked here first so the message
    // appears without a round trip.
    let q_error = Signal::derive(move || query.with(|d| parse_directory_query(&d.q).err()));
    let clinics = Resource::new(
        move || query.get(),
        |d| async move {
            parse_directory_query(&d.q).map_err(|m| AppError::validation("q", m))?;
            list_clinics(
                d.q,
                d.sort.key.as_str().into(),
                d.sort.direction.as_str().into(),
                d.page,
            )
            .await
        },
    );

    view! {
        <Title text="Find a clinic" />
        <PublicFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Find your clinic"</h1>
            <p class="mt-2 max-w-2xl text-slate-700">
                "Clinics and hospitals that use HMS. Search by name or address."
            </p>
            <Form method="GET" action="/clinics">
                <div role="search" class="mt-4 flex flex-col gap-3 md:flex-row md:items-end">
                    <div class="md:w-96">
                        <TextField
                            name="q"
                            label="Search clinics"
                            input_type="search"
                            value=Signal::derive(move || query.with(|d| d.q.clone()))
                            error=q_error
                            max_length=MAX_DIRECTORY_QUERY_CHARS
                            placeholder="For example: Riverside"
                        />
                    </div>
                    <Button r#type="submit">"Search"</Button>
                </div>
            </Form>
            <div class="mt-6">
                <Suspense fallback=|| {
                    view! { <Skeleton rows=5 label="Loading clinics…" /> }
                }>
                    {move || Suspend::new(async move {
                        let d = query.get_untracked();
                        match clinics.await {
                            Ok(page) => directory_table(d, page).into_any(),
                            Err(AppError::Validation(_)) => {
                                set_error_status(&AppError::Validation(vec![]));
                                ().into_any()
                            }
                            Err(e) => {
                                // The field already shows what is wrong with the search.
                                view! {
                                    <ServerErrorPage error=e retry_href=d.href(d.sort, d.page) />
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </PublicFrame>
    }
}

fn directory_table(
    d: DirectoryQuery,
    page: crate::domain::paging::Page<crate::domain::clinics::ClinicListing>,
) -> impl IntoView {
    if page.items.is_empty() && page.total > 0 {
        let first = d.href(d.sort, 1);
        return view! {
            <EmptyState
                title="No more clinics"
                message=format!("This page is past the end of the list of {} clinics.", page.total)
            >
                <LinkButton href=first>"Back to the first page"</LinkButton>
            </EmptyState>
        }
        .into_any();
    }
    if page.items.is_empty() {
        let message = if d.q.is_empty() {
            "No clinics have joined HMS yet.".to_string()
        } else {
            format!(
                "No clinic matches “{}”. Try part of the name or the town.",
                d.q
            )
        };
        return view! { <EmptyState title="No clinics found" message=message /> }.into_any();
    }
    let sort_query = d.clone();
    let sort_href = Callback::new(move |(key, dir): (String, SortDirection)| {
        let sort = ClinicSort::from_query(Some(&key), Some(dir.as_str()));
        sort_query.href(sort, 1)
    });
    let page_query = d.clone();
    let page_href = Callback::new(move |p: u32| page_query.href(page_query.sort, p));
    let columns = vec![
        Column::sortable("name", "Clinic"),
        Column::sortable("address", "Address"),
        Column::plain("Phone"),
    ];
    let position = page.position();
    view! {
        <DataTable
            caption="Clinics using HMS"
            columns=columns
            sort_key=d.sort.key.as_str()
            sort_dir=d.sort.direction
            sort_href=sort_href
        >
            {page
                .items
                .into_iter()
                .map(|c| {
                    let sign_in = crate::domain::url::with_query("/login", &[("clinic", &c.slug)]);
                    // The clinic's sign-in, which offers its single sign-on.
                    view! {
                        <tr>
                            <td data-label="Clinic">
                                <a href=sign_in class="font-semibold text-teal-800 underline">
                                    {c.name}
                                </a>
                            </td>
                            <td data-label="Address" class="text-slate-700">
                                {c.address}
                            </td>
                            <td data-label="Phone" class="text-slate-700 tabular-nums">
                                {c.phone}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
        <Pagination position=position href=page_href />
    }
    .into_any()
}
