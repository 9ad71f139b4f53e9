//! `/c/{slug}/schedule/settings`: "Booking rules", the clinic admin's form
//! for slot length, the cancel notice, the no-show grace, the self-booking
//! pause rule and how far ahead anyone books; then the clinic's opening
//! hours and holidays. Saving keeps the booked appointments as they are;
//! the rules apply from then on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::holidays_card::HolidaysCard;
use super::opening_hours_card::OpeningHoursCard;
use super::{SaveBookingRules, booking_rules, opening_hours_and_holidays};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::schedule_settings::{FIELDS, ScheduleSettings, ScheduleSettingsInput};
use crate::domain::url::with_query;

#[component]
pub fn ScheduleSettingsPage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let saved = query.with_untracked(|q| {
        (
            q.get("saved").unwrap_or_default(),
            q.get("day").unwrap_or_default(),
            q.get("booked").unwrap_or_default(),
        )
    });
    let data = Resource::new(move || slug.get(), booking_rules);
    let calendar = Resource::new(move || slug.get(), opening_hours_and_holidays);
    view! {
        <Title text="Booking rules" />
        <h1 class="text-3xl font-bold text-slate-900">"Booking rules"</h1>
        <SavedNotice saved=saved />
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
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the opening hours and holidays…" /> }
        }>
            {move || Suspend::new(async move {
                calendar
                    .await
                    .ok()
                    .map(|c| {
                        let slug = slug.get_untracked();
                        // A refusal is said once, by the booking rules above.
                        view! {
                            <OpeningHoursCard slug=slug.clone() hours=c.opening_hours zone=c.zone />
                            <HolidaysCard slug=slug holidays=c.holidays today=c.today.to_string() />
                        }
                    })
            })}
        </Suspense>
    }
}

/// What the last save did, from the address it came back to (it works
/// without JavaScript): `saved`, and for a new holiday its `day` and how
/// many appointments are still `booked` on it.
#[component]
fn SavedNotice(saved: (String, String, String)) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let (what, day, booked) = saved;
    let message = match what.as_str() {
        "" => return ().into_any(),
        "hours" => "Opening hours saved. Appointments already booked stay as they are.",
        "holiday" => "Holiday added: nothing more is booked that day.",
        "reopened" => "Holiday removed: the usual hours apply that day again.",
        _ => "Booking rules saved. Appointments already booked stay as they are.",
    };
    let booked: u32 = booked.parse().unwrap_or(0);
    let still_booked = (what == "holiday" && booked > 0).then(|| {
        let list = with_query(&format!("/c/{slug}/appointments"), &[("day", &day)]);
        let count = if booked == 1 {
            "1 appointment is".to_string()
        } else {
            format!("{booked} appointments are")
        };
        view! {
            <Notice tone=NoticeTone::Warning>
                {format!("{count} still booked on {day}: move or cancel them. ")}
                <a href=list class="font-semibold underline">
                    "The day's appointments"
                </a>
            </Notice>
        }
    });
    view! {
        <Notice tone=NoticeTone::Success>{message}</Notice>
        {still_booked}
    }
    .into_any()
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
