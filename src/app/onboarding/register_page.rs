//! `/register`: "Register your hospital" in three steps (the hospital, its
//! first administrator, the plan), each its own form, kept between steps in
//! the browser's session.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{SaveFirstAdmin, SaveHospitalDetails, SubmitRegistration, my_registration_draft};
use crate::app::frame::PublicFrame;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::auth::MAX_EMAIL_CHARS;
use crate::domain::onboarding::{
    FirstAdmin, HospitalDetails, MAX_ADDRESS_CHARS, MAX_HOSPITAL_NAME_CHARS, MAX_IDENTIFIER_CHARS,
    Plan, RegistrationDraft,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Hospital,
    Admin,
    Plan,
}

impl Step {
    /// The step asked for, unless an earlier one is not done yet.
    fn choose(wanted: Option<&str>, draft: &RegistrationDraft) -> Self {
        let wanted = match wanted {
            Some("admin") => Step::Admin,
            Some("plan") => Step::Plan,
            _ => Step::Hospital,
        };
        if draft.hospital.is_none() {
            Step::Hospital
        } else if wanted == Step::Plan && draft.admin.is_none() {
            Step::Admin
        } else {
            wanted
        }
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let q = use_query_map();
    let draft = Resource::new(
        move || q.with(|m| m.get("step")),
        |_| my_registration_draft(),
    );
    view! {
        <Title text="Register your hospital" />
        <PublicFrame>
            <div class="mx-auto max-w-2xl">
                <h1 class="text-3xl font-bold text-slate-900">"Register your hospital"</h1>
                <p class="mt-2 text-slate-700">
                    "Tell us about your hospital and who will run it on HMS. Our team checks each registration; the administrator then gets an invitation to sign in."
                </p>
                <Suspense fallback=|| {
                    view! { <Skeleton rows=4 label="Loading…" /> }
                }>
                    {move || Suspend::new(async move {
                        let draft = draft.await.unwrap_or_default();
                        let step = Step::choose(
                            q.with_untracked(|m| m.get("step")).as_deref(),
                            &draft,
                        );
                        view! {
                            <Progress step=step />
                            {match step {
                                Step::Hospital => {
                                    view! {
                                        <HospitalForm value=draft
                                            .typed_hospital
                                            .or(draft.hospital)
                                            .unwrap_or_default() />
                                    }
                                        .into_any()
                                }
                                Step::Admin => {
                                    view! {
                                        <AdminForm value=draft
                                            .typed_admin
                                            .or(draft.admin)
                                            .unwrap_or_default() />
                                    }
                                        .into_any()
                                }
                                Step::Plan => view! { <PlanForm draft=draft /> }.into_any(),
                            }}
                        }
                    })}
                </Suspense>
            </div>
        </PublicFrame>
    }
}

#[component]
fn Progress(step: Step) -> impl IntoView {
    let steps = [
        (Step::Hospital, "Hospital"),
        (Step::Admin, "Administrator"),
        (Step::Plan, "Plan"),
    ];
    view! {
        <ol aria-label="Registration steps" class="mt-6 grid grid-cols-3 gap-2">
            {steps
                .into_iter()
                .enumerate()
                .map(|(i, (s, label))| {
                    let current = s == step;
                    view! {
                        <li
                            aria-current=current.then_some("step")
                            class=if current {
                                "rounded-lg bg-teal-800 p-2 text-center font-semibold text-white"
                            } else {
                                "rounded-lg bg-slate-100 p-2 text-center text-slate-700"
                            }
                        >
                            {format!("{}. {label}", i + 1)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

const FORM: &str =
    "mt-6 grid gap-4 rounded-xl border border-slate-200 bg-white p-4 md:grid-cols-2 md:p-6";

#[component]
fn HospitalForm(value: HospitalDetails) -> impl IntoView {
    let action = ServerAction::<SaveHospitalDetails>::new();
    let f = move |name| field_error(action, name);
    view! {
        <ActionForm action=action attr:class=FORM>
            <div class="md:col-span-2">
                <FormAlert message=form_error(action) />
            </div>
            <div class="md:col-span-2">
                <TextField
                    name="hospital[name]"
                    label="Hospital name"
                    value=value.name
                    required=true
                    max_length=MAX_HOSPITAL_NAME_CHARS
                    error=f("name")
                    autocomplete="organization"
                />
            </div>
            <div class="md:col-span-2">
                <TextField
                    name="hospital[address]"
                    label="Address"
                    value=value.address
                    required=true
                    max_length=MAX_ADDRESS_CHARS
                    error=f("address")
                    autocomplete="street-address"
                />
            </div>
            <TextField
                name="hospital[phone]"
                label="Phone"
                input_type="tel"
                value=value.phone
                required=true
                max_length=32
                error=f("phone")
            />
            <TextField
                name="hospital[email]"
                label="Hospital email"
                input_type="email"
                value=value.email
                required=true
                max_length=MAX_EMAIL_CHARS
                error=f("email")
            />
            <TextField
                name="hospital[registration_number]"
                label="Registration number"
                value=value.registration_number
                required=true
                max_length=MAX_IDENTIFIER_CHARS
                error=f("registration_number")
            />
            <TextField
                name="hospital[tax_id]"
                label="Tax id"
                value=value.tax_id
                required=true
                max_length=MAX_IDENTIFIER_CHARS
                error=f("tax_id")
            />
            <div class="md:col-span-2">
                <Button r#type="submit" loading=action.pending()>
                    "Next: administrator"
                </Button>
            </div>
        </ActionForm>
    }
}

#[component]
fn AdminForm(value: FirstAdmin) -> impl IntoView {
    let action = ServerAction::<SaveFirstAdmin>::new();
    let f = move |name| field_error(action, name);
    view! {
        <ActionForm action=action attr:class=FORM>
            <p class="text-slate-700 md:col-span-2">
                "The first administrator sets the hospital up on HMS and invites its staff. We email this address to confirm it."
            </p>
            <div class="md:col-span-2">
                <FormAlert message=form_error(action) />
            </div>
            <TextField
                name="admin[name]"
                label="Administrator's name"
                value=value.name
                required=true
                max_length=MAX_HOSPITAL_NAME_CHARS
                error=f("admin_name")
                autocomplete="name"
            />
            <TextField
                name="admin[email]"
                label="Administrator's email"
                input_type="email"
                value=value.email
                required=true
                max_length=MAX_EMAIL_CHARS
                error=f("admin_email")
                autocomplete="email"
            />
            <div class="flex flex-wrap items-center gap-4 md:col-span-2">
                <Button r#type="submit" loading=action.pending()>
                    "Next: plan"
                </Button>
                <a
                    href="/register?step=hospital"
                    class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                >
                    "Back to the hospital"
                </a>
            </div>
        </ActionForm>
    }
}

#[component]
fn PlanForm(draft: RegistrationDraft) -> impl IntoView {
    let action = ServerAction::<SubmitRegistration>::new();
    let hospital = draft.hospital.unwrap_or_default();
    let admin = draft.admin.unwrap_or_default();
    view! {
        <ActionForm
            action=action
            attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
        >
            <FormAlert message=form_error(action) />
            <FormAlert message=field_error(action, "form") />
            <FormAlert message=field_error(action, "admin_email") />
            <fieldset>
                <legend class="text-sm font-semibold text-slate-900">"Plan"</legend>
                <div class="mt-2 grid gap-3 md:grid-cols-3">
                    {Plan::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <label class="flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border border-slate-300 p-3">
                                    <input
                                        type="radio"
                                        name="plan"
                                        value=p.as_str()
                                        checked=p == Plan::Trial
                                        class="mt-1 size-6 shrink-0"
                                    />
                                    <span>
                                        <span class="block font-semibold text-slate-900">
                                            {p.label()}
                                        </span>
                                        <span class="block text-sm text-slate-700">
                                            {p.summary()}
                                        </span>
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <Show when=move || field_error(action, "plan").get().is_some()>
                    <p role="alert" class="mt-1 text-sm font-medium text-red-700">
                        {move || field_error(action, "plan").get()}
                    </p>
                </Show>
            </fieldset>
            <dl class="grid gap-2 rounded-lg bg-slate-50 p-3 text-slate-900 md:grid-cols-2">
                <div>
                    <dt class="text-sm text-slate-700">"Hospital"</dt>
                    <dd class="font-medium">{hospital.name}</dd>
                </div>
                <div>
                    <dt class="text-sm text-slate-700">"Registration number"</dt>
                    <dd class="font-medium">{hospital.registration_number}</dd>
                </div>
                <div>
                    <dt class="text-sm text-slate-700">"Administrator"</dt>
                    <dd class="font-medium">{admin.name}</dd>
                </div>
                <div>
                    <dt class="text-sm text-slate-700">"Administrator's email"</dt>
                    <dd class="break-all font-medium">{admin.email}</dd>
                </div>
            </dl>
            <div class="flex flex-wrap items-center gap-4">
                <Button r#type="submit" loading=action.pending()>
                    "Send the registration"
                </Button>
                <a
                    href="/register?step=admin"
                    class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                >
                    "Back to the administrator"
                </a>
            </div>
        </ActionForm>
    }
}
