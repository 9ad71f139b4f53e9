//! The clinic's opening hours on the booking rules page: per weekday its
//! sessions, which no appointment may fall outside. None at all: open
//! whenever the doctors hold sessions.

use leptos::prelude::*;

use super::SaveOpeningHours;
use super::sessions_table::SessionsTable;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::domain::schedules::SessionRow;

#[component]
pub fn OpeningHoursCard(slug: String, hours: Vec<SessionRow>, zone: String) -> impl IntoView {
    let action = ServerAction::<SaveOpeningHours>::new();
    let error = Callback::new(move |name: String| field_error(action, name));
    let state = if hours.is_empty() {
        "No opening hours are set: appointments follow the doctors' own hours alone."
    } else {
        "Appointments must fall inside these hours as well as the doctor's."
    };
    view! {
        <Card title="Opening hours" class="mt-6">
            <p class="mb-3 text-slate-700">
                {state} {format!(" In the clinic's time ({zone}). ")}
                "Each row is one session; clear every row to drop the opening hours. Appointments already booked stay."
            </p>
            <ActionForm action=action attr:class="flex flex-col gap-4">
                <FormAlert message=form_error(action) />
                <FormAlert message=field_error(action, "sessions") />
                <input type="hidden" name="slug" value=slug />
                <SessionsTable
                    caption="Opening hours by weekday"
                    week=hours
                    with_room=false
                    error=error
                />
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Save opening hours"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
