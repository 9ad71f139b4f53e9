//! What the day and week calendars share: the card with their GET filter
//! form (a day, department and doctor) and the links that step between
//! days or weeks, so both work without JavaScript.

use leptos::prelude::*;

use super::status::doctor_options;
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::domain::visits::DepartmentChoice;

#[component]
pub(super) fn CalendarControls(
    /// The card's title: "Day" or "Week".
    title: &'static str,
    /// The view's own address, which the form reads again.
    action: String,
    /// What the date field is called.
    day_label: &'static str,
    day: String,
    departments: Vec<DepartmentChoice>,
    department: String,
    doctor: String,
    /// The step links' name ("Days") and the links: back, now, on.
    steps_label: &'static str,
    steps: [(String, &'static str); 3],
) -> impl IntoView {
    let department_options: Vec<(String, String)> =
        std::iter::once((String::new(), "All departments".to_string()))
            .chain(
                departments
                    .iter()
                    .map(|d| (d.id.to_string(), d.name.clone())),
            )
            .collect();
    let doctors = doctor_options(&departments, "All doctors");
    view! {
        <Card title=title class="mt-6">
            <form method="get" action=action class="flex flex-wrap items-end gap-3">
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-900">
                    {day_label}
                    <input
                        type="date"
                        name="day"
                        value=day
                        class="min-h-11 rounded-lg border border-slate-400 bg-white px-3 text-base"
                    />
                </label>
                <FilterSelect
                    name="department"
                    label="Department"
                    options=department_options
                    value=department
                />
                <FilterSelect name="doctor" label="Doctor" options=doctors value=doctor />
                <Button r#type="submit" variant=ButtonVariant::Secondary>
                    "Show"
                </Button>
            </form>
            <nav aria-label=steps_label class="mt-4 flex flex-wrap gap-4">
                {steps
                    .into_iter()
                    .map(|(href, text)| {
                        view! {
                            <a href=href class="font-semibold text-teal-800 underline">
                                {text}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        </Card>
    }
}

/// A select of a GET filter form.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    value: String,
) -> impl IntoView {
    view! {
        <label class="flex flex-col gap-1 text-sm font-semibold text-slate-900">
            {label}
            <select
                name=name
                class="min-h-11 rounded-lg border border-slate-400 bg-white px-3 text-base"
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == value;
                        view! {
                            <option value=v selected=selected>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
