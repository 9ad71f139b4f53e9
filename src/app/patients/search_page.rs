//! Patient search: the receptionist's dashboard and the Patients page of
//! other clinical staff. The form posts what was typed (it works without
//! JavaScript), and the results page's address carries an opaque handle
//! instead: names never reach browser history, proxy logs or referrers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{StartPatientSearch, recall_patient_search, search_patients_by_handle};
use crate::app::frame::{PagedList, WhenAllowed, use_slug};
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::button::{Button, LinkButton};
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};
use crate::domain::patients::{MAX_PATIENT_QUERY_CHARS, PatientSummary};
use crate::domain::permission::Permission;
use crate::domain::url::with_query;

/// The front desk: search or register, then today's queue.
#[component]
pub fn ReceptionDashboardPage() -> impl IntoView {
    view! {
        <PatientSearch title="Front desk" page="reception" />
        <crate::app::visits::DeskQueueSection />
    }
}

#[component]
pub fn PatientsPage() -> impl IntoView {
    view! { <PatientSearch title="Patients" page="patients" /> }
}

#[component]
fn PatientSearch(title: &'static str, page: &'static str) -> impl IntoView {
    let slug = use_slug();
    let open_record =
        Callback::new(move |id: String| format!("/c/{}/patients/{id}", slug.get_untracked()));
    view! {
        <Title text=title />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-3xl font-bold text-slate-900">{title}</h1>
            <WhenAllowed permission=Permission::RegisterPatients>
                <LinkButton href=format!(
                    "/c/{}/patients/new",
                    slug.get_untracked(),
                )>"Register patient"</LinkButton>
            </WhenAllowed>
        </div>
        <PatientFinder from=page path=page.to_string() keep=Vec::new() link=open_record />
    }
}

/// The search box and its results, one page at a time. `from` names the
/// page to the server (`SearchFrom`), `path` is that page under the clinic
/// (for the results' pages), `keep` are fields the search carries along
/// (the booking page's choices), and `link` makes each patient's link from
/// their id.
#[component]
pub fn PatientFinder(
    from: &'static str,
    path: String,
    keep: Vec<(&'static str, String)>,
    link: Callback<String, String>,
) -> impl IntoView {
    let slug = use_slug();
    let query_map = use_query_map();
    let handle = Memo::new(move |_| query_map.with(|m| m.get("s").unwrap_or_default()));
    let page_no = Memo::new(move |_| {
        query_map
            .with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let start = ServerAction::<StartPatientSearch>::new();
    let q_error = Signal::derive(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message("q").map(str::to_owned))
    });
    // No search yet (the front desk as it opens): nothing to recall, and
    // no call to make.
    let recalled = Resource::new(
        move || (slug.get(), handle.get()),
        |(slug, s)| async move {
            if s.is_empty() {
                Ok(String::new())
            } else {
                recall_patient_search(slug, s).await
            }
        },
    );
    let results = Resource::new(
        move || (slug.get(), handle.get(), page_no.get()),
        |(slug, s, page)| search_patients_by_handle(slug, s, page),
    );
    let searched = move || !handle.with_untracked(String::is_empty);
    let (path, keep) = (StoredValue::new(path), StoredValue::new(keep));
    view! {
        // A role that may not search gets the refusal below, without a form
        // it cannot use: known from the frame, as a search not yet made
        // asks the server nothing.
        <WhenAllowed permission=Permission::ViewClinicPatients>
            <Suspense fallback=move || {
                view! { <Skeleton rows=1 label="Loading the search…" /> }
            }>
                {move || Suspend::new(async move {
                    let typed = match recalled.await {
                        Err(
                            AppError::Forbidden | AppError::NotFound | AppError::Unauthenticated,
                        ) => {
                            return ().into_any();
                        }
                        typed => typed.unwrap_or_default(),
                    };
                    // A stale handle only empties the box.
                    view! {
                        <ActionForm action=start>
                            <FormAlert message=form_error(start) />
                            <input type="hidden" name="slug" value=slug.get_untracked() />
                            <input type="hidden" name="from" value=from />
                            {keep
                                .get_value()
                                .into_iter()
                                .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
                                .collect_view()}
                            <div
                                role="search"
                                class="mt-4 flex flex-col gap-3 md:flex-row md:items-end"
                            >
                                <div class="md:w-[28rem]">
                                    <TextField
                                        name="q"
                                        label="Search patients"
                                        input_type="search"
                                        hint=Some(
                                            "Name, patient number or phone number".to_string(),
                                        )
                                        value=typed
                                        error=q_error
                                        max_length=MAX_PATIENT_QUERY_CHARS
                                    />
                                </div>
                                <Button r#type="submit" loading=start.pending()>
                                    "Search"
                                </Button>
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                })}
            </Suspense>
        </WhenAllowed>
        <div class="mt-6">
            <PagedList
                data=results
                loading="Searching…"
                rows=6
                href=Callback::new(move |p: u32| {
                    let p = if p > 1 { p.to_string() } else { String::new() };
                    let mut pairs = vec![("s", handle.get_untracked()), ("page", p)];
                    pairs.extend(keep.get_value());
                    let pairs: Vec<(&str, &str)> = pairs
                        .iter()
                        .map(|(k, v)| (*k, v.as_str()))
                        .collect();
                    with_query(&format!("/c/{}/{}", slug.get_untracked(), path.get_value()), &pairs)
                })
                empty=move || {
                    let message = if searched() {
                        "No patient matches this search."
                    } else {
                        "No patients are registered yet."
                    };
                    view! { <EmptyState title="No patients found" message=message /> }
                }
                render=move |found| {
                    view! { <Results found=found link=link searched=searched() /> }
                }
            />
        </div>
    }
}

/// One page of patients found, each linked by `link`.
#[component]
fn Results(
    found: Vec<PatientSummary>,
    link: Callback<String, String>,
    searched: bool,
) -> impl IntoView {
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    let caption = if searched {
        "Patients found"
    } else {
        "Recently registered patients"
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
                    let href = link.run(p.id.to_string());
                    view! {
                        <tr>
                            <td data-label="Patient">
                                <a href=href class="font-semibold text-teal-800 underline">
                                    {format!("{} {}", p.given_name, p.family_name)}
                                </a>
                            </td>
                            <td data-label="Number" class="tabular-nums">
                                {p.patient_number}
                            </td>
                            <td data-label="Born" class="tabular-nums">
                                {p.date_of_birth.to_string()}
                            </td>
                            <td data-label="Phone" class="tabular-nums">
                                {p.phone}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
