//! `/c/{slug}/schedule/settings`: "Booking rules", the clinic admin's form
//! for slot length, the cancel notice, the no-show grace, the self-booking
//! pause rule and how far ahead anyone books. Saving keeps the booked
//! appointments as they are; the rules apply from then on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{SaveBookingRules, booking_rules};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::schedule_settings::{FIELDS, ScheduleSettings, ScheduleSettingsInput};

#[component]
pub fn ScheduleSettingsPage() -> impl IntoView {
    let slug = use_slug();
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let data = Resource::new(move || slug.get(), booking_rules);
    view! {
        <Title text="Booking rules" />
        <h1 class="text-3xl font-bold text-slate-900">"Booking rules"</h1>
        {saved
            .then(|| {
                view! {
                    <Notice tone=NoticeTone::Success>
                        "Booking rules saved. Appointments already booked stay as they are."
                    </Notice>
                }
            })}
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the booking rules…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <SettingsForm settings=s /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(settings: ScheduleSettings) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let action = ServerAction::<SaveBookingRules>::new();
    let shown = ScheduleSettingsInput::from(settings);
    let values = [
        shown.slot_minutes,
        shown.cancel_notice_minutes,
        shown.no_show_grace_minutes,
        shown.suspend_after_no_shows,
        shown.suspend_window_days,
        shown.booking_horizon_days,
    ];
    view! {
        <Card class="mt-6">
            <ActionForm action=action attr:class="flex flex-col gap-4">
                <FormAlert message=form_error(action) />
                <input type="hidden" name="slug" value=slug />
                <div class="grid gap-4 md:grid-cols-2">
                    {FIELDS
                        .iter()
                        .zip(values)
                        .map(|((field, label, min, max), value)| {
                            view! {
                                <TextField
                                    name=format!("settings[{field}]")
                                    label=*label
                                    value=value
                                    input_type="number"
                                    required=true
                                    min=Some(min.to_string())
                                    max=Some(max.to_string())
                                    error=field_error(action, *field)
                                />
                            }
                        })
                        .collect_view()}
                </div>
                <p class="text-sm text-slate-700">
                    "Times are in the clinic's own time zone. A new slot length applies to times not yet booked."
                </p>
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Save booking rules"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
