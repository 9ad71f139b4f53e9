//! `/c/{slug}/appointments/{id}/reschedule?day=…`: "Reschedule" a booked
//! appointment to another of its doctor's free times. A GET form chooses
//! the day; the day's free times follow as a choice; the move is one step
//! (the appointment keeps its old time until it has the new one) and the
//! patient is emailed the new time with a calendar update.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::booking_parts::{DayField, SlotChoices, ZoneNote, no_times, times_heading};
use super::{RescheduleAppointment, reschedule_choices};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{OfferedSlot, ReschedulePage};

#[component]
pub fn RescheduleAppointmentPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let q = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let day = Memo::new(move |_| q.with(|m| m.get("day").unwrap_or_default()));
    let data = Resource::new(
        move || (slug.get(), id.get(), day.get()),
        |(s, i, d)| reschedule_choices(s, i, d),
    );
    view! {
        <Title text="Reschedule appointment" />
        <h1 class="text-3xl font-bold text-slate-900">"Reschedule appointment"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the free times…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <RescheduleView page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RescheduleView(page: ReschedulePage) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let a = page.appointment;
    let choices = page.choices;
    let here = format!("/c/{slug}/appointments/{}/reschedule", a.id);
    let outcome = no_times(&choices, &here, &[]).unwrap_or_else(|| {
        view! {
            <MoveForm
                slug=slug.clone()
                id=a.id.to_string()
                heading=times_heading(&choices)
                slots=choices.slots.clone()
            />
        }
        .into_any()
    });
    view! {
        <p class="mt-1 text-slate-700">
            <a
                href=format!("/c/{slug}/appointments/{}", a.id)
                class="font-semibold text-teal-800 underline"
            >
                {a.patient_name.clone()}
            </a>
            {format!(" · {} · {}, {}", a.patient_number, a.doctor, a.department)}
        </p>
        <p class="mt-1 text-slate-700">
            {format!("Booked now for {}–{}.", a.starts.full(), a.ends.clock())}
        </p>
        <Card title="New day" class="mt-6">
            <form method="get" action=here class="flex flex-wrap items-end gap-4">
                <DayField page=choices.clone() />
                <Button r#type="submit" variant=ButtonVariant::Secondary>
                    "Show free times"
                </Button>
            </form>
            <ZoneNote page=choices />
        </Card>
        {outcome}
    }
}

#[component]
fn MoveForm(slug: String, id: String, heading: String, slots: Vec<OfferedSlot>) -> impl IntoView {
    let action = ServerAction::<RescheduleAppointment>::new();
    let time_error = field_error(action, "starts_at");
    let form_problem = field_error(action, "form");
    view! {
        <Card title=heading class="mt-6">
            <ActionForm action=action attr:class="flex flex-col gap-4">
                <FormAlert message=form_error(action) />
                <FormAlert message=form_problem />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id />
                <SlotChoices slots=slots error=time_error />
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Move appointment"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
