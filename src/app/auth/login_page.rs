use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::SignIn;
use crate::app::public_frame::PublicFrame;
use crate::components::button::Button;
use crate::components::field::TextField;
use crate::domain::AppError;
use crate::domain::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};
use crate::domain::session::sign_in_reason_message;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let reason = move || query.with(|q| q.get("reason").unwrap_or_default());
    let action = ServerAction::<SignIn>::new();
    let error = move || action.value().get().and_then(Result::err);
    let field = move |name: &'static str| {
        Signal::derive(move || error().and_then(|e| e.field_message(name).map(str::to_owned)))
    };
    let form_error = move || {
        error().and_then(|e| match e {
            AppError::Validation(_) => e.field_message("form").map(str::to_owned),
            other => Some(other.to_string()),
        })
    };
    view! {
        <Title text="Sign in"/>
        <PublicFrame>
            <div class="mx-auto max-w-md">
                <h1 class="text-3xl font-bold text-slate-900">"Sign in"</h1>
                <p class="mt-2 text-slate-700">"Staff and patients sign in with the email address their clinic has on file."</p>
                {move || {
                    sign_in_reason_message(&reason())
                        .map(|m| {
                            view! {
                                <p role="status" class="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950">
                                    {m}
                                </p>
                            }
                        })
                }}
                <ActionForm action=action attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6">
                    {move || {
                        form_error()
                            .map(|m| {
                                view! {
                                    <p role="alert" class="rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-900">
                                        {m}
                                    </p>
                                }
                            })
                    }}
                    <TextField
                        name="email"
                        label="Email"
                        input_type="email"
                        autocomplete="username"
                        required=true
                        max_length=MAX_EMAIL_CHARS
                        error=field("email")
                    />
                    <TextField
                        name="password"
                        label="Password"
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        max_length=MAX_PASSWORD_CHARS
                        error=field("password")
                    />
                    <input type="hidden" name="next" value=next/>
                    <Button r#type="submit" loading=action.pending()>"Sign in"</Button>
                </ActionForm>
                <p class="mt-4">
                    <a href="/forgot-password" class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline">"Forgot your password?"</a>
                </p>
            </div>
        </PublicFrame>
    }
}
