//! On a patient's record: why their booking online is paused (after
//! repeated no-shows), and for the clinic admin "Allow booking online"
//! with the reason the audit trail keeps. Nothing when it is not paused.

use leptos::prelude::*;
use uuid::Uuid;

use super::{LiftBookingPause, booking_pause};
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::field::TextAreaField;
use crate::components::notice::{Notice, NoticeTone};
use crate::domain::self_booking::{MAX_LIFT_REASON_CHARS, SuspensionNotice};

#[component]
pub fn BookingPauseCard(patient: Uuid) -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<LiftBookingPause>::new();
    // Read again once lifted (with JavaScript the page stays).
    let data = Resource::new(
        move || (slug.get(), action.version().get()),
        move |(s, _)| booking_pause(s, patient.to_string()),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await
                    .ok()
                    .flatten()
                    .map(|n| view! { <PauseView patient=patient notice=n action=action /> })
            })}
        </Suspense>
    }
}

#[component]
fn PauseView(
    patient: Uuid,
    notice: SuspensionNotice,
    action: ServerAction<LiftBookingPause>,
) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let sentence = notice.sentence();
    view! {
        <Card title="Booking online" class="mt-6">
            <Notice tone=NoticeTone::Warning>{sentence}</Notice>
            <p class="mt-2 text-slate-700">
                "The front desk still books for the patient. The clinic admin can allow booking online again."
            </p>
            {notice
                .may_lift
                .then(|| {
                    view! {
                        <ActionForm action=action attr:class="mt-4 flex flex-col gap-3">
                            <FormAlert message=form_error(action) />
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="patient" value=patient.to_string() />
                            <TextAreaField
                                name="lift_reason"
                                label="Reason for allowing it again"
                                required=true
                                max_length=MAX_LIFT_REASON_CHARS
                                error=field_error(action, "lift_reason")
                            />
                            <div>
                                <Button
                                    r#type="submit"
                                    variant=ButtonVariant::Secondary
                                    loading=action.pending()
                                >
                                    "Allow booking online"
                                </Button>
                            </div>
                        </ActionForm>
                    }
                })}
        </Card>
    }
}
