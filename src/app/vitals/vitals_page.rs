//! `/c/{slug}/visits/{id}/vitals`: the nurse records a set of vital signs
//! for a visit. Impossible values are refused by their field; abnormal ones
//! are saved and flagged where the set is shown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{Readings, RecordVitals, visit_vitals};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::data_table::When;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::vitals::{
    DIASTOLIC, HEART_RATE, HEIGHT, Measure, PAIN, RESPIRATORY_RATE, SPO2, SYSTOLIC, TEMPERATURE,
    VitalsPage as Page, WEIGHT,
};

#[component]
pub fn VitalsPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = Resource::new(
        move || (slug.get(), id.get()),
        |(s, id)| visit_vitals(s, id),
    );
    view! {
        <Title text="Vital signs" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <VitalsForm page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The hint beside a field: its unit and the normal adult range.
fn hint(m: &Measure) -> String {
    let (lo, hi) = m.normal;
    if hi.is_finite() {
        format!("{}; usual for adults {lo}–{hi}", m.unit)
    } else {
        m.unit.to_string()
    }
}

#[component]
fn VitalsForm(page: Page) -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<RecordVitals>::new();
    let id = page.visit_id.to_string();
    let field = move |m: Measure| {
        view! {
            <TextField
                name=format!("vitals[{}]", m.field)
                label=m.label
                input_type="text"
                autocomplete="off"
                max_length=8
                hint=Some(hint(&m))
                error=field_error(action, m.field)
            />
        }
    };
    view! {
        <h1 class="text-3xl font-bold text-slate-900">"Vital signs"</h1>
        <p class="mt-1 text-slate-700">
            {format!(
                "{} · {} · {} · {}",
                page.patient_name,
                page.patient_number,
                page.token,
                page.department,
            )}
        </p>
        <Card title="Record a set" class="mt-6">
            <p class="mb-4 text-sm text-slate-700">
                "Fill in what was measured; the rest can stay empty. BMI is worked out from weight and height. Flags use adult ranges."
            </p>
            <ActionForm action=action attr:class="grid gap-4 md:grid-cols-3">
                <div class="md:col-span-3">
                    <FormAlert message=form_error(action) />
                    <FormAlert message=field_error(action, "form") />
                </div>
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="id" value=id />
                {field(SYSTOLIC)}
                {field(DIASTOLIC)}
                {field(HEART_RATE)}
                {field(TEMPERATURE)}
                {field(RESPIRATORY_RATE)}
                {field(SPO2)}
                {field(WEIGHT)}
                {field(HEIGHT)}
                {field(PAIN)}
                <div class="md:col-span-3">
                    <Button r#type="submit" loading=action.pending()>
                        "Save vital signs"
                    </Button>
                </div>
            </ActionForm>
        </Card>
        {(!page.recorded.is_empty())
            .then(|| {
                let adult = page.adult;
                view! {
                    <Card title="Taken for this visit" class="mt-6">
                        <ul class="flex flex-col gap-3">
                            {page
                                .recorded
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <li>
                                            <p class="text-sm text-slate-700">
                                                <When at=r.recorded_at />
                                                {format!(" · {}", r.recorded_by)}
                                            </p>
                                            <Readings vitals=r.vitals adult=adult />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </Card>
                }
            })}
    }
}
