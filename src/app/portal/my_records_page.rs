use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::my_records;
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::app::patients::RecordView;
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;

/// The patient portal: the patient's profile and their own record.
#[component]
pub fn MyRecordsPage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let updated = move || query.with(|q| q.get("updated").is_some());
    let data = Resource::new(move || slug.get(), my_records);
    view! {
        <Title text="My records" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=5 label="Loading your records…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let contact = format!("/c/{}/my-records/contact", slug.get_untracked());
                        view! {
                            {updated()
                                .then(|| {
                                    view! {
                                        <Notice>
                                            "Saved. Your clinic sees your new details now."
                                        </Notice>
                                    }
                                })}
                            <Card title="My profile" class="mb-6">
                                <p class="font-semibold text-slate-900">{d.display_name}</p>
                                <p class="text-slate-700">{d.email}</p>
                                <p class="text-slate-700">
                                    {format!("Patient at {}", d.clinic_name)}
                                </p>
                            </Card>
                            {match d.record {
                                Some(r) => {
                                    view! {
                                        <RecordView record=r />
                                        <div class="mt-6">
                                            <LinkButton href=contact variant=ButtonVariant::Secondary>
                                                "Update my contact details"
                                            </LinkButton>
                                        </div>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <EmptyState
                                            title="No record linked yet"
                                            message="Your clinic has not linked a patient record to this account. Ask at the front desk."
                                        />
                                    }
                                        .into_any()
                                }
                            }}
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
