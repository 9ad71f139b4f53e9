//! `/c/{slug}/displays`: the clinic admin makes a link for a waiting-room
//! screen (one department or all), sees it once to open on the screen, and
//! revokes links no longer used.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{CreateDisplay, RevokeDisplay, clinic_displays};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable, Pagination, When};
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextField};
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::displays::{DisplaysPage as Page, MAX_NAME_CHARS};
use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest, SortDirection};

#[component]
pub fn DisplaysPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let page = Memo::new(move |_| {
        q.with(|m| PageRequest::from_query(m.get("page").as_deref(), DEFAULT_PER_PAGE).page())
    });
    let data = Resource::new(
        move || (slug.get(), page.get()),
        |(s, p)| clinic_displays(s, p),
    );
    view! {
        <Title text="Queue displays" />
        <h1 class="text-3xl font-bold text-slate-900">"Queue displays"</h1>
        <p class="mt-2 text-slate-700">
            "A display link shows the tokens being served and the next ones on a waiting-room screen, never a patient's name. Anyone with the link can see it: open it on the screen, and revoke it when the screen is retired."
        </p>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading displays…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Displays page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Displays(page: Page) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let create = ServerAction::<CreateDisplay>::new();
    let revoke = ServerAction::<RevokeDisplay>::new();
    let departments: Vec<(String, String)> =
        std::iter::once((String::new(), "All departments".to_string()))
            .chain(
                page.departments
                    .into_iter()
                    .map(|(id, n)| (id.to_string(), n)),
            )
            .collect();
    let position = page.displays.position();
    let here = format!("/c/{slug}/displays");
    let href = Callback::new(move |p: u32| {
        if p > 1 {
            format!("{here}?page={p}")
        } else {
            here.clone()
        }
    });
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    let empty = page.displays.items.is_empty();
    let rows: Vec<AnyView> = page
        .displays
        .items
        .into_iter()
        .map(|d| {
            let id = d.id.to_string();
            let label = format!("Revoke the display {}", d.name);
            view! {
                <tr>
                    <td data-label="Screen" class="font-semibold">
                        {d.name}
                    </td>
                    <td data-label="Shows">
                        {d.department.unwrap_or_else(|| "All departments".into())}
                    </td>
                    <td data-label="Made">
                        <When at=d.created_at />
                        <span class="block text-sm text-slate-700">
                            {format!("by {}", d.created_by)}
                        </span>
                    </td>
                    <td data-label="Link">
                        {if d.revoked {
                            view! { <Badge tone=Tone::Neutral>"Revoked"</Badge> }.into_any()
                        } else {
                            let slug = slug.clone();
                            view! {
                                <ActionForm action=revoke>
                                    <input type="hidden" name="slug" value=slug />
                                    <input type="hidden" name="id" value=id />
                                    <Button r#type="submit" variant=ButtonVariant::Danger>
                                        <span class="sr-only">{label}</span>
                                        <span aria-hidden="true">"Revoke"</span>
                                    </Button>
                                </ActionForm>
                            }
                                .into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .map(IntoAny::into_any)
        .collect();
    let form_slug = slug.clone();
    view! {
        {page
            .new_link
            .map(|link| {
                view! {
                    <Notice>
                        "The display is ready. Open this link on the screen; it is shown only now: "
                        <a href=link.clone() class="break-all font-semibold underline">
                            {link.clone()}
                        </a>
                    </Notice>
                }
            })}
        <Card title="New display" class="mt-6">
            <ActionForm action=create attr:class="grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(create) />
                </div>
                <input type="hidden" name="slug" value=form_slug />
                <TextField
                    name="display[name]"
                    label="Screen name"
                    required=true
                    max_length=MAX_NAME_CHARS
                    autocomplete="off"
                    error=field_error(create, "name")
                />
                <SelectField
                    name="display[department]"
                    label="Department"
                    options=departments
                    error=field_error(create, "department")
                />
                <div class="md:col-span-2">
                    <Button r#type="submit">"Make display link"</Button>
                </div>
            </ActionForm>
        </Card>
        <Card title="Displays" class="mt-6">
            {if empty {
                view! {
                    <EmptyState
                        title="No displays yet"
                        message="Make a link for each waiting-room screen."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <DataTable
                        caption="Display links"
                        columns=vec![
                            Column::plain("Screen"),
                            Column::plain("Shows"),
                            Column::plain("Made"),
                            Column::plain("Link"),
                        ]
                        sort_key=""
                        sort_dir=SortDirection::Asc
                        sort_href=no_sort
                    >
                        {rows}
                    </DataTable>
                    <Pagination position=position href=href />
                }
                    .into_any()
            }}
        </Card>
    }
}
