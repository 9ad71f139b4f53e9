//! `/c/{slug}/visits/{id}/slip`: the token slip handed to the patient, and
//! printed (print styles leave the slip alone on the page).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::visit_slip;
use crate::app::frame::{AccessError, use_slug};
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::print_button::PrintButton;
use crate::components::skeleton::Skeleton;
use crate::domain::visits::{TokenSlip, VisitStatus, token_label, wait_label};

#[component]
pub fn TokenSlipPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let slip = Resource::new(move || (slug.get(), id.get()), |(s, id)| visit_slip(s, id));
    view! {
        <Title text="Token slip" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=4 label="Loading the slip…" /> }
        }>
            {move || Suspend::new(async move {
                match slip.await {
                    Ok(s) => view! { <Slip slip=s /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Slip(slip: TokenSlip) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let wait = if slip.status == VisitStatus::Waiting {
        wait_label(slip.estimated_wait_minutes)
    } else {
        slip.status.label().to_string()
    };
    view! {
        <h1 class="text-3xl font-bold text-slate-900 print:hidden">"Checked in"</h1>
        <section
            aria-label="Token slip"
            class="mt-6 max-w-sm rounded-xl border-2 border-dashed border-slate-400 bg-white p-6 text-center print:mt-0 print:border-0"
        >
            <p class="text-sm font-semibold uppercase tracking-wide text-slate-700">
                {slip.clinic_name}
            </p>
            <p class="mt-3 text-5xl font-bold tabular-nums text-slate-900">
                {token_label(slip.token)}
            </p>
            <dl class="mt-4 grid gap-2 text-left">
                <div class="flex justify-between gap-4">
                    <dt class="text-slate-700">"Department"</dt>
                    <dd class="font-semibold">{slip.department}</dd>
                </div>
                {slip
                    .doctor
                    .map(|d| {
                        view! {
                            <div class="flex justify-between gap-4">
                                <dt class="text-slate-700">"Doctor"</dt>
                                <dd class="font-semibold">{d}</dd>
                            </div>
                        }
                    })}
                <div class="flex justify-between gap-4">
                    <dt class="text-slate-700">"Estimated wait"</dt>
                    <dd class="font-semibold">{wait}</dd>
                </div>
                <div class="flex justify-between gap-4">
                    <dt class="text-slate-700">"Checked in"</dt>
                    <dd class="tabular-nums">{slip.checked_in_at.compact()}</dd>
                </div>
            </dl>
            <p class="mt-4 text-sm text-slate-700">
                {format!("{} · {}", slip.patient_name, slip.patient_number)}
            </p>
        </section>
        <div class="mt-6 flex flex-wrap gap-3 print:hidden">
            <PrintButton label="Print slip".to_string() />
            <LinkButton href=format!("/c/{slug}/reception") variant=ButtonVariant::Secondary>
                "Back to the front desk"
            </LinkButton>
        </div>
    }
}
