//! `/c/{slug}/patients/{id}/edit`: the front desk corrects a record. The
//! form posts as a plain form; a refused save comes back as typed, each
//! message by its field. The document's number is shown whole here only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{DemographicsFields, DiscardPatientEdit, SavePatientDetails, edit_patient_form};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::skeleton::Skeleton;
use crate::domain::patients::PatientEditPage;

#[component]
pub fn EditPatientPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let save = ServerAction::<SavePatientDetails>::new();
    let form = Resource::new(
        move || (slug.get(), id.get(), save.version().get()),
        |(s, id, _)| edit_patient_form(s, id),
    );
    view! {
        <Title text="Edit patient details" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the record…" /> }
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(page) => {
                        view! { <EditForm page=page id=id.get_untracked() action=save /> }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(
    page: PatientEditPage,
    id: String,
    action: ServerAction<SavePatientDetails>,
) -> impl IntoView {
    let slug = use_slug();
    let discard = ServerAction::<DiscardPatientEdit>::new();
    let record = format!("/c/{}/patients/{id}", slug.get_untracked());
    let heading = format!("Edit details: {}", page.name);
    let id_again = id.clone();
    view! {
        <h1 class="text-3xl font-bold text-slate-900">{heading}</h1>
        <p class="mt-2 text-slate-700">
            {format!(
                "Patient number {}. Fields marked * are needed. Each change is kept in the audit trail, with what it replaced.",
                page.patient_number,
            )}
        </p>
        <ActionForm action=action attr:class="mt-6 flex flex-col gap-6" attr:id="edit-patient">
            <FormAlert message=form_error(action) />
            <input type="hidden" name="slug" value=move || slug.get() />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=page.version />
            <DemographicsFields
                typed=page.typed
                error=Callback::new(move |name| field_error(action, name))
            />
            <div class="flex flex-wrap items-center gap-4">
                <Button r#type="submit" loading=action.pending()>
                    "Save changes"
                </Button>
                <a href=record class="font-semibold text-teal-800 underline">
                    "Back to the record"
                </a>
            </div>
        </ActionForm>
        <ActionForm action=discard attr:class="mt-3">
            <input type="hidden" name="slug" value=move || slug.get() />
            <input type="hidden" name="id" value=id_again />
            <Button r#type="submit" variant=ButtonVariant::Secondary>
                "Discard changes"
            </Button>
        </ActionForm>
    }
}
