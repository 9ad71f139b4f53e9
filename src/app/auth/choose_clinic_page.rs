use leptos::prelude::*;
use leptos_meta::Title;

use super::{ChooseClinic, my_memberships};
use crate::app::errors::{ServerErrorPage, set_error_status};
use crate::app::frame::SignedInFrame;
use crate::components::button::{Button, ButtonVariant};
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;

/// For people with more than one clinic or role: pick where to work. Also
/// reached from "Switch clinic" to change without signing out.
#[component]
pub fn ChooseClinicPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| my_memberships());
    let choose = ServerAction::<ChooseClinic>::new();
    view! {
        <Title text="Choose a clinic" />
        <SignedInFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Choose where to work"</h1>
            <p class="mt-2 text-slate-700">"You can switch at any time from the account menu."</p>
            <Suspense fallback=|| {
                view! { <Skeleton rows=3 label="Loading your clinics…" /> }
            }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <EmptyState
                                    title="No clinic yet"
                                    message="Your account is not part of any clinic. Ask your clinic administrator to add you."
                                />
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="mt-6 grid gap-3 md:grid-cols-2">
                                    {list
                                        .into_iter()
                                        .map(|c| {
                                            let label = format!(
                                                "Open {} as {}",
                                                c.clinic_name,
                                                c.role.label(),
                                            );
                                            view! {
                                                <li class="rounded-xl border border-slate-200 bg-white p-4">
                                                    <p class="text-lg font-semibold text-slate-900">
                                                        {c.clinic_name.clone()}
                                                    </p>
                                                    <p class="text-slate-700">
                                                        {c.role.label()} {c.department.map(|d| format!(" · {d}"))}
                                                    </p>
                                                    <ActionForm action=choose attr:class="mt-3">
                                                        <input type="hidden" name="slug" value=c.slug />
                                                        <input type="hidden" name="role" value=c.role.as_str() />
                                                        <Button r#type="submit" variant=ButtonVariant::Secondary>
                                                            <span class="sr-only">{label}</span>
                                                            <span aria-hidden="true">"Open"</span>
                                                        </Button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            set_error_status(&e);
                            view! { <ServerErrorPage error=e retry_href="/choose-clinic" /> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </SignedInFrame>
    }
}
