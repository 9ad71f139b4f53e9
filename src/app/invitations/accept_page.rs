//! `/invitation?token=…`: the page an invitation email (staff, or a
//! patient's portal) links to. The person chooses a password (or confirms the one of the HMS account they have) and
//! lands on their dashboard, signed in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AcceptInvitation, invitation_details};
use crate::app::auth::LinkProblem;
use crate::app::frame::PublicFrame;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::field::TextField;
use crate::components::skeleton::Skeleton;
use crate::domain::auth::MAX_PASSWORD_CHARS;
use crate::domain::invitations::InvitationView;
use crate::domain::role::Role;

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let q = use_query_map();
    let token = Memo::new(move |_| q.with(|m| m.get("token").unwrap_or_default()));
    let details = Resource::new(move || token.get(), invitation_details);
    view! {
        <Title text="Accept your invitation" />
        <PublicFrame>
            <div class="mx-auto max-w-lg">
                <Suspense fallback=|| {
                    view! { <Skeleton rows=4 label="Opening your invitation…" /> }
                }>
                    {move || Suspend::new(async move {
                        match details.await {
                            Ok(v) => {
                                view! { <AcceptForm view=v token=token.get_untracked() /> }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <LinkProblem
                                        title="This invitation cannot be used"
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
fn AcceptForm(view: InvitationView, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let field = move |name| field_error(action, name);
    let place = match &view.department {
        Some(d) => format!("{} in {d}", view.role.label()),
        None => view.role.label().to_string(),
    };
    let existing = view.existing_account;
    let (title, invited) = if view.role == Role::Patient {
        (
            format!("Your patient portal at {}", view.clinic_name),
            format!(
                "{}, {} invites you to see your records online. You will sign in as ",
                view.display_name, view.clinic_name
            ),
        )
    } else {
        (
            format!("Join {}", view.clinic_name),
            format!(
                "{}, you are invited as {place}. You will sign in as ",
                view.display_name
            ),
        )
    };
    view! {
        <h1 class="text-3xl font-bold text-slate-900">{title}</h1>
        <p class="mt-2 text-slate-700">
            {invited} <strong class="break-all">{view.email.clone()}</strong>"."
        </p>
        <ActionForm
            action=action
            attr:class="mt-6 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:p-6"
        >
            <FormAlert message=form_error(action) />
            <input type="hidden" name="token" value=token />
            {if existing {
                view! {
                    <p class="text-slate-700">
                        "You already have an HMS account. Enter its password to add this clinic to it."
                    </p>
                    <TextField
                        name="password"
                        label="Your HMS password"
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        max_length=MAX_PASSWORD_CHARS
                        error=field("password")
                    />
                    <input type="hidden" name="confirm" value="" />
                }
                    .into_any()
            } else {
                view! {
                    <TextField
                        name="password"
                        label="Choose a password"
                        input_type="password"
                        autocomplete="new-password"
                        required=true
                        max_length=MAX_PASSWORD_CHARS
                        error=field("password")
                        hint=Some(
                            "At least 12 characters. A few unrelated words work well.".to_string(),
                        )
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
                }
                    .into_any()
            }}
            <Button r#type="submit" loading=action.pending()>
                "Accept and sign in"
            </Button>
        </ActionForm>
        {view
            .sso
            .map(|o| {
                view! {
                    <div class="mt-6 rounded-xl border border-slate-200 bg-white p-4 md:p-6">
                        <p class="text-slate-700">
                            "Or accept by signing in with your organisation's account:"
                        </p>
                        <a
                            href=format!("/sso/{}/start", o.slug)
                            rel="external"
                            class="mt-3 inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-4 font-semibold text-slate-900 hover:bg-slate-50"
                        >
                            {format!("Sign in with {}", o.display_name)}
                        </a>
                    </div>
                }
            })}
    }
}
