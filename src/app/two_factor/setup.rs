//! Setting up an authenticator app: the QR code (drawn by the server), the
//! key as text, and a code to prove it works. Used during sign-in (when the
//! role requires it) and at `/account/two-factor`.

use leptos::prelude::*;
use leptos_meta::Title;

use super::second_step_page::TrustDevice;
use super::{ConfirmTotp, start_totp_setup};
use crate::app::frame::AccessError;
use crate::app::frame::SignedInFrame;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::two_factor::TotpEnrolment;

#[component]
pub fn TotpSetup() -> impl IntoView {
    let enrolment = Resource::new(|| (), |_| start_totp_setup());
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=4 label="Preparing your QR code…" /> }
        }>
            {move || Suspend::new(async move {
                match enrolment.await {
                    Ok(e) => view! { <SetupSteps enrolment=e /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupSteps(enrolment: TotpEnrolment) -> impl IntoView {
    let action = ServerAction::<ConfirmTotp>::new();
    let during_sign_in = enrolment.during_sign_in;
    view! {
        <ol class="mt-6 flex flex-col gap-6">
            <li>
                <h2 class="text-lg font-semibold text-slate-900">
                    "1. Scan this QR code with an authenticator app"
                </h2>
                <p class="mt-1 text-slate-700">
                    "Google Authenticator, Microsoft Authenticator, 1Password, FreeOTP or any app for time-based codes."
                </p>
                <img
                    src=enrolment.qr_svg
                    width="240"
                    height="240"
                    class="mt-3 rounded-lg border border-slate-200 bg-white"
                    alt="QR code that adds HMS to your authenticator app"
                />
                <p class="mt-3 text-slate-700">
                    "Cannot scan it? Add an account by hand with this key (time-based):"
                </p>
                <code
                    class="mt-1 block break-all rounded-lg bg-slate-100 p-3 font-mono text-lg tracking-wide text-slate-900"
                    aria-label="Authenticator key"
                >
                    {enrolment.key_text}
                </code>
                <p class="mt-1 text-sm text-slate-700">"Account: "{enrolment.account}</p>
            </li>
            <li>
                <h2 class="text-lg font-semibold text-slate-900">
                    "2. Enter the code the app shows"
                </h2>
                <ActionForm
                    action=action
                    attr:class="mt-3 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
                >
                    <FormAlert message=form_error(action) />
                    <FormAlert message=field_error(action, "form") />
                    <TextField
                        name="code"
                        label="Code from the app"
                        autocomplete="one-time-code"
                        required=true
                        max_length=40
                        error=field_error(action, "code")
                    />
                    {during_sign_in.then(|| view! { <TrustDevice /> })}
                    <Button r#type="submit" loading=action.pending()>
                        "Turn on two-factor sign-in"
                    </Button>
                </ActionForm>
            </li>
        </ol>
    }
}

/// `/account/two-factor`: a signed-in person sets the app up.
#[component]
pub fn TwoFactorSetupPage() -> impl IntoView {
    view! {
        <Title text="Set up two-factor sign-in" />
        <SignedInFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Set up two-factor sign-in"</h1>
            <p class="mt-2 text-slate-700">
                "After your password, HMS will ask for a code from your phone. Someone who learns your password still cannot sign in."
            </p>
            <Card title="Your authenticator app" class="mt-6">
                <TotpSetup />
            </Card>
        </SignedInFrame>
    }
}
