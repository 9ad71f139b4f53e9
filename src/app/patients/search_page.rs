//! Patient search: the receptionist's dashboard and the Patients page of
//! other clinical staff. A GET form, so results are bookmarkable and work
//! without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::search_patients;
use crate::app::frame::{PagedList, use_slug};
use crate::components::button::Button;
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::domain::AppError;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::patients::{MAX_PATIENT_QUERY_CHARS, PatientSummary, parse_patient_query};
use crate::domain::url::with_query;

#[component]
pub fn ReceptionDashboardPage() -> impl IntoView {
    view! { <PatientSearch title="Front desk" page="reception" /> }
}

#[component]
pub fn PatientsPage() -> impl IntoView {
    view! { <PatientSearch title="Patients" page="patients" /> }
}

#[component]
fn PatientSearch(title: &'static str, page: &'static str) -> impl IntoView {
    let slug = use_slug();
    let query_map = use_query_map();
    let q = Memo::new(move |_| query_map.with(|m| m.get("q").unwrap_or_default()));
    let page_no = Memo::new(move |_| {
        query_map
            .with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let q_error =
        Signal::derive(move || q.with(|q| parse_patient_query(q).err().map(str::to_owned)));
    let results = Resource::new(
        move || (slug.get(), q.get(), page_no.get()),
        |(slug, q, page)| async move {
            parse_patient_query(&q).map_err(|m| AppError::validation("q", m))?;
            search_patients(slug, q, page).await
        },
    );
    let base = move || format!("/c/{}/{page}", slug.get());
    view! {
        <Title text=title />
        <h1 class="text-3xl font-bold text-slate-900">{title}</h1>
        <Form method="GET" action=base>
            <div role="search" class="mt-4 flex flex-col gap-3 md:flex-row md:items-end">
                <div class="md:w-[28rem]">
                    <TextField
                        name="q"
                        label="Search patients"
                        input_type="search"
                        hint=Some("Name, patient number or phone number".to_string())
                        value=q
                        error=q_error
                        max_length=MAX_PATIENT_QUERY_CHARS
                    />
                </div>
                <Button r#type="submit">"Search"</Button>
            </div>
        </Form>
        <div class="mt-6">
            <PagedList
                data=results
                loading="Searching…"
                rows=6
                href=Callback::new(move |p: u32| {
                    let p = if p > 1 { p.to_string() } else { String::new() };
                    with_query(
                        &format!("/c/{}/{page}", slug.get_untracked()),
                        &[("q", &q.get_untracked()), ("page", &p)],
                    )
                })
                empty=move || {
                    let q = q.get_untracked();
                    let message = if q.trim().is_empty() {
                        "No patients are registered yet.".to_string()
                    } else {
                        format!("No patient matches “{}”.", q.trim())
                    };
                    view! { <EmptyState title="No patients found" message=message /> }
                }
                render=move |found| {
                    view! { <Results found=found slug=slug.get_untracked() q=q.get_untracked() /> }
                }
            />
        </div>
    }
}

/// One page of patients found, linked to their records.
#[component]
fn Results(found: Vec<PatientSummary>, slug: String, q: String) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    let caption = if q.trim().is_empty() {
        "Recently registered patients".to_string()
    } else {
        format!("Patients matching “{}”", q.trim())
    };
    view! {
        <DataTable
            caption=caption
            columns=vec![
                Column::plain("Patient"),
                Column::plain("Number"),
                Column::plain("Born"),
                Column::plain("Phone"),
            ]
            sort_key=""
            sort_dir=SortDirection::Asc
            sort_href=no_sort
        >
            {found
                .into_iter()
                .map(|p| {
                    let href = format!("/c/{slug}/patients/{}", p.id);
                    view! {
                        <tr>
                            <td>
                                <a href=href class="font-semibold text-teal-800 underline">
                                    {format!("{} {}", p.given_name, p.family_name)}
                                </a>
                            </td>
                            <td class="tabular-nums">{p.patient_number}</td>
                            <td class="tabular-nums">{p.date_of_birth.to_string()}</td>
                            <td class="tabular-nums">{p.phone}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
