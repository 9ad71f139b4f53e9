//! `/c/{slug}/patients/{id}/check-in`: "Check in" asks for the department,
//! the doctor (optional), the type of visit, its reason and priority, and
//! leads to the token slip. Visits already open today are linked instead.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{CheckInPatient, check_in_details};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::{SelectField, TextAreaField};
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::visits::{CheckInForm, MAX_REASON_CHARS, Priority, VisitType, token_label};

#[component]
pub fn CheckInPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let patient = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let form = Resource::new(
        move || (slug.get(), patient.get()),
        |(s, p)| check_in_details(s, p),
    );
    view! {
        <Title text="Check in" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the check-in…" /> }
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <CheckInView form=f /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CheckInView(form: CheckInForm) -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<CheckInPatient>::new();
    let f = move |name| field_error(action, name);
    let s = slug.get_untracked();
    let departments: Vec<(String, String)> = std::iter::once((String::new(), "Choose".to_string()))
        .chain(
            form.departments
                .iter()
                .map(|d| (d.id.to_string(), d.name.clone())),
        )
        .collect();
    // Without JavaScript one list holds every doctor, each with their
    // department; the database refuses a doctor of another department.
    let doctors: Vec<(String, String)> =
        std::iter::once((String::new(), "Next available doctor".to_string()))
            .chain(form.departments.iter().flat_map(|d| {
                d.doctors
                    .iter()
                    .map(move |(id, name)| (id.to_string(), format!("{name} · {}", d.name)))
            }))
            .collect();
    let types = VisitType::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect::<Vec<_>>();
    let priorities = [Priority::Normal, Priority::Urgent, Priority::Emergency]
        .iter()
        .map(|p| (p.as_str().to_string(), p.label().to_string()))
        .collect::<Vec<_>>();
    let patient = form.patient_id.to_string();
    view! {
        <h1 class="text-3xl font-bold text-slate-900">"Check in"</h1>
        <p class="mt-1 text-slate-700">
            <a
                href=format!("/c/{s}/patients/{patient}")
                class="font-semibold text-teal-800 underline"
            >
                {form.patient_name.clone()}
            </a>
            {format!(" · {}", form.patient_number)}
        </p>
        {(!form.active.is_empty())
            .then(|| {
                view! {
                    <Notice tone=NoticeTone::Warning>
                        "Already checked in today: "
                        {form
                            .active
                            .iter()
                            .map(|v| {
                                view! {
                                    <a
                                        href=format!("/c/{s}/visits/{}/slip", v.id)
                                        class="font-semibold underline"
                                    >
                                        {format!(
                                            "{} in {} ({})",
                                            token_label(v.token),
                                            v.department,
                                            v.status.label(),
                                        )}
                                    </a>
                                    " "
                                }
                            })
                            .collect_view()}
                    </Notice>
                }
            })}
        <Card title="Visit" class="mt-6">
            <ActionForm action=action attr:class="grid gap-4 md:grid-cols-2">
                <div class="md:col-span-2">
                    <FormAlert message=form_error(action) />
                </div>
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="patient" value=patient.clone() />
                <SelectField
                    name="visit[department]"
                    label="Department"
                    options=departments
                    required=true
                    error=f("department")
                />
                <SelectField
                    name="visit[doctor]"
                    label="Doctor"
                    options=doctors
                    error=f("doctor")
                    hint="Optional: the department's next free doctor otherwise."
                />
                <SelectField
                    name="visit[visit_type]"
                    label="Visit type"
                    options=types
                    value="walk_in".to_string()
                    required=true
                    error=f("visit_type")
                />
                <SelectField
                    name="visit[priority]"
                    label="Priority"
                    options=priorities
                    value="normal".to_string()
                    required=true
                    error=f("priority")
                    hint="Emergency visits are always seen first."
                />
                <div class="md:col-span-2">
                    <TextAreaField
                        name="visit[reason]"
                        label="Reason for visit"
                        max_length=MAX_REASON_CHARS
                        error=f("reason")
                    />
                </div>
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=action.pending()>
                        "Check in"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
