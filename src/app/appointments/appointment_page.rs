//! `/c/{slug}/appointments/{id}`: one appointment at the front desk: when,
//! with whom and why, and (while it is booked) "Check in" on its day,
//! "Reschedule" and "Cancel appointment" with the reason the record keeps.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::status::status_tone;
use super::{CancelAppointment, CheckInAppointment, appointment_details};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::Badge;
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::field::TextAreaField;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentPage, MAX_REASON_CHARS};

#[component]
pub fn AppointmentDetailsPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = Resource::new(
        move || (slug.get(), id.get()),
        |(s, i)| appointment_details(s, i),
    );
    view! {
        <Title text="Appointment" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the appointment…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <AppointmentView page=p /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AppointmentView(page: AppointmentPage) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let a = page.appointment;
    let row = |label: &'static str, value: String| {
        view! {
            <div class="flex flex-col gap-0.5">
                <dt class="text-sm font-medium text-slate-600">{label}</dt>
                <dd class="text-slate-900">
                    {if value.is_empty() { "—".to_string() } else { value }}
                </dd>
            </div>
        }
    };
    let day = format!("/c/{slug}/appointments?day={}", a.starts.local_date());
    let id = a.id.to_string();
    let moved = use_query_map().with_untracked(|q| q.get("moved").is_some());
    let reschedule = format!("/c/{slug}/appointments/{id}/reschedule");
    view! {
        {moved
            .then(|| {
                view! {
                    <Notice tone=NoticeTone::Success>
                        "Appointment moved. The patient is emailed the new time."
                    </Notice>
                }
            })}
        <div class="flex flex-wrap items-center gap-3">
            <h1 class="text-3xl font-bold text-slate-900">"Appointment"</h1>
            <Badge tone=status_tone(a.status)>{a.status.label()}</Badge>
        </div>
        <p class="mt-1 text-slate-700">
            <a
                href=format!("/c/{slug}/patients/{}", a.patient_id)
                class="font-semibold text-teal-800 underline"
            >
                {a.patient_name.clone()}
            </a>
            {format!(" · {}", a.patient_number)}
        </p>
        <Card class="mt-6">
            <dl class="grid gap-4 md:grid-cols-2">
                {row("When", format!("{}–{}", a.starts.full(), a.ends.clock()))}
                {row("Doctor", a.doctor.clone())} {row("Department", a.department.clone())}
                {row("Type", a.appointment_type.label().to_string())}
                {row("Reason", a.reason.clone())}
                {row(
                    "Booked by",
                    if a.booked_by_patient { "The patient, online" } else { "The clinic" }
                        .to_string(),
                )} {a.cancel_reason.clone().map(|r| row("Why cancelled", r))}
            </dl>
            <a href=day class="mt-4 inline-block font-semibold text-teal-800 underline">
                "The day's appointments"
            </a>
        </Card>
        {page.may_check_in.then(|| view! { <CheckInForm slug=slug.clone() id=id.clone() /> })}
        {page
            .may_cancel
            .then(|| {
                view! {
                    <Card title="Another time" class="mt-6">
                        <p class="text-slate-700">
                            "Move the appointment to another of the doctor's free times."
                        </p>
                        <div class="mt-3">
                            <LinkButton href=reschedule variant=ButtonVariant::Secondary>
                                "Reschedule"
                            </LinkButton>
                        </div>
                    </Card>
                }
            })}
        {page.may_cancel.then(|| view! { <CancelForm slug=slug.clone() id=id.clone() /> })}
    }
}

#[component]
fn CheckInForm(slug: String, id: String) -> impl IntoView {
    let action = ServerAction::<CheckInAppointment>::new();
    view! {
        <Card title="Arrived" class="mt-6">
            <ActionForm action=action attr:class="flex flex-col gap-3">
                <FormAlert message=form_error(action) />
                <FormAlert message=field_error(action, "form") />
                <FormAlert message=field_error(action, "department") />
                <FormAlert message=field_error(action, "doctor") />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id />
                <p class="text-slate-700">
                    "Checking in gives the patient a token for the doctor's queue."
                </p>
                <div>
                    <Button r#type="submit" loading=action.pending()>
                        "Check in"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn CancelForm(slug: String, id: String) -> impl IntoView {
    let action = ServerAction::<CancelAppointment>::new();
    view! {
        <Card title="Cancel" class="mt-6">
            <ActionForm action=action attr:class="flex flex-col gap-3">
                <FormAlert message=form_error(action) />
                <FormAlert message=field_error(action, "form") />
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id />
                <TextAreaField
                    name="cancel_reason"
                    label="Reason for cancelling"
                    required=true
                    max_length=MAX_REASON_CHARS
                    error=field_error(action, "cancel_reason")
                />
                <div>
                    <Button r#type="submit" variant=ButtonVariant::Danger loading=action.pending()>
                        "Cancel appointment"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
