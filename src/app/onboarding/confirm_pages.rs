//! After sending a registration: "check your inbox", the page behind the
//! emailed link (a button confirms it), and "confirmed".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ConfirmRegistration, registration_link};
use crate::app::auth::LinkProblem;
use crate::app::frame::PublicFrame;
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::button::Button;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;

#[component]
pub fn RegistrationSentPage() -> impl IntoView {
    view! {
        <Title text="Check your inbox" />
        <PublicFrame>
            <div class="mx-auto max-w-lg">
                <h1 class="text-3xl font-bold text-slate-900">"Check your inbox"</h1>
                <Notice>
                    "We sent a link to the administrator's email address. Open it within 24 hours to confirm the address; the registration then goes to our team."
                </Notice>
            </div>
        </PublicFrame>
    }
}

#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let q = use_query_map();
    let token = Memo::new(move |_| q.with(|m| m.get("token").unwrap_or_default()));
    let link = Resource::new(move || token.get(), registration_link);
    let action = ServerAction::<ConfirmRegistration>::new();
    view! {
        <Title text="Confirm your registration" />
        <PublicFrame>
            <div class="mx-auto max-w-lg">
                <Suspense fallback=|| {
                    view! { <Skeleton rows=2 label="Checking your link…" /> }
                }>
                    {move || Suspend::new(async move {
                        match link.await {
                            Ok(hospital) => {
                                view! {
                                    <h1 class="text-3xl font-bold text-slate-900">
                                        "Confirm your registration"
                                    </h1>
                                    <p class="mt-2 text-slate-700">
                                        {format!(
                                            "Confirm that you are the administrator registering {hospital} on HMS.",
                                        )}
                                    </p>
                                    <ActionForm action=action attr:class="mt-6 flex flex-col gap-4">
                                        <FormAlert message=form_error(action) />
                                        <input
                                            type="hidden"
                                            name="token"
                                            value=token.get_untracked()
                                        />
                                        <Button r#type="submit" loading=action.pending()>
                                            "Confirm my email address"
                                        </Button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <LinkProblem
                                        title="This link cannot be used"
                                        error=e
                                        href="/register"
                                        label="Register again"
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
pub fn RegistrationConfirmedPage() -> impl IntoView {
    view! {
        <Title text="Registration confirmed" />
        <PublicFrame>
            <div class="mx-auto max-w-lg">
                <h1 class="text-3xl font-bold text-slate-900">"Thank you"</h1>
                <Notice>
                    "Your address is confirmed and the registration is with our team. Once it is approved, you get an invitation email to sign in and set up your hospital."
                </Notice>
            </div>
        </PublicFrame>
    }
}
