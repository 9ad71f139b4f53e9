//! `/c/{slug}/my-appointments/new`: a patient books for themself: the
//! department, a doctor or the first available, the day, a free time and
//! the reason. The same choices as the front desk's, without the type (a
//! patient's booking is routine) and without choosing the patient.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::booking_parts::{SlotChoices, WhenCard, chosen, no_times, times_heading};
use super::{BookMyAppointment, my_booking_choices};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::TextAreaField;
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{BookingPage, MAX_REASON_CHARS};

#[component]
pub fn BookMyAppointmentPage() -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let get = move |k: &'static str| Memo::new(move |_| q.with(|m| m.get(k).unwrap_or_default()));
    let (department, doctor, day) = (get("department"), get("doctor"), get("day"));
    let data = Resource::new(
        move || (slug.get(), department.get(), doctor.get(), day.get()),
        |(s, dep, doc, d)| my_booking_choices(s, dep, doc, d),
    );
    view! {
        <Title text="Book appointment" />
        <h1 class="text-3xl font-bold text-slate-900">"Book appointment"</h1>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the free times…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <MyBookingView page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyBookingView(page: BookingPage) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let here = format!("/c/{slug}/my-appointments/new");
    let (dep, doc) = chosen(&page);
    let outcome = no_times(&page, &here, &[]).or_else(|| {
        page.department_id.map(|_| {
            let heading = times_heading(&page);
            let slots = page.slots.clone();
            let action = ServerAction::<BookMyAppointment>::new();
            let f = move |name| field_error(action, name);
            view! {
                <Card title=heading class="mt-6">
                    <ActionForm action=action attr:class="flex flex-col gap-4">
                        <FormAlert message=form_error(action) />
                        <FormAlert message=f("department") />
                        <FormAlert message=f("doctor") />
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="booking[department]" value=dep />
                        <input type="hidden" name="booking[doctor]" value=doc />
                        <SlotChoices slots=slots error=f("starts_at") />
                        <TextAreaField
                            name="booking[reason]"
                            label="Reason"
                            max_length=MAX_REASON_CHARS
                            error=f("reason")
                            hint="Optional: what you would like to see the doctor about."
                                .to_string()
                        />
                        <div>
                            <Button r#type="submit" loading=action.pending()>
                                "Book appointment"
                            </Button>
                        </div>
                    </ActionForm>
                </Card>
            }
            .into_any()
        })
    });
    view! {
        <WhenCard here=here keep=Vec::new() page=page />
        {outcome}
    }
}
