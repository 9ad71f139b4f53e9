//! `/c/{slug}/my-appointments/{id}`: one of the patient's appointments,
//! and "Cancel appointment" with a reason while the clinic's notice allows
//! (after that, the page says to call the clinic).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::status::status_tone;
use super::{CancelMyAppointment, own_appointment};
use crate::app::frame::{AccessError, use_slug};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::Badge;
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::field::TextAreaField;
use crate::components::notice::{Notice, NoticeTone};
use crate::components::skeleton::Skeleton;
use crate::domain::appointments::{AppointmentStatus, MAX_REASON_CHARS, MyAppointment};

#[component]
pub fn MyAppointmentPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = Resource::new(
        move || (slug.get(), id.get()),
        |(s, i)| own_appointment(s, i),
    );
    view! {
        <Title text="Appointment" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=4 label="Loading the appointment…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(m) => view! { <MineView mine=m /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MineView(mine: MyAppointment) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let a = mine.appointment;
    let action = ServerAction::<CancelMyAppointment>::new();
    let late = a.status == AppointmentStatus::Booked && !mine.may_cancel;
    let all = format!("/c/{slug}/my-appointments");
    view! {
        <div class="flex flex-wrap items-center gap-3">
            <h1 class="text-3xl font-bold text-slate-900">"Appointment"</h1>
            <Badge tone=status_tone(a.status)>{a.status.label()}</Badge>
        </div>
        <Card class="mt-6">
            <dl class="grid gap-4 md:grid-cols-2">
                <div>
                    <dt class="text-sm font-medium text-slate-600">"When"</dt>
                    <dd class="text-slate-900">{a.starts.full()}</dd>
                </div>
                <div>
                    <dt class="text-sm font-medium text-slate-600">"Doctor"</dt>
                    <dd class="text-slate-900">{format!("{} · {}", a.doctor, a.department)}</dd>
                </div>
                <div>
                    <dt class="text-sm font-medium text-slate-600">"Reason"</dt>
                    <dd class="text-slate-900">
                        {if a.reason.is_empty() { "—".to_string() } else { a.reason.clone() }}
                    </dd>
                </div>
                {a
                    .cancel_reason
                    .clone()
                    .map(|r| {
                        view! {
                            <div>
                                <dt class="text-sm font-medium text-slate-600">"Why cancelled"</dt>
                                <dd class="text-slate-900">{r}</dd>
                            </div>
                        }
                    })}
            </dl>
            <a href=all class="mt-4 inline-block font-semibold text-teal-800 underline">
                "All my appointments"
            </a>
        </Card>
        {late
            .then(|| {
                view! {
                    <Notice tone=NoticeTone::Warning>
                        "It is too late to cancel online: please call the clinic."
                    </Notice>
                }
            })}
        {mine
            .may_cancel
            .then(|| {
                view! {
                    <Card title="Cancel" class="mt-6">
                        <ActionForm action=action attr:class="flex flex-col gap-3">
                            <FormAlert message=form_error(action) />
                            <FormAlert message=field_error(action, "form") />
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="id" value=a.id.to_string() />
                            <TextAreaField
                                name="cancel_reason"
                                label="Reason for cancelling"
                                required=true
                                max_length=MAX_REASON_CHARS
                                error=field_error(action, "cancel_reason")
                            />
                            <div>
                                <Button
                                    r#type="submit"
                                    variant=ButtonVariant::Danger
                                    loading=action.pending()
                                >
                                    "Cancel appointment"
                                </Button>
                            </div>
                        </ActionForm>
                    </Card>
                }
            })}
    }
}
