//! `/c/{slug}/appointments/new?patient=…`: "Book appointment". A GET form
//! chooses the department, the doctor (or the first available) and the
//! day; the day's free times follow as a choice, with the type and reason,
//! and "Book appointment" books one. Without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::status::doctor_options;
use super::{BookAppointment, booking_choices};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::field::{SelectField, TextAreaField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentType, BookingPage, MAX_REASON_CHARS, OfferedSlot};
use crate::domain::url::with_query;

#[component]
pub fn BookAppointmentPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| q.with(|m| m.get(k).unwrap_or_default()));
    let (patient, department, doctor, day) =
        (get("patient"), get("department"), get("doctor"), get("day"));
    let data = Resource::new(
        move || {
            (
                slug.get(),
                patient.get(),
                department.get(),
                doctor.get(),
                day.get(),
            )
        },
        |(s, p, dep, doc, d)| booking_choices(s, p, dep, doc, d),
    );
    view! {
        <Title text="Book appointment" />
        <h1 class="text-3xl font-bold text-slate-900">"Book appointment"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the free times…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <BookingView page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BookingView(page: BookingPage) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let Some(patient) = page.patient.clone() else {
        return view! {
            <Notice tone=NoticeTone::Warning>
                "Find the patient first (or register them), then choose "
                <strong>"Book appointment"</strong> " on their record."
            </Notice>
            <div class="mt-4 flex flex-wrap gap-3">
                <LinkButton href=format!("/c/{slug}/reception")>"Find patient"</LinkButton>
                <LinkButton href=format!("/c/{slug}/patients/new") variant=ButtonVariant::Secondary>
                    "Register patient"
                </LinkButton>
            </div>
        }
        .into_any();
    };
    let here = format!("/c/{slug}/appointments/new");
    let dep = page
        .department_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    let doc = page
        .doctor_user_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    let departments: Vec<(String, String)> = std::iter::once((String::new(), "Choose".to_string()))
        .chain(
            page.departments
                .iter()
                .map(|d| (d.id.to_string(), d.name.clone())),
        )
        .collect();
    let doctors = doctor_options(&page.departments, "First available");
    let next_day = with_query(
        &here,
        &[
            ("patient", &patient.id.to_string()),
            ("department", &dep),
            ("doctor", &doc),
            ("day", &(page.day + chrono::Duration::days(1)).to_string()),
        ],
    );
    let chosen = page.department_id.is_some();
    let (dep_choice, doc_choice) = (dep.clone(), doc.clone());
    let out_of_range = page.day < page.today || page.day > page.last_day;
    view! {
        <p class="mt-1 text-slate-700">
            <a
                href=format!("/c/{slug}/patients/{}", patient.id)
                class="font-semibold text-teal-800 underline"
            >
                {patient.name.clone()}
            </a>
            {format!(" · {}", patient.number)}
        </p>
        <Card title="When" class="mt-6">
            <form method="get" action=here class="grid gap-4 md:grid-cols-4 md:items-end">
                <input type="hidden" name="patient" value=patient.id.to_string() />
                <SelectField
                    name="department"
                    label="Department"
                    options=departments
                    value=dep_choice
                    required=true
                />
                <SelectField name="doctor" label="Doctor" options=doctors value=doc_choice />
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-900">
                    "Day"
                    <input
                        type="date"
                        name="day"
                        value=page.day.to_string()
                        min=page.today.to_string()
                        max=page.last_day.to_string()
                        required
                        class="min-h-11 rounded-lg border border-slate-400 bg-white px-3 text-base"
                    />
                </label>
                <Button r#type="submit" variant=ButtonVariant::Secondary>
                    "Show free times"
                </Button>
            </form>
            <p class="mt-3 text-sm text-slate-700">
                {format!("Times are the clinic's ({}).", page.zone)}
            </p>
        </Card>
        {if !chosen {
            ().into_any()
        } else if out_of_range {
            view! {
                <Notice tone=NoticeTone::Warning>
                    {format!(
                        "The clinic books from today to {}: choose a day in between.",
                        page.last_day.format("%-d %B %Y"),
                    )}
                </Notice>
            }
                .into_any()
        } else if page.slots.is_empty() {
            view! {
                <EmptyState
                    title="No free times on this day"
                    message="Everyone is booked, away or not seeing patients then."
                />
                <a href=next_day class="mt-3 inline-block font-semibold text-teal-800 underline">
                    "Try the next day"
                </a>
            }
                .into_any()
        } else {
            view! {
                <SlotForm
                    slug=slug.clone()
                    patient=patient.id.to_string()
                    department=dep
                    doctor=doc
                    heading=page.day.format("Free times on %A %-d %B").to_string()
                    slots=page.slots
                />
            }
                .into_any()
        }}
    }
    .into_any()
}

#[component]
fn SlotForm(
    slug: String,
    patient: String,
    department: String,
    doctor: String,
    heading: String,
    slots: Vec<OfferedSlot>,
) -> impl IntoView {
    let action = ServerAction::<BookAppointment>::new();
    let f = move |name| field_error(action, name);
    let types = AppointmentType::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect::<Vec<_>>();
    let time_error = f("starts_at");
    view! {
        <Card title=heading class="mt-6">
            <ActionForm action=action attr:class="flex flex-col gap-4">
                <FormAlert message=form_error(action) />
                <FormAlert message=f("patient") />
                <FormAlert message=f("department") />
                <FormAlert message=f("doctor") />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="booking[patient]" value=patient />
                <input type="hidden" name="booking[department]" value=department />
                <input type="hidden" name="booking[doctor]" value=doctor />
                <fieldset>
                    <legend class="text-sm font-semibold text-slate-900">
                        "Time" <span class="text-red-700" aria-hidden="true">
                            " *"
                        </span>
                    </legend>
                    <Show when=move || time_error.get().is_some()>
                        <p role="alert" class="mt-1 text-sm font-medium text-red-700">
                            {move || time_error.get()}
                        </p>
                    </Show>
                    <div class="mt-2 grid grid-cols-2 gap-2 md:grid-cols-4 lg:grid-cols-6">
                        {slots
                            .into_iter()
                            .map(|s| {
                                let others = if s.free_doctors > 1 {
                                    format!(" (+{} more)", s.free_doctors - 1)
                                } else {
                                    String::new()
                                };
                                view! {
                                    <label class="flex min-h-11 cursor-pointer items-start gap-2 rounded-lg border border-slate-300 p-2">
                                        <input
                                            type="radio"
                                            name="booking[starts_at]"
                                            value=s.starts.machine()
                                            required
                                            class="mt-1 size-5 shrink-0"
                                        />
                                        <span>
                                            <span class="block font-semibold tabular-nums text-slate-900">
                                                {s.starts.clock()}
                                            </span>
                                            <span class="block text-sm text-slate-700">
                                                {format!("{}{others}", s.doctor)}
                                            </span>
                                            {(!s.room.is_empty())
                                                .then(|| {
                                                    view! {
                                                        <span class="block text-sm text-slate-700">
                                                            {s.room.clone()}
                                                        </span>
                                                    }
                                                })}
                                        </span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <div class="grid gap-4 md:grid-cols-2">
                    <SelectField
                        name="booking[appointment_type]"
                        label="Type"
                        options=types
                        value="routine".to_string()
                        required=true
                        error=f("appointment_type")
                    />
                    <TextAreaField
                        name="booking[reason]"
                        label="Reason"
                        max_length=MAX_REASON_CHARS
                        error=f("reason")
                    />
                </div>
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Book appointment"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
