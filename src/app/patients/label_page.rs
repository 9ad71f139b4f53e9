//! `/c/{slug}/patients/{id}/label`: a patient's label or card, to print
//! (the print styles leave only the label): name, patient number, date of
//! birth and the number's QR code for a scanner.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::print_label;
use crate::app::frame::{AccessError, use_slug};
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::print_button::PrintButton;
use crate::components::skeleton::Skeleton;
use crate::domain::patients::PatientLabel;
use crate::domain::patients::registration::sex_label;

#[component]
pub fn PatientLabelPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let label = Resource::new(move || (slug.get(), id.get()), |(s, id)| print_label(s, id));
    view! {
        <Title text="Patient label" />
        <Suspense fallback=|| {
            view! { <Skeleton rows=3 label="Loading the label…" /> }
        }>
            {move || Suspend::new(async move {
                match label.await {
                    Ok(l) => view! { <Label label=l /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Label(label: PatientLabel) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let back = format!("/c/{slug}/patients/{}", label.id);
    let alt = format!("QR code of patient number {}", label.patient_number);
    view! {
        <h1 class="text-3xl font-bold text-slate-900 print:hidden">"Patient label"</h1>
        <section
            aria-label="Patient label"
            class="mt-6 flex max-w-md items-center gap-4 rounded-xl border-2 border-slate-400 bg-white p-4 print:mt-0"
        >
            <img src=label.qr alt=alt width="112" height="112" class="h-28 w-28 shrink-0" />
            <div>
                <p class="text-sm text-slate-700">{label.clinic_name}</p>
                <p class="text-xl font-bold text-slate-900">{label.name}</p>
                <p class="font-mono text-lg tabular-nums">{label.patient_number}</p>
                <p class="text-slate-800">
                    {format!("Born {} · {}", label.date_of_birth, sex_label(&label.sex))}
                </p>
            </div>
        </section>
        <div class="mt-6 flex flex-wrap gap-3 print:hidden">
            <PrintButton label="Print label".to_string() />
            <LinkButton href=back variant=ButtonVariant::Secondary>
                "Back to the record"
            </LinkButton>
        </div>
    }
}
