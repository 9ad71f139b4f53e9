//! `/login/two-factor`: the second step of signing in: a code from the
//! authenticator app or a recovery code, or setting the app up first when
//! the person's role requires it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::setup::TotpSetup;
use super::{AnswerSecondStep, pending_second_step};
use crate::app::auth::LinkProblem;
use crate::app::frame::PublicFrame;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::field::TextField;

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let step = Resource::new(|| (), |_| pending_second_step());
    view! {
        <Title text="Two-step verification" />
        <PublicFrame>
            <div class="mx-auto max-w-lg">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match step.await {
                            Ok(s) if s.must_enrol => {
                                view! {
                                    <h1 class="text-3xl font-bold text-slate-900">
                                        "Set up two-factor sign-in"
                                    </h1>
                                    <p class="mt-2 text-slate-700">
                                        "Your role needs a second step at sign-in. Set up an authenticator app for "
                                        <strong class="break-all">{s.email}</strong>" to continue."
                                    </p>
                                    <TotpSetup />
                                }
                                    .into_any()
                            }
                            Ok(s) => view! { <CodeForm email=s.email /> }.into_any(),
                            Err(e) => {
                                view! {
                                    <LinkProblem
                                        title="Sign in again"
                                        error=e
                                        href="/login"
                                        label="Go to sign in"
                                    />
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </PublicFrame>
    }
}

#[component]
fn CodeForm(email: String) -> impl IntoView {
    let action = ServerAction::<AnswerSecondStep>::new();
    view! {
        <h1 class="text-3xl font-bold text-slate-900">"Two-step verification"</h1>
        <p class="mt-2 text-slate-700">
            "Signing in as "<strong class="break-all">{email}</strong>
            ". Open your authenticator app and enter the code it shows for HMS."
        </p>
        <ActionForm
            action=action
            attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
        >
            <FormAlert message=form_error(action) />
            <FormAlert message=field_error(action, "form") />
            <TextField
                name="code"
                label="Authentication code"
                autocomplete="one-time-code"
                required=true
                max_length=40
                error=field_error(action, "code")
                hint=Some("6 digits from the app, or one of your recovery codes.".to_string())
            />
            <TrustDevice />
            <Button r#type="submit" loading=action.pending()>
                "Verify and sign in"
            </Button>
        </ActionForm>
        <p class="mt-4">
            <a
                href="/login"
                class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
            >
                "Cancel and go back to sign in"
            </a>
        </p>
    }
}

/// "Do not ask again on this device".
#[component]
pub fn TrustDevice() -> impl IntoView {
    view! {
        <label class="flex min-h-11 items-start gap-3">
            <input type="checkbox" name="trust_device" value="yes" class="mt-1 size-6 shrink-0" />
            <span>
                <span class="block font-medium text-slate-900">
                    "Don't ask again on this device for 30 days"
                </span>
                <span class="block text-sm text-slate-700">
                    "Only on a device that is yours alone. Your password is still asked for."
                </span>
            </span>
        </label>
    }
}
