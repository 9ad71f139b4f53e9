//! `/c/{slug}/patients/new`: "Register patient". The form posts as a plain
//! form; a refused one comes back with what was typed and each message by
//! its field, and possible duplicates come back above it with "Use this
//! record" and "Register anyway".

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    ClearRegistration, DemographicsFields, RegisterPatient, RegisterPatientAnyway,
    registration_form,
};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::data_table::{Column, DataTable};
use crate::components::field::TextAreaField;
use crate::components::skeleton::Skeleton;
use crate::domain::paging::SortDirection;
use crate::domain::patients::PossibleDuplicate;
use crate::domain::patients::registration::{MAX_REASON_CHARS, RegistrationInput, sex_label};

#[component]
pub fn RegisterPatientPage() -> impl IntoView {
    let slug = use_slug();
    let register = ServerAction::<RegisterPatient>::new();
    let anyway = ServerAction::<RegisterPatientAnyway>::new();
    let form = Resource::new(
        move || {
            (
                slug.get(),
                register.version().get() + anyway.version().get(),
            )
        },
        |(s, _)| registration_form(s),
    );
    view! {
        <Title text="Register patient" />
        <h1 class="text-3xl font-bold text-slate-900">"Register patient"</h1>
        <p class="mt-2 text-slate-700">
            "Fields marked * are needed. Before saving, HMS looks for the patient among those already registered (same phone, same identity document, or same family name and date of birth)."
        </p>
        <Suspense fallback=|| {
            view! { <Skeleton rows=8 label="Loading the form…" /> }
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(page) => {
                        view! {
                            {(!page.duplicates.is_empty())
                                .then(|| {
                                    view! {
                                        <PossibleDuplicates found=page.duplicates action=anyway />
                                    }
                                })}
                            <RegistrationForm typed=page.typed action=register />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationForm(
    typed: RegistrationInput,
    action: ServerAction<RegisterPatient>,
) -> impl IntoView {
    let slug = use_slug();
    let clear = ServerAction::<ClearRegistration>::new();
    view! {
        <ActionForm action=action attr:class="mt-6 flex flex-col gap-6" attr:id="registration">
            <FormAlert message=form_error(action) />
            <input type="hidden" name="slug" value=move || slug.get() />
            <DemographicsFields
                typed=typed
                error=Callback::new(move |name| field_error(action, name))
            />
            <div class="flex flex-wrap gap-3">
                <Button r#type="submit" loading=action.pending()>
                    "Register patient"
                </Button>
            </div>
        </ActionForm>
        <ActionForm action=clear attr:class="mt-3">
            <input type="hidden" name="slug" value=move || slug.get() />
            <Button r#type="submit" variant=ButtonVariant::Secondary>
                "Clear the form"
            </Button>
        </ActionForm>
    }
}

#[component]
fn PossibleDuplicates(
    found: Vec<PossibleDuplicate>,
    action: ServerAction<RegisterPatientAnyway>,
) -> impl IntoView {
    let slug = use_slug();
    let s = slug.get_untracked();
    let no_sort = Callback::new(move |_: (String, SortDirection)| String::new());
    view! {
        <section id="possible-duplicates" aria-labelledby="possible-duplicates-title" class="mt-6">
            <div class="rounded-xl border-2 border-amber-500 bg-amber-50 p-4 md:p-6">
                <h2 id="possible-duplicates-title" class="text-xl font-bold text-slate-900">
                    "Possible matches"
                </h2>
                <p class="mt-1 text-slate-800">
                    "These patients are already registered and may be the same person. Open one to check them in, or register a new record and say why."
                </p>
                <div class="mt-4">
                    <DataTable
                        caption="Registered patients who may be the same person"
                        columns=vec![
                            Column::plain("Patient"),
                            Column::plain("Number"),
                            Column::plain("Born"),
                            Column::plain("Phone"),
                            Column::plain("Why"),
                            Column::plain("Action"),
                        ]
                        sort_key=""
                        sort_dir=SortDirection::Asc
                        sort_href=no_sort
                    >
                        {found
                            .into_iter()
                            .map(|d| {
                                let p = d.patient;
                                let name = format!("{} {}", p.given_name, p.family_name);
                                let why = d
                                    .reasons
                                    .iter()
                                    .map(|r| r.label())
                                    .collect::<Vec<_>>()
                                    .join("; ");
                                view! {
                                    <tr>
                                        <td data-label="Patient">
                                            <span class="font-semibold">{name.clone()}</span>
                                            <span class="block text-sm text-slate-700">
                                                {sex_label(&p.sex)}
                                            </span>
                                        </td>
                                        <td data-label="Number" class="tabular-nums">
                                            {p.patient_number}
                                        </td>
                                        <td data-label="Born" class="tabular-nums">
                                            {p.date_of_birth.to_string()}
                                        </td>
                                        <td data-label="Phone" class="tabular-nums">
                                            {p.phone}
                                        </td>
                                        <td data-label="Why">{why}</td>
                                        <td data-label="Action">
                                            <a
                                                href=format!("/c/{s}/patients/{}", p.id)
                                                aria-label=format!("Use this record: {name}")
                                                class="font-semibold text-teal-800 underline"
                                            >
                                                "Use this record"
                                            </a>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                </div>
                <ActionForm action=action attr:class="mt-4 flex flex-col gap-3 md:max-w-2xl">
                    <FormAlert message=form_error(action) />
                    <input type="hidden" name="slug" value=move || slug.get() />
                    <TextAreaField
                        name="reason"
                        label="Why this is a different person"
                        required=true
                        max_length=MAX_REASON_CHARS
                        error=field_error(action, "reason")
                        hint="Kept in the audit trail with the records shown here."
                    />
                    <div>
                        <Button r#type="submit" variant=ButtonVariant::Secondary>
                            "Register anyway"
                        </Button>
                    </div>
                </ActionForm>
            </div>
        </section>
    }
}
