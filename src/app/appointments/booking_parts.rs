//! What the front desk's and the patient's booking pages share: the "When"
//! form (department, doctor or first available, day), what is said when a
//! day has no free times, and the free times as a choice.

use leptos::prelude::*;

use super::status::doctor_options;
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::field::SelectField;
use crate::components::notice::{Notice, NoticeTone};
use crate::domain::appointments::{BookingPage, OfferedSlot};
use crate::domain::url::with_query;

/// The department and doctor chosen, as the forms carry them.
pub fn chosen(page: &BookingPage) -> (String, String) {
    (
        page.department_id
            .map(|d| d.to_string())
            .unwrap_or_default(),
        page.doctor_user_id
            .map(|d| d.to_string())
            .unwrap_or_default(),
    )
}

/// The GET form choosing department, doctor and day; `keep` are hidden
/// fields it carries along (the desk's patient).
#[component]
pub fn WhenCard(
    here: String,
    keep: Vec<(&'static str, String)>,
    page: BookingPage,
) -> impl IntoView {
    let (dep, doc) = chosen(&page);
    let departments: Vec<(String, String)> = std::iter::once((String::new(), "Choose".to_string()))
        .chain(
            page.departments
                .iter()
                .map(|d| (d.id.to_string(), d.name.clone())),
        )
        .collect();
    let doctors = doctor_options(&page.departments, "First available");
    view! {
        <Card title="When" class="mt-6">
            <form method="get" action=here class="grid gap-4 md:grid-cols-4 md:items-end">
                {keep
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <SelectField
                    name="department"
                    label="Department"
                    options=departments
                    value=dep
                    required=true
                />
                <SelectField name="doctor" label="Doctor" options=doctors value=doc />
                <DayField page=page.clone() />
                <Button r#type="submit" variant=ButtonVariant::Secondary>
                    "Show free times"
                </Button>
            </form>
            <ZoneNote page=page />
        </Card>
    }
}

/// The "Day" of a GET form: from today to the last day the clinic books.
#[component]
pub fn DayField(page: BookingPage) -> impl IntoView {
    view! {
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
    }
}

/// Whose clock the times are on.
#[component]
pub fn ZoneNote(page: BookingPage) -> impl IntoView {
    view! {
        <p class="mt-3 text-sm text-slate-700">
            {format!("Times are the clinic's ({}).", page.zone)}
        </p>
    }
}

/// Why the chosen day offers nothing to book, if it does not: a day the
/// clinic does not book, or one with no free time (with the next day's
/// link). `None` while nothing is chosen or there are times.
pub fn no_times(
    page: &BookingPage,
    here: &str,
    keep: &[(&'static str, String)],
) -> Option<AnyView> {
    page.department_id?;
    if page.day < page.today || page.day > page.last_day {
        let last = page.last_day.format("%-d %B %Y").to_string();
        return Some(
            view! {
                <Notice tone=NoticeTone::Warning>
                    {format!("The clinic books from today to {last}: choose a day in between.")}
                </Notice>
            }
            .into_any(),
        );
    }
    if !page.slots.is_empty() {
        return None;
    }
    let (dep, doc) = chosen(page);
    let next = (page.day + chrono::Duration::days(1)).to_string();
    let mut pairs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.extend([
        ("department", dep.as_str()),
        ("doctor", doc.as_str()),
        ("day", next.as_str()),
    ]);
    let next_day = with_query(here, &pairs);
    let why = closed_message(page)
        .unwrap_or_else(|| "Everyone is booked, away or not seeing patients then.".into());
    Some(
        view! {
            <EmptyState title="No free times on this day" message=why />
            <a href=next_day class="mt-3 inline-block font-semibold text-teal-800 underline">
                "Try the next day"
            </a>
        }
        .into_any(),
    )
}

/// The day's free times as radio buttons named `booking[starts_at]` (the
/// instant each stands for), with the error of that field above them; the
/// one `chosen` on the calendar is checked.
#[component]
pub fn SlotChoices(
    slots: Vec<OfferedSlot>,
    error: Signal<Option<String>>,
    /// The time picked on the calendar, checked to begin with.
    #[prop(optional_no_strip)]
    chosen: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend class="text-sm font-semibold text-slate-900">
                "Time" <span class="text-red-700" aria-hidden="true">
                    " *"
                </span>
            </legend>
            <Show when=move || error.get().is_some()>
                <p role="alert" class="mt-1 text-sm font-medium text-red-700">
                    {move || error.get()}
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
                                    checked=chosen == Some(s.starts.utc)
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
    }
}

/// Why nothing is free on a holiday: "The clinic is closed on this day
/// (Christmas Day)."
pub fn closed_message(page: &BookingPage) -> Option<String> {
    page.closed
        .as_ref()
        .map(|name| format!("The clinic is closed on this day ({name})."))
}

/// "Free times on Tuesday 8 December".
pub fn times_heading(page: &BookingPage) -> String {
    page.day.format("Free times on %A %-d %B").to_string()
}
