//! `/c/{slug}/my-records/contact`: the patient keeps their own phone,
//! email, address and emergency contact up to date. Nothing else on the
//! record can be changed from here (the database holds that too).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{SaveOwnContact, own_contact_form};
use crate::app::frame::{AccessError, use_slug};
use crate::app::patients::ContactFields;
use crate::components::action_errors::{FormAlert, field_error, form_error};
use crate::components::button::Button;
use crate::components::skeleton::Skeleton;

#[component]
pub fn OwnContactPage() -> impl IntoView {
    let slug = use_slug();
    let save = ServerAction::<SaveOwnContact>::new();
    let form = Resource::new(
        move || (slug.get(), save.version().get()),
        |(s, _)| own_contact_form(s),
    );
    let back = move || format!("/c/{}/my-records", slug.get());
    view! {
        <Title text="My contact details" />
        <h1 class="text-3xl font-bold text-slate-900">"My contact details"</h1>
        <p class="mt-2 text-slate-700">
            "How your clinic reaches you, and whom to call if you cannot answer. To correct your name, date of birth or identity document, ask at the front desk."
        </p>
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading your details…" /> }
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(typed) => {
                        view! {
                            <ActionForm
                                action=save
                                attr:class="mt-6 flex flex-col gap-6"
                                attr:id="own-contact"
                            >
                                <FormAlert message=form_error(save) />
                                <input type="hidden" name="slug" value=move || slug.get() />
                                <ContactFields
                                    typed=typed
                                    error=Callback::new(move |name| field_error(save, name))
                                />
                                <div class="flex flex-wrap items-center gap-4">
                                    <Button r#type="submit" loading=save.pending()>
                                        "Save my details"
                                    </Button>
                                    <a href=back class="font-semibold text-teal-800 underline">
                                        "Back to my records"
                                    </a>
                                </div>
                            </ActionForm>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
