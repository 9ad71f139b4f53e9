//! The page a device sends its person to: type the code the device shows,
//! check that the device is theirs, allow or deny it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AnswerDevice, waiting_device};
use crate::app::frame::{AccessError, SignedInFrame};
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::api::device::DeviceRequest;

#[component]
pub fn DevicePage() -> impl IntoView {
    let q = use_query_map();
    let code = Memo::new(move |_| q.with(|m| m.get("code").unwrap_or_default()));
    let done = move || {
        q.with(|m| match m.get("done").as_deref() {
            Some("allow") => Some(
                "The device is signed in as you. Go back to it: it carries on by itself. \
                 To sign it out later, use “Sign out other sessions” on your account page.",
            ),
            Some("deny") => Some("The device was refused. Nothing was signed in."),
            _ => None,
        })
    };
    let answer = ServerAction::<AnswerDevice>::new();
    let request = Resource::new(
        move || code.get(),
        |code| async move {
            if code.trim().is_empty() {
                None
            } else {
                Some(waiting_device(code).await)
            }
        },
    );
    view! {
        <Title text="Sign in a device" />
        <SignedInFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Sign in a device"</h1>
            {move || done().map(|m| view! { <Notice>{m}</Notice> })}
            <Suspense fallback=|| {
                view! { <Skeleton rows=4 label="Looking for the device…" /> }
            }>
                {move || Suspend::new(async move {
                    match request.await {
                        None => view! { <CodeForm code=String::new() error=None /> }.into_any(),
                        Some(Ok(found)) => {
                            view! { <Confirm request=found answer=answer /> }.into_any()
                        }
                        Some(
                            Err(e),
                        ) if e.field_message("code").is_some() || e == AppError::RateLimited => {
                            let message = e
                                .field_message("code")
                                .map_or_else(|| e.to_string(), str::to_owned);
                            // A wrong code, or too many tries: said by the field.
                            view! { <CodeForm code=code.get_untracked() error=Some(message) /> }
                                .into_any()
                        }
                        Some(Err(e)) => view! { <AccessError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </SignedInFrame>
    }
}

/// Asks for the code: a plain GET form, so it works before (or without)
/// JavaScript and the address can be a link or QR code with the code in it.
#[component]
fn CodeForm(code: String, error: Option<String>) -> impl IntoView {
    view! {
        <Card title="Enter the code from your device" class="mt-6">
            <p class="mb-4 text-slate-700">
                "A tablet, kiosk or app that connects to HMS shows a code of eight letters. \
                 Type it here to sign that device in as you."
            </p>
            <form method="get" action="/device" class="flex flex-wrap items-end gap-4">
                <div class="w-full max-w-xs">
                    <TextField
                        name="code"
                        label="Code shown on the device"
                        value=code
                        required=true
                        autocomplete="off"
                        placeholder="BCDF-GHJK"
                        max_length=32
                        error=Signal::stored(error)
                    />
                </div>
                <Button r#type="submit">"Continue"</Button>
            </form>
        </Card>
    }
}

/// What the device said of itself, and the two answers.
#[component]
fn Confirm(request: DeviceRequest, answer: ServerAction<AnswerDevice>) -> impl IntoView {
    let detail = |term: &'static str, value: String| {
        view! {
            <div class="grid gap-1 py-2 sm:grid-cols-3">
                <dt class="font-semibold text-slate-900">{term}</dt>
                <dd class="break-words text-slate-700 sm:col-span-2">{value}</dd>
            </div>
        }
    };
    let (allow_code, deny_code) = (request.user_code.clone(), request.user_code.clone());
    let title = format!("Allow “{}”?", request.client_name);
    view! {
        <Card title=title class="mt-6">
            <dl class="mb-4 divide-y divide-slate-200">
                {detail("Device", request.client_name.clone())}
                {detail("Code", request.user_code.clone())}
                {detail("Asked at", request.requested_at.format("%Y-%m-%d %H:%M UTC").to_string())}
                {detail(
                    "From address",
                    request.client_addr.clone().unwrap_or_else(|| "Not known".into()),
                )}
                {detail(
                    "Software",
                    request.user_agent.clone().unwrap_or_else(|| "Not given".into()),
                )} {detail("Waits until", request.expires_at.format("%H:%M UTC").to_string())}
            </dl>
            <p class="mb-4 font-medium text-slate-900">
                "Allow it only if you started this on a device in front of you. It will act as \
                 you, with your access, until it is signed out."
            </p>
            <div class="mb-4">
                <FormAlert message=form_error(answer) />
                <FormAlert message=field_error(answer, "code") />
            </div>
            <div class="flex flex-wrap gap-3">
                <ActionForm action=answer>
                    <input type="hidden" name="code" value=allow_code />
                    <input type="hidden" name="decision" value="allow" />
                    <Button r#type="submit" loading=answer.pending()>
                        "Allow"
                    </Button>
                </ActionForm>
                <ActionForm action=answer>
                    <input type="hidden" name="code" value=deny_code />
                    <input type="hidden" name="decision" value="deny" />
                    <Button
                        r#type="submit"
                        variant=ButtonVariant::Secondary
                        loading=answer.pending()
                    >
                        "Deny"
                    </Button>
                </ActionForm>
            </div>
        </Card>
    }
}
