//! On a patient's record: the follow-ups asked for (latest due first, each
//! with what became of it and, for the front desk, "Book appointment"),
//! and "Add follow-up" for the doctors and the desk.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::{AddFollowUp, follow_ups_of_patient};
use crate::app::appointments::doctor_options;
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::field::{DateField, SelectField, TextAreaField};
use crate::components::notice::Notice;
use crate::domain::follow_ups::{
    FollowUpItem, FollowUpStatus, MAX_DUE_DAYS, MAX_FOLLOW_UP_REASON_CHARS, PatientFollowUps,
};

#[component]
pub fn FollowUpsCard(patient: Uuid) -> impl IntoView {
    let slug = use_slug();
    let q = use_query_map();
    let added = move || q.with(|m| m.get("follow_up").as_deref() == Some("added"));
    let data = Resource::new(
        move || slug.get(),
        move |s| follow_ups_of_patient(s, patient.to_string()),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await
                    .ok()
                    .map(|d| {
                        view! {
                            {added()
                                .then(|| {
                                    view! {
                                        <Notice>
                                            "Follow-up added. The front desk finds it under Follow-ups to book."
                                        </Notice>
                                    }
                                })}
                            <CardView data=d />
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
fn CardView(data: PatientFollowUps) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let today = data.today;
    let may_book = data.may_book;
    let list = if data.items.is_empty() {
        view! { <p class="text-slate-700">"No follow-ups asked for."</p> }.into_any()
    } else {
        view! {
            <ul class="flex flex-col gap-3">
                {data
                    .items
                    .into_iter()
                    .map(|f| view! { <Item f=f slug=slug.clone() today=today may_book=may_book /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let form = data.may_add.then(|| {
        view! { <AddForm data_patient=data.patient_id departments=data.departments today=today /> }
    });
    view! {
        <div id="follow-ups">
            <Card title="Follow-ups" class="mt-6">
                {list}
                {form}
            </Card>
        </div>
    }
}

#[component]
fn Item(f: FollowUpItem, slug: String, today: chrono::NaiveDate, may_book: bool) -> impl IntoView {
    let tone = match f.status {
        FollowUpStatus::Pending if f.overdue(today) => Tone::Danger,
        FollowUpStatus::Pending | FollowUpStatus::Booked => Tone::Info,
        FollowUpStatus::Completed => Tone::Success,
        FollowUpStatus::Missed => Tone::Warning,
    };
    let status = if f.overdue(today) {
        "Overdue"
    } else {
        f.status.label()
    };
    let place = match &f.doctor {
        Some(d) => format!("{} · {d}", f.department),
        None => format!("{} · any doctor", f.department),
    };
    let book = (may_book && f.status == FollowUpStatus::Pending).then(|| {
        view! {
            <a
                href=f.booking_href(&slug, today)
                class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
            >
                "Book this follow-up"
            </a>
        }
    });
    let appointment = f
        .appointment_id
        .zip(f.appointment_starts.clone())
        .map(|(id, at)| {
            view! {
                <a
                    href=format!("/c/{slug}/appointments/{id}")
                    class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                >
                    {format!("Appointment {}", at.compact())}
                </a>
            }
        });
    view! {
        <li class="rounded-lg border border-slate-200 p-3">
            <p class="flex flex-wrap items-center gap-2">
                <span class="font-semibold text-slate-900">{f.due_label(today)}</span>
                <Badge tone=tone>{status}</Badge>
            </p>
            <p class="mt-1 text-slate-800">{place}</p>
            <p class="mt-1 text-slate-800 [overflow-wrap:anywhere]">{f.reason.clone()}</p>
            <p class="mt-1 text-sm text-slate-700">{format!("Asked by {}", f.asked_by)}</p>
            {(book.is_some() || appointment.is_some())
                .then(|| {
                    view! { <div class="mt-1 flex flex-wrap gap-3">{book} {appointment}</div> }
                })}
        </li>
    }
}

#[component]
fn AddForm(
    data_patient: Uuid,
    departments: Vec<crate::domain::visits::DepartmentChoice>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let action = ServerAction::<AddFollowUp>::new();
    let f = move |name| field_error(action, name);
    let department_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose".to_string()))
            .chain(
                departments
                    .iter()
                    .map(|d| (d.id.to_string(), d.name.clone())),
            )
            .collect();
    let doctors = doctor_options(&departments, "Any doctor");
    let last = today + chrono::Duration::days(MAX_DUE_DAYS);
    view! {
        <h3 class="mt-6 text-lg font-semibold text-slate-900">"Add follow-up"</h3>
        <ActionForm action=action attr:class="mt-3 flex flex-col gap-4">
            <FormAlert message=form_error(action) />
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="patient" value=data_patient.to_string() />
            <div class="grid gap-4 md:grid-cols-3">
                <SelectField
                    name="follow_up[department]"
                    label="Department"
                    options=department_options
                    required=true
                    error=f("department")
                />
                <SelectField
                    name="follow_up[doctor]"
                    label="Doctor"
                    options=doctors
                    error=f("doctor")
                />
                <DateField
                    name="follow_up[due_on]"
                    label="Due by"
                    required=true
                    min=today.to_string()
                    max=last.to_string()
                    error=f("due_on")
                />
            </div>
            <TextAreaField
                name="follow_up[reason]"
                label="Reason"
                required=true
                max_length=MAX_FOLLOW_UP_REASON_CHARS
                error=f("reason")
            />
            <div>
                <Button r#type="submit" variant=ButtonVariant::Secondary loading=action.pending()>
                    "Add follow-up"
                </Button>
            </div>
        </ActionForm>
    }
}
