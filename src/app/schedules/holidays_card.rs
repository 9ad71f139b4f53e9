//! The days the clinic is closed, on the booking rules page: the ones ahead
//! with "Remove", and a form to add one. No weekly hours apply on them
//! (a doctor's extra session still does).

use leptos::prelude::*;

use super::{AddClinicHoliday, RemoveClinicHoliday};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::{Column, DataTable};
use crate::components::empty_state::EmptyState;
use crate::components::field::TextField;
use crate::domain::clinic_calendar::{HOLIDAYS_LISTED, Holiday, MAX_HOLIDAY_NAME_CHARS};
use crate::domain::paging::SortDirection;

#[component]
pub fn HolidaysCard(slug: String, holidays: Vec<Holiday>, today: String) -> impl IntoView {
    let add = ServerAction::<AddClinicHoliday>::new();
    let remove = ServerAction::<RemoveClinicHoliday>::new();
    let f = move |name| field_error(add, name);
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    let listed = if holidays.len() as i64 >= HOLIDAYS_LISTED {
        Some(format!("The next {HOLIDAYS_LISTED} are shown."))
    } else {
        None
    };
    let remove_slug = slug.clone();
    view! {
        <Card title="Holidays" class="mt-6">
            <p class="mb-3 text-slate-700">
                "On a holiday no appointment is offered or booked, except in a doctor's extra session. Appointments already booked that day stay: the page tells you how many to move."
            </p>
            {if holidays.is_empty() {
                view! {
                    <EmptyState
                        title="No holidays ahead"
                        message="The clinic keeps its usual hours every day."
                    />
                }
                    .into_any()
            } else {
                view! {
                    <FormAlert message=form_error(remove) />
                    <DataTable
                        caption="Holidays ahead"
                        columns=vec![
                            Column::plain("Day"),
                            Column::plain("Holiday"),
                            Column::plain("Actions"),
                        ]
                        sort_key=""
                        sort_dir=SortDirection::Asc
                        sort_href=no_sort
                    >
                        {holidays
                            .into_iter()
                            .map(|h| {
                                let shown = h.day.format("%A %-d %B %Y").to_string();
                                let label = format!("Remove the holiday on {shown}");
                                let row_slug = remove_slug.clone();
                                view! {
                                    <tr>
                                        <td data-label="Day">
                                            <time datetime=h.day.to_string()>{shown}</time>
                                        </td>
                                        <td data-label="Holiday">{h.name}</td>
                                        <td data-label="Actions">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="slug" value=row_slug />
                                                <input type="hidden" name="day" value=h.day.to_string() />
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
                    {listed.map(|l| view! { <p class="mt-2 text-sm text-slate-700">{l}</p> })}
                }
                    .into_any()
            }}
            <h3 class="mt-6 text-lg font-semibold text-slate-900">"Add a holiday"</h3>
            <ActionForm action=add attr:class="mt-2 grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(add) />
                </div>
                <input type="hidden" name="slug" value=slug />
                <TextField
                    name="holiday[day]"
                    label="Date"
                    input_type="date"
                    required=true
                    min=Some(today)
                    error=f("day")
                />
                <TextField
                    name="holiday[name]"
                    label="Name"
                    required=true
                    max_length=MAX_HOLIDAY_NAME_CHARS
                    error=f("name")
                    hint=Some("As people booking will read it, e.g. \"Christmas Day\".".to_string())
                />
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=add.pending()>
                        "Add holiday"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
