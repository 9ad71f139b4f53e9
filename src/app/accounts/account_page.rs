//! `/account`: name and phone, changing the password, two-factor sign-in,
//! and every place the person is signed in, with "Sign out other sessions".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ChangePassword, SignOutOtherSessions, UpdateProfile, my_account};
use crate::app::frame::AccessError;
use crate::app::frame::SignedInFrame;
use crate::app::two_factor::TwoFactorCard;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::field::TextField;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::accounts::{AccountOverview, MAX_PHONE_CHARS};
use crate::domain::auth::MAX_PASSWORD_CHARS;

#[component]
pub fn AccountPage() -> impl IntoView {
    let q = use_query_map();
    let saved = move || {
        q.with(|m| match m.get("saved").as_deref() {
            Some("profile") => Some("Your details are saved."),
            Some("password") => {
                Some("Your password is changed. Your other sessions were signed out.")
            }
            Some("sessions") => Some("Your other sessions are signed out."),
            Some("two_factor_off") => Some("Two-factor sign-in is off."),
            Some("devices") => Some("Your trusted devices will ask for a code again."),
            _ => None,
        })
    };
    let profile = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let others = ServerAction::<SignOutOtherSessions>::new();
    let data = Resource::new(
        move || profile.version().get() + others.version().get() + password.version().get(),
        |_| my_account(),
    );
    view! {
        <Title text="Your account" />
        <SignedInFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Your account"</h1>
            {move || saved().map(|m| view! { <Notice>{m}</Notice> })}
            <Suspense fallback=|| {
                view! { <Skeleton rows=6 label="Loading your account…" /> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(a) => {
                            view! {
                                <AccountForms
                                    account=a
                                    profile=profile
                                    password=password
                                    others=others
                                />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <AccessError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </SignedInFrame>
    }
}

#[component]
fn AccountForms(
    account: AccountOverview,
    profile: ServerAction<UpdateProfile>,
    password: ServerAction<ChangePassword>,
    others: ServerAction<SignOutOtherSessions>,
) -> impl IntoView {
    let other_count = account.sessions.iter().filter(|s| !s.current).count();
    view! {
        <Card title="Your details" class="mt-6">
            <p class="mb-4 break-all text-slate-700">
                "You sign in as " <strong>{account.email.clone()}</strong>"."
            </p>
            <ActionForm action=profile attr:class="grid gap-4 md:grid-cols-2">
                <TextField
                    name="profile[display_name]"
                    label="Name"
                    value=account.display_name.clone()
                    required=true
                    max_length=200
                    error=field_error(profile, "display_name")
                />
                <TextField
                    name="profile[phone]"
                    label="Phone"
                    input_type="tel"
                    value=account.phone.clone()
                    max_length=MAX_PHONE_CHARS
                    error=field_error(profile, "phone")
                />
                <div class="md:col-span-2">
                    <Button r#type="submit" loading=profile.pending()>
                        "Save details"
                    </Button>
                </div>
            </ActionForm>
        </Card>
        {account
            .has_password
            .then(|| {
                view! {
                    <Card title="Change your password" class="mt-6">
                        <div class="mb-4">
                            <FormAlert message=form_error(password) />
                        </div>
                        <ActionForm action=password attr:class="grid gap-4 md:grid-cols-3">
                            <TextField
                                name="current"
                                label="Current password"
                                input_type="password"
                                autocomplete="current-password"
                                required=true
                                max_length=MAX_PASSWORD_CHARS
                                error=field_error(password, "current")
                            />
                            <TextField
                                name="password"
                                label="New password"
                                input_type="password"
                                autocomplete="new-password"
                                required=true
                                max_length=MAX_PASSWORD_CHARS
                                error=field_error(password, "password")
                            />
                            <TextField
                                name="confirm"
                                label="Type the new one again"
                                input_type="password"
                                autocomplete="new-password"
                                required=true
                                max_length=MAX_PASSWORD_CHARS
                                error=field_error(password, "confirm")
                            />
                            <div class="md:col-span-3">
                                <Button r#type="submit" loading=password.pending()>
                                    "Change password"
                                </Button>
                            </div>
                        </ActionForm>
                    </Card>
                }
            })}
        <TwoFactorCard status=account.two_factor />
        <Card title="Where you are signed in" class="mt-6">
            <ul class="divide-y divide-slate-200" aria-label="Your sessions">
                {account
                    .sessions
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li class="flex min-h-11 flex-wrap items-center justify-between gap-2 py-2">
                                <span>
                                    <span class="block font-semibold text-slate-900">
                                        {s.device}" "
                                        {s
                                            .current
                                            .then(|| {
                                                view! { <Badge tone=Tone::Info>"This browser"</Badge> }
                                            })}
                                    </span>
                                    <span class="block text-sm text-slate-700">
                                        {format!(
                                            "Signed in {} · last active {}{}",
                                            s.signed_in_at.format("%Y-%m-%d %H:%M UTC"),
                                            s.last_active_at.format("%H:%M UTC"),
                                            s
                                                .client_addr
                                                .map(|a| format!(" · from {a}"))
                                                .unwrap_or_default(),
                                        )}
                                    </span>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(other_count > 0)
                .then(|| {
                    view! {
                        <ActionForm action=others attr:class="mt-4">
                            <Button
                                r#type="submit"
                                variant=ButtonVariant::Danger
                                loading=others.pending()
                            >
                                "Sign out other sessions"
                            </Button>
                        </ActionForm>
                    }
                })}
        </Card>
    }
}
