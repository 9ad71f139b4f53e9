//! The "Patient portal" card on a patient's record: where the patient's
//! portal account stands and, for reception, the invitation's actions.

use leptos::prelude::*;

use super::{InviteToPortal, ResendPortalInvitation, WithdrawPortalInvitation};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::data_table::When;
use crate::components::field::TextField;
use crate::domain::auth::MAX_EMAIL_CHARS;
use crate::domain::portal::{PortalAccess, PortalState};

/// The three things reception can do from the card.
#[derive(Clone, Copy)]
pub struct PortalActions {
    pub invite: ServerAction<InviteToPortal>,
    pub resend: ServerAction<ResendPortalInvitation>,
    pub withdraw: ServerAction<WithdrawPortalInvitation>,
}

impl Default for PortalActions {
    fn default() -> Self {
        Self::new()
    }
}

impl PortalActions {
    /// The actions, made where the card's page is, so its reload can follow them.
    pub fn new() -> Self {
        Self {
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    /// Changes whenever one of them finishes, to load the card again.
    pub fn version(&self) -> usize {
        self.invite.version().get() + self.resend.version().get() + self.withdraw.version().get()
    }
}

/// What the last action did, from `?portal=` (the redirect after it).
pub fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "sent" => Some("The invitation is on its way to the patient."),
        "resent" => Some("A new link is on its way; the old one no longer works."),
        "withdrawn" => Some("The invitation was withdrawn; its link no longer works."),
        _ => None,
    }
}

#[component]
pub fn PortalCard(
    access: PortalAccess,
    slug: String,
    actions: PortalActions,
    #[prop(into)] done: Signal<Option<&'static str>>,
) -> impl IntoView {
    let tone = match &access.state {
        PortalState::Active { .. } => Tone::Success,
        PortalState::Invited { expired: true, .. } => Tone::Warning,
        PortalState::Invited { .. } => Tone::Info,
        PortalState::NotInvited => Tone::Neutral,
    };
    let label = access.state.label();
    let id = access.patient_id.to_string();
    let body = match access.state {
        PortalState::Active { email, since } => view! {
            <p class="text-slate-700">
                "Signs in as " <strong class="break-all">{email}</strong>
                {since.map_or_else(|| ".".to_string(), |s| format!(" since {}.", s.date()))}
            </p>
        }
        .into_any(),
        PortalState::Invited {
            email,
            invited_by,
            sent_at,
            expires_at,
            expired,
        } => {
            // In the clinic's time zone; the zone itself on hover.
            let when = if expired {
                view! {
                    " The link expired on "
                    <When at=expires_at />
                    ". Send it again for a new one."
                }
                .into_any()
            } else {
                view! {
                    " The link works until "
                    <When at=expires_at />
                    "."
                }
                .into_any()
            };
            view! {
                <p class="text-slate-700">
                    "Invitation sent to " <strong class="break-all">{email}</strong>
                    {format!(" by {invited_by} on {}.", sent_at.date())} {when}
                </p>
                {access
                    .can_invite
                    .then(|| {
                        view! { <WaitingActions actions=actions slug=slug.clone() id=id.clone() /> }
                    })}
            }
            .into_any()
        }
        PortalState::NotInvited if access.can_invite => view! {
            <InviteForm
                action=actions.invite
                slug=slug.clone()
                id=id.clone()
                email=access.record_email.unwrap_or_default()
            />
        }
        .into_any(),
        PortalState::NotInvited => view! {
            <p class="text-slate-700">
                "Reception can invite this patient to see their records online."
            </p>
        }
        .into_any(),
    };
    view! {
        <Card title="Patient portal" class="mt-4">
            <div class="flex flex-col gap-3">
                <div>
                    <Badge tone=tone>{label}</Badge>
                </div>
                {move || {
                    done.get()
                        .map(|m| {
                            view! {
                                <p
                                    role="status"
                                    class="rounded-lg border border-teal-300 bg-teal-50 p-3 text-teal-950"
                                >
                                    {m}
                                </p>
                            }
                        })
                }}
                {body}
            </div>
        </Card>
    }
}

#[component]
fn InviteForm(
    action: ServerAction<InviteToPortal>,
    slug: String,
    id: String,
    email: String,
) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="flex flex-col gap-4">
            <FormAlert message=form_error(action) />
            <p class="text-slate-700">
                "Invite the patient to see their records online. They choose a password from the emailed link, which works once for 72 hours."
            </p>
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="id" value=id />
            <TextField
                name="email"
                label="Patient's email"
                input_type="email"
                autocomplete="off"
                value=email
                required=true
                max_length=MAX_EMAIL_CHARS
                error=field_error(action, "email")
                hint=Some("They will sign in with this address.".to_string())
            />
            <div>
                <Button r#type="submit" loading=action.pending()>
                    "Invite to the portal"
                </Button>
            </div>
        </ActionForm>
    }
}

#[component]
fn WaitingActions(actions: PortalActions, slug: String, id: String) -> impl IntoView {
    // One alert for both buttons: without JavaScript both actions read the
    // same returned error.
    let error = Signal::derive(move || {
        form_error(actions.resend)
            .get()
            .or_else(|| form_error(actions.withdraw).get())
    });
    let (slug2, id2) = (slug.clone(), id.clone());
    view! {
        <FormAlert message=error />
        <div class="flex flex-wrap gap-2">
            <ActionForm action=actions.resend>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id />
                <Button
                    r#type="submit"
                    variant=ButtonVariant::Secondary
                    loading=actions.resend.pending()
                >
                    "Send again"
                </Button>
            </ActionForm>
            <ActionForm action=actions.withdraw>
                <input type="hidden" name="slug" value=slug2 />
                <input type="hidden" name="id" value=id2 />
                <Button
                    r#type="submit"
                    variant=ButtonVariant::Danger
                    loading=actions.withdraw.pending()
                >
                    "Withdraw the invitation"
                </Button>
            </ActionForm>
        </div>
    }
}
