//! `/c/{slug}/schedule[?doctor=…]`: a doctor's weekly hours and the leave,
//! blocked time and extra sessions ahead, changed by the doctor, the head
//! of their department or the clinic's admin. Plain forms: the week is a
//! table of rows per weekday (its sessions and a spare row), so a session
//! can be added, changed or cleared without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::sessions_table::SessionsTable;
use super::{
    AddScheduleException, CalendarFeedCard, RemoveScheduleException, SaveWeek, doctor_schedule_page,
};
use crate::app::frame::{AccessError, WhenAllowed, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextField};
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{MAX_REASON_CHARS, MAX_ROOM_CHARS};
use crate::domain::paging::SortDirection;
use crate::domain::permission::Permission;
use crate::domain::schedules::{ExceptionKind, ScheduleEditor};

#[component]
pub fn SchedulePage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let doctor = Memo::new(move |_| q.with(|m| m.get("doctor").unwrap_or_default()));
    let saved = Memo::new(move |_| q.with(|m| m.get("saved").unwrap_or_default()));
    let data = Resource::new(
        move || (slug.get(), doctor.get()),
        |(s, d)| doctor_schedule_page(s, d),
    );
    view! {
        <Title text="Schedule" />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-3xl font-bold text-slate-900">"Schedule"</h1>
            <WhenAllowed permission=Permission::ManageClinic>
                <LinkButton
                    href=format!("/c/{}/schedule/settings", slug.get_untracked())
                    variant=ButtonVariant::Secondary
                >
                    "Booking rules"
                </LinkButton>
            </WhenAllowed>
        </div>
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the schedule…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => {
                        view! { <EditorView editor=e saved=saved.get_untracked() /> }.into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <CalendarFeedCard />
    }
}

fn saved_message(saved: &str) -> Option<&'static str> {
    match saved {
        "week" => Some("Weekly hours saved. Appointments already booked stay as they are."),
        "exception" => Some("Added to the schedule."),
        "removed" => Some("Removed from the schedule."),
        _ => None,
    }
}

#[component]
fn EditorView(editor: ScheduleEditor, saved: String) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let doctor = editor.doctor_user_id.to_string();
    let doctors: Vec<(String, String)> = editor
        .doctors
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let several = doctors.len() > 1;
    view! {
        <p class="mt-1 text-slate-700">
            {format!(
                "{} · times are the clinic's ({}), in slots of {} minutes",
                editor.doctor,
                editor.zone,
                editor.slot_minutes,
            )}
        </p>
        {saved_message(&saved).map(|m| view! { <Notice>{m}</Notice> })}
        {several
            .then(|| {
                view! {
                    <form
                        method="get"
                        action=format!("/c/{slug}/schedule")
                        class="mt-4 flex flex-wrap items-end gap-3"
                    >
                        <SelectField
                            name="doctor"
                            label="Doctor"
                            options=doctors.clone()
                            value=doctor.clone()
                        />
                        <Button r#type="submit" variant=ButtonVariant::Secondary>
                            "Open schedule"
                        </Button>
                    </form>
                }
            })}
        <WeekForm slug=slug.clone() editor=editor.clone() />
        <ExceptionsCard slug=slug.clone() editor=editor />
    }
}

#[component]
fn WeekForm(slug: String, editor: ScheduleEditor) -> impl IntoView {
    let action = ServerAction::<SaveWeek>::new();
    let error = Callback::new(move |name: String| field_error(action, name));
    view! {
        <Card title="Weekly hours" class="mt-6">
            <p class="mb-3 text-slate-700">
                "Each row is one session. Leave a row empty for none; clear a row to remove its session."
            </p>
            <ActionForm action=action attr:class="flex flex-col gap-4">
                <FormAlert message=form_error(action) />
                <FormAlert message=field_error(action, "sessions") />
                <FormAlert message=field_error(action, "doctor") />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="doctor" value=editor.doctor_user_id.to_string() />
                <SessionsTable
                    caption="Sessions by weekday"
                    week=editor.week
                    with_room=true
                    error=error
                />
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Save weekly hours"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn ExceptionsCard(slug: String, editor: ScheduleEditor) -> impl IntoView {
    let add = ServerAction::<AddScheduleException>::new();
    let remove = ServerAction::<RemoveScheduleException>::new();
    let f = move |name| field_error(add, name);
    let kinds = ExceptionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect::<Vec<_>>();
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    let rows = editor.exceptions;
    let remove_slug = slug.clone();
    view! {
        <Card title="Leave, blocked time and extra sessions" class="mt-6">
            {if rows.is_empty() {
                view! {
                    <EmptyState
                        title="Nothing ahead"
                        message="The weekly hours apply as they are."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <FormAlert message=form_error(remove) />
                    <DataTable
                        caption="Ahead"
                        columns=vec![
                            Column::plain("What"),
                            Column::plain("From"),
                            Column::plain("To"),
                            Column::plain("Room and reason"),
                            Column::plain("Actions"),
                        ]
                        sort_key=""
                        sort_dir=SortDirection::Asc
                        sort_href=no_sort
                    >
                        {rows
                            .into_iter()
                            .map(|e| {
                                let label = format!(
                                    "Remove {} from {}",
                                    e.kind.label().to_lowercase(),
                                    e.starts.compact(),
                                );
                                let about = [e.room.clone(), e.reason.clone()]
                                    .into_iter()
                                    .filter(|s| !s.is_empty())
                                    .collect::<Vec<_>>()
                                    .join(" · ");
                                let (row_slug, id) = (remove_slug.clone(), e.id.to_string());
                                view! {
                                    <tr>
                                        <td data-label="What">{e.kind.label()}</td>
                                        <td data-label="From">
                                            <time datetime=e
                                                .starts
                                                .machine()>{e.starts.compact()}</time>
                                        </td>
                                        <td data-label="To">
                                            <time datetime=e.ends.machine()>{e.ends.compact()}</time>
                                        </td>
                                        <td data-label="Room and reason">{about}</td>
                                        <td data-label="Actions">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="slug" value=row_slug />
                                                <input type="hidden" name="id" value=id />
                                                <Button r#type="submit" variant=ButtonVariant::Secondary>
                                                    <span class="sr-only">{label}</span>
                                                    <span aria-hidden="true">"Remove"</span>
                                                </Button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
            <h3 class="mt-6 text-lg font-semibold text-slate-900">"Add"</h3>
            <ActionForm action=add attr:class="mt-2 grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(add) />
                    <FormAlert message=f("doctor") />
                </div>
                <input type="hidden" name="slug" value=slug />
                <input
                    type="hidden"
                    name="exception[doctor]"
                    value=editor.doctor_user_id.to_string()
                />
                <SelectField
                    name="exception[kind]"
                    label="What"
                    options=kinds
                    value="leave".to_string()
                    required=true
                    error=f("kind")
                />
                <TextField
                    name="exception[room]"
                    label="Room"
                    max_length=MAX_ROOM_CHARS
                    error=f("room")
                    hint=Some("For an extra session.".to_string())
                />
                <TextField
                    name="exception[from_date]"
                    label="From date"
                    input_type="date"
                    required=true
                    error=f("from_date")
                />
                <TextField
                    name="exception[from_time]"
                    label="From time"
                    input_type="time"
                    error=f("from_time")
                    hint=Some("Empty: from the start of the day.".to_string())
                />
                <TextField
                    name="exception[to_date]"
                    label="To date"
                    input_type="date"
                    required=true
                    error=f("to_date")
                />
                <TextField
                    name="exception[to_time]"
                    label="To time"
                    input_type="time"
                    error=f("to_time")
                    hint=Some("Empty: to the end of the day.".to_string())
                />
                <div class="md:col-span-2">
                    <TextField
                        name="exception[reason]"
                        label="Reason"
                        max_length=MAX_REASON_CHARS
                        error=f("reason")
                    />
                </div>
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=add.pending()>
                        "Add to schedule"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
