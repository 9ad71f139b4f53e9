//! The account page's "Two-factor sign-in" card: set it up, make new
//! recovery codes, forget trusted devices, or turn it off when allowed.

use leptos::prelude::*;

use super::{DisableTwoFactor, ForgetTrustedDevices, RenewRecoveryCodes};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::domain::two_factor::TwoFactorStatus;

#[component]
pub fn TwoFactorCard(status: TwoFactorStatus) -> impl IntoView {
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let forget = ServerAction::<ForgetTrustedDevices>::new();
    let badge = if status.enabled {
        view! { <Badge tone=Tone::Success>"On"</Badge> }.into_any()
    } else {
        view! { <Badge tone=Tone::Warning>"Off"</Badge> }.into_any()
    };
    view! {
        <Card title="Two-factor sign-in" class="mt-6">
            <p class="flex flex-wrap items-center gap-2 text-slate-900">
                "A code from your phone after your password: " {badge}
            </p>
            {status
                .required
                .then(|| {
                    view! { <p class="mt-2 text-slate-700">"Your role or clinic requires it."</p> }
                })}
            {if status.enabled {
                view! {
                    <p class="mt-2 text-slate-700">
                        {format!("{} of 10 recovery codes left.", status.recovery_codes_left)}
                    </p>
                    <div class="mt-4 grid gap-6 md:grid-cols-2">
                        <ActionForm action=renew attr:class="flex flex-col gap-3">
                            <FormAlert message=form_error(renew) />
                            <TextField
                                name="code"
                                label="Code to make new recovery codes"
                                autocomplete="one-time-code"
                                required=true
                                max_length=40
                                error=field_error(renew, "code")
                            />
                            <Button
                                r#type="submit"
                                variant=ButtonVariant::Secondary
                                loading=renew.pending()
                            >
                                "Make new recovery codes"
                            </Button>
                        </ActionForm>
                        {(!status.required)
                            .then(|| {
                                view! {
                                    <ActionForm action=disable attr:class="flex flex-col gap-3">
                                        <FormAlert message=form_error(disable) />
                                        <TextField
                                            name="code"
                                            label="Code to turn it off"
                                            autocomplete="one-time-code"
                                            required=true
                                            max_length=40
                                            error=field_error(disable, "code")
                                        />
                                        <Button
                                            r#type="submit"
                                            variant=ButtonVariant::Danger
                                            loading=disable.pending()
                                        >
                                            "Turn off two-factor sign-in"
                                        </Button>
                                    </ActionForm>
                                }
                            })}
                    </div>
                    {(status.trusted_devices > 0)
                        .then(|| {
                            view! {
                                <div class="mt-6 flex flex-wrap items-center gap-3">
                                    <p class="text-slate-700">
                                        {format!(
                                            "{} trusted device{} skip the code.",
                                            status.trusted_devices,
                                            if status.trusted_devices == 1 { "" } else { "s" },
                                        )}
                                    </p>
                                    <ActionForm action=forget>
                                        <Button
                                            r#type="submit"
                                            variant=ButtonVariant::Secondary
                                            loading=forget.pending()
                                        >
                                            "Forget trusted devices"
                                        </Button>
                                    </ActionForm>
                                </div>
                            }
                        })}
                }
                    .into_any()
            } else {
                view! {
                    <p class="mt-2 text-slate-700">
                        "Someone who learns your password still cannot sign in without your phone."
                    </p>
                    <div class="mt-4">
                        <LinkButton href="/account/two-factor">
                            "Set up two-factor sign-in"
                        </LinkButton>
                    </div>
                }
                    .into_any()
            }}
        </Card>
    }
}
