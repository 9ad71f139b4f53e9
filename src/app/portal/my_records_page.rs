use leptos::prelude::*;
use leptos_meta::Title;

use super::my_records;
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::app::patients::RecordView;
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;

/// The patient portal: the patient's profile and their own record.
#[component]
pub fn MyRecordsPage() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), my_records);
    view! {
        <Title text="My records" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=5 label="Loading your records…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        view! {
                            <Card title="My profile" class="mb-6">
                                <p class="font-semibold text-slate-900">{d.display_name}</p>
                                <p class="text-slate-700">{d.email}</p>
                                <p class="text-slate-700">
                                    {format!("Patient at {}", d.clinic_name)}
                                </p>
                            </Card>
                            {match d.record {
                                Some(r) => view! { <RecordView record=r /> }.into_any(),
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
