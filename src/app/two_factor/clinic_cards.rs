//! The clinic admin's two-factor cards: the clinic's policy (on the admin's
//! dashboard) and resetting a member's authenticator (on their page).

use leptos::prelude::*;

use super::{ResetMemberTwoFactor, SetClinicTwoFactor, clinic_two_factor};
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::notice::Notice;

#[component]
pub fn ClinicTwoFactorCard() -> impl IntoView {
    let slug = use_slug();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.with(|q| q.get("saved").as_deref() == Some("two_factor"));
    let action = ServerAction::<SetClinicTwoFactor>::new();
    let required = Resource::new(
        move || (slug.get(), action.version().get()),
        |(s, _)| clinic_two_factor(s),
    );
    view! {
        <Card title="Two-factor sign-in" class="mt-6">
            {move || saved().then(|| view! { <Notice>"Two-factor policy saved."</Notice> })}
            <p class="text-slate-700">
                "Admins always sign in with a code from an authenticator app. You can ask it of all staff too: anyone without one sets it up at their next sign-in. Staff whose organisation's sign-in already asked for a second factor are not asked again."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let on = required.await.unwrap_or(false);
                    view! {
                        <ActionForm action=action attr:class="mt-4 flex flex-col gap-3">
                            <FormAlert message=form_error(action) />
                            <input type="hidden" name="slug" value=move || slug.get() />
                            <label class="flex min-h-11 items-center gap-3">
                                <input
                                    type="checkbox"
                                    name="required"
                                    value="yes"
                                    checked=on
                                    class="size-6 shrink-0"
                                />
                                <span class="font-medium text-slate-900">
                                    "Require two-factor sign-in for all staff"
                                </span>
                            </label>
                            <div>
                                <Button
                                    r#type="submit"
                                    variant=ButtonVariant::Secondary
                                    loading=action.pending()
                                >
                                    "Save two-factor policy"
                                </Button>
                            </div>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </Card>
    }
}

#[component]
pub fn ResetTwoFactorCard(membership_id: String) -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<ResetMemberTwoFactor>::new();
    view! {
        <Card title="Two-factor sign-in" class="mt-6">
            <p class="text-slate-700">
                "Lost their phone and their recovery codes? Resetting removes their authenticator and signs them out everywhere; they set up a new one at their next sign-in."
            </p>
            <ActionForm action=action attr:class="mt-3 flex flex-col gap-3">
                <FormAlert message=form_error(action) />
                <input type="hidden" name="slug" value=move || slug.get() />
                <input type="hidden" name="id" value=membership_id />
                <div>
                    <Button r#type="submit" variant=ButtonVariant::Danger loading=action.pending()>
                        "Reset two-factor sign-in"
                    </Button>
                </div>
            </ActionForm>
        </Card>
    }
}
