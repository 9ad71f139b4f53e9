//! `/forgot-password` (ask for a link) and `/reset-password?token=…` (choose
//! the new password).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::link_problem::LinkProblem;
use super::{RequestPasswordReset, ResetPassword, password_reset_status};
use crate::app::frame::PublicFrame;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::field::TextField;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};

/// The one answer to every request, so nobody learns who has an account.
pub const RESET_SENT: &str = "If an HMS account uses that address, we have sent it a link to choose a new password. The link works for 30 minutes.";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let q = use_query_map();
    let sent = move || q.with(|m| m.get("sent").is_some());
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Reset your password" />
        <PublicFrame>
            <div class="mx-auto max-w-md">
                <h1 class="text-3xl font-bold text-slate-900">"Reset your password"</h1>
                <p class="mt-2 text-slate-700">
                    "Enter the email address you sign in with. We will email you a link to choose a new password."
                </p>
                {move || sent().then(|| view! { <Notice>{RESET_SENT}</Notice> })}
                <ActionForm
                    action=action
                    attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
                >
                    <FormAlert message=form_error(action) />
                    <TextField
                        name="email"
                        label="Email"
                        input_type="email"
                        autocomplete="username"
                        required=true
                        max_length=MAX_EMAIL_CHARS
                        error=field_error(action, "email")
                    />
                    <Button r#type="submit" loading=action.pending()>
                        "Send the link"
                    </Button>
                </ActionForm>
                <p class="mt-4">
                    <a
                        href="/login"
                        class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                    >
                        "Back to sign in"
                    </a>
                </p>
            </div>
        </PublicFrame>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let q = use_query_map();
    let token = Memo::new(move |_| q.with(|m| m.get("token").unwrap_or_default()));
    let status = Resource::new(move || token.get(), password_reset_status);
    view! {
        <Title text="Choose a new password" />
        <PublicFrame>
            <div class="mx-auto max-w-md">
                <Suspense fallback=|| {
                    view! { <Skeleton rows=3 label="Checking your link…" /> }
                }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(()) => {
                                view! { <NewPasswordForm token=token.get_untracked() /> }.into_any()
                            }
                            Err(e) => {
                                view! {
                                    <LinkProblem
                                        title="This link cannot be used"
                                        error=e
                                        href="/forgot-password"
                                        label="Ask for a new link"
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
fn NewPasswordForm(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let field = move |name| field_error(action, name);
    view! {
        <h1 class="text-3xl font-bold text-slate-900">"Choose a new password"</h1>
        <p class="mt-2 text-slate-700">
            "You will be signed out everywhere and can then sign in with it."
        </p>
        <ActionForm
            action=action
            attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
        >
            <FormAlert message=form_error(action) />
            <input type="hidden" name="token" value=token />
            <TextField
                name="password"
                label="New password"
                input_type="password"
                autocomplete="new-password"
                required=true
                max_length=MAX_PASSWORD_CHARS
                error=field("password")
                hint=Some("At least 12 characters. A few unrelated words work well.".to_string())
            />
            <TextField
                name="confirm"
                label="Type it again"
                input_type="password"
                autocomplete="new-password"
                required=true
                max_length=MAX_PASSWORD_CHARS
                error=field("confirm")
            />
            <Button r#type="submit" loading=action.pending()>
                "Save the new password"
            </Button>
        </ActionForm>
    }
}
