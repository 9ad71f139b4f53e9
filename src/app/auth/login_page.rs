use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::SignIn;
use crate::app::frame::{ForwardSignedIn, PublicFrame};
use crate::app::sso::{FindSso, sso_options};
use crate::components::action_errors::field_error;
use crate::components::button::Button;
use crate::components::field::TextField;
use crate::components::notice::{Notice, NoticeTone};
use crate::domain::AppError;
use crate::domain::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};
use crate::domain::session::sign_in_reason_message;
use crate::domain::sso::SsoRefusal;
use crate::domain::url::with_query;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let reason = move || query.with(|q| q.get("reason").unwrap_or_default());
    let sso_refusal = move || query.with(|q| q.get("sso").as_deref().and_then(SsoRefusal::parse));
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
        <Title text="Sign in" />
        <PublicFrame>
            <ForwardSignedIn />
            <div class="mx-auto max-w-md">
                <h1 class="text-3xl font-bold text-slate-900">"Sign in"</h1>
                <p class="mt-2 text-slate-700">
                    "Staff and patients sign in with the email address their clinic has on file."
                </p>
                {move || {
                    sign_in_reason_message(&reason())
                        .map(|m| {
                            view! { <Notice tone=NoticeTone::Warning>{m}</Notice> }
                        })
                }}
                {move || {
                    sso_refusal()
                        .map(|r| {
                            view! {
                                <p
                                    role="alert"
                                    class="mt-4 rounded-xl border border-red-300 bg-red-50 p-4 font-medium text-red-950"
                                >
                                    {r.message()}
                                </p>
                            }
                        })
                }}
                <SsoButtons />
                <ActionForm
                    action=action
                    attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
                >
                    {move || {
                        form_error()
                            .map(|m| {
                                view! {
                                    <p
                                        role="alert"
                                        class="rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-900"
                                    >
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
                    <input type="hidden" name="next" value=next />
                    <Button r#type="submit" loading=action.pending()>
                        "Sign in"
                    </Button>
                </ActionForm>
                <p class="mt-4">
                    <a
                        href="/forgot-password"
                        class="inline-flex min-h-11 items-center font-semibold text-teal-800 underline"
                    >
                        "Forgot your password?"
                    </a>
                </p>
                <FindSso />
            </div>
        </PublicFrame>
    }
}

/// "Sign in with <provider>" for the clinic named in the address
/// (`?clinic=`) or the clinics accepting an email domain (`?sso_domain=`).
#[component]
fn SsoButtons() -> impl IntoView {
    let query = use_query_map();
    let wanted = move || query.with(|q| (q.get("clinic"), q.get("sso_domain")));
    let options = Resource::new(wanted, |(clinic, domain)| sso_options(clinic, domain));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let options = options.await.unwrap_or_default();
                let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
                (!options.is_empty())
                    .then(|| {
                        view! {
                            <div class="mt-6 flex flex-col gap-3">
                                {options
                                    .into_iter()
                                    .map(|o| {
                                        let href = with_query(
                                            &format!("/sso/{}/start", o.slug),
                                            &[("next", &next)],
                                        );
                                        view! {
                                            <a
                                                href=href
                                                rel="external"
                                                class="inline-flex min-h-12 items-center justify-center rounded-lg bg-slate-900 px-4 text-center font-semibold text-white hover:bg-slate-800"
                                            >
                                                {format!("Sign in with {}", o.display_name)}
                                                <span class="sr-only">
                                                    {format!(" for {}", o.clinic_name)}
                                                </span>
                                            </a>
                                            <p
                                                class="-mt-2 text-center text-sm text-slate-700"
                                                aria-hidden="true"
                                            >
                                                {o.clinic_name}
                                            </p>
                                        }
                                    })
                                    .collect_view()}
                                <p class="text-center text-slate-700">
                                    "or use your HMS email and password"
                                </p>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}

/// From a work email to its organisation's sign-in.
#[component]
fn FindSso() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let action = ServerAction::<FindSso>::new();
    let open = move || action.value().get().is_some_and(|r| r.is_err());
    view! {
        <details class="mt-6 rounded-xl border border-slate-200 bg-white p-4" open=open>
            <summary class="min-h-11 cursor-pointer py-2 font-semibold text-slate-900">
                "Sign in with your organisation's account (single sign-on)"
            </summary>
            <ActionForm action=action attr:class="mt-3 flex flex-col gap-4">
                <TextField
                    name="work_email"
                    label="Your work account"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    max_length=MAX_EMAIL_CHARS
                    error=field_error(action, "sso_email")
                    placeholder="name@hospital.org"
                    hint=Some(
                        "The address your organisation gave you; you sign in on its own page."
                            .to_string(),
                    )
                />
                <input type="hidden" name="next" value=next />
                <Button r#type="submit" loading=action.pending()>
                    "Continue"
                </Button>
            </ActionForm>
        </details>
    }
}
