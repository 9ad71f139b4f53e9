//! `/c/{slug}/appointments/new?patient=…`: "Book appointment". A GET form
//! chooses the department, the doctor (or the first available) and the
//! day; the day's free times follow as a choice, with the type and reason,
//! and "Book appointment" books one. Without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::booking_parts::{SlotChoices, WhenCard, chosen, no_times, times_heading};
use super::booking_patient::ChoosePatient;
use super::{BookAppointment, booking_choices};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::{SelectField, TextAreaField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentType, BookingPage, MAX_REASON_CHARS, OfferedSlot};
use crate::domain::follow_ups::FollowUpItem;

#[component]
pub fn BookAppointmentPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| q.with(|m| m.get(k).unwrap_or_default()));
    let (patient, department, doctor, day, follow_up) = (
        get("patient"),
        get("department"),
        get("doctor"),
        get("day"),
        get("follow_up"),
    );
    // The free time picked on the calendar, if any (a malformed one is
    // ignored: the times are offered as usual).
    let at = get("at");
    let data = Resource::new(
        move || {
            (
                slug.get(),
                patient.get(),
                department.get(),
                doctor.get(),
                day.get(),
                follow_up.get(),
            )
        },
        |(s, p, dep, doc, d, f)| booking_choices(s, p, dep, doc, d, f),
    );
    view! {
        <Title text="Book appointment" />
        <h1 class="text-3xl font-bold text-slate-900">"Book appointment"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the free times…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let asked = !follow_up.get_untracked().is_empty();
                        let at = chrono::DateTime::parse_from_rfc3339(&at.get_untracked())
                            .ok()
                            .map(|a| a.with_timezone(&chrono::Utc));
                        view! { <BookingView page=p follow_up_asked=asked at=at /> }.into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BookingView(
    page: BookingPage,
    follow_up_asked: bool,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let Some(patient) = page.patient.clone() else {
        return view! { <ChoosePatient slug=slug page=page at=at /> }.into_any();
    };
    let here = format!("/c/{slug}/appointments/new");
    let mut keep = vec![("patient", patient.id.to_string())];
    if let Some(f) = &page.follow_up {
        keep.push(("follow_up", f.id.to_string()));
    }
    let follow_up_note = match &page.follow_up {
        Some(f) => Some(
            view! { <Notice>{format!("Booking this follow-up. {}", f.summary())}</Notice> }
                .into_any(),
        ),
        None if follow_up_asked => Some(
            view! {
                <Notice tone=NoticeTone::Warning>
                    "That follow-up has been booked or closed since; this booking will not book it."
                </Notice>
            }
            .into_any(),
        ),
        None => None,
    };
    let (dep, doc) = chosen(&page);
    let outcome = no_times(&page, &here, &keep).or_else(|| {
        page.department_id.map(|_| {
            view! {
                <SlotForm
                    slug=slug.clone()
                    patient=patient.id.to_string()
                    department=dep
                    doctor=doc
                    heading=times_heading(&page)
                    slots=page.slots.clone()
                    follow_up=page.follow_up.clone()
                    at=at
                />
            }
            .into_any()
        })
    });
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
        {follow_up_note}
        <WhenCard here=here keep=keep page=page />
        {outcome}
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
    follow_up: Option<FollowUpItem>,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let action = ServerAction::<BookAppointment>::new();
    // From a follow-up: its type and reason, and its id to book it.
    let (kind, reason, follow_up) = match follow_up {
        Some(f) => (AppointmentType::FollowUp, f.reason, f.id.to_string()),
        None => (AppointmentType::Routine, String::new(), String::new()),
    };
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
                <input type="hidden" name="booking[follow_up]" value=follow_up />
                <SlotChoices slots=slots error=time_error chosen=at />
                <div class="grid gap-4 md:grid-cols-2">
                    <SelectField
                        name="booking[appointment_type]"
                        label="Type"
                        options=types
                        value=kind.as_str().to_string()
                        required=true
                        error=f("appointment_type")
                    />
                    <TextAreaField
                        name="booking[reason]"
                        label="Reason"
                        max_length=MAX_REASON_CHARS
                        value=reason
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
