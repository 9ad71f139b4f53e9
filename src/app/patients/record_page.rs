use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::patient_record;
use crate::app::frame::AccessError;
use crate::app::frame::{WhenAllowed, use_slug};
use crate::app::portal::{PortalActions, PortalCard, done_message, patient_portal};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::card::Card;
use crate::components::notice::Notice;
use crate::components::skeleton::Skeleton;
use crate::domain::patients::identity_document::IdType;
use crate::domain::patients::registration::sex_label;
use crate::domain::patients::{PatientDetails, PatientStatus, age_on};
use crate::domain::permission::Permission;

/// A patient's record (staff only). Opening it is recorded in the audit
/// trail; the portal card loads on its own, so acting on it does not open
/// (and audit) the record again.
#[component]
pub fn PatientPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let done =
        Signal::derive(move || query.with(|q| q.get("portal").as_deref().and_then(done_message)));
    let registered = move || query.with(|q| q.get("registered").is_some());
    let updated = move || query.with(|q| q.get("updated").is_some());
    let actions = PortalActions::new();
    let record = Resource::new(
        move || (slug.get(), id.get()),
        |(s, id)| patient_record(s, id),
    );
    let portal = Resource::new(
        move || (slug.get(), id.get(), actions.version()),
        |(s, id, _)| patient_portal(s, id),
    );
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading the record…" /> }
        }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(r) => {
                        let number = r.patient_number.clone();
                        view! {
                            {registered()
                                .then(|| {
                                    view! {
                                        <Notice>
                                            {format!("Registered. The patient number is {number}.")}
                                        </Notice>
                                    }
                                })}
                            {updated()
                                .then(|| {
                                    view! {
                                        <Notice>
                                            "Saved. The audit trail keeps what changed and what it replaced."
                                        </Notice>
                                    }
                                })}
                            <RecordView record=r />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| {
            view! { <Skeleton rows=2 label="Loading portal access…" /> }
        }>
            {move || Suspend::new(async move {
                portal
                    .await
                    .ok()
                    .map(|a| {
                        view! {
                            <PortalCard
                                access=a
                                slug=slug.get_untracked()
                                actions=actions
                                done=done
                            />
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
pub fn RecordView(record: PatientDetails) -> impl IntoView {
    let name = format!("{} {}", record.given_name, record.family_name);
    let age = age_on(record.date_of_birth, chrono::Utc::now().date_naive());
    let row = |label: &'static str, value: String| {
        view! {
            // A long email or address wraps anywhere rather than widen a tablet's page.
            <div class="flex min-w-0 flex-col gap-0.5">
                <dt class="text-sm font-medium text-slate-600">{label}</dt>
                <dd class="text-slate-900 [overflow-wrap:anywhere]">
                    {if value.is_empty() { "—".to_string() } else { value }}
                </dd>
            </div>
        }
    };
    view! {
        <Title text=name.clone() />
        <div class="flex flex-wrap items-center gap-3">
            <h1 class="text-3xl font-bold text-slate-900">{name}</h1>
            <Badge tone=Tone::Info>{record.patient_number.clone()}</Badge>
            {record
                .blood_group
                .clone()
                .map(|b| view! { <Badge tone=Tone::Danger>{format!("Blood group {b}")}</Badge> })}
        </div>
        <div class="mt-3 flex flex-wrap gap-3">
            <WhenAllowed permission=Permission::CheckInPatients>
                <LinkButton href=format!(
                    "/c/{}/patients/{}/check-in",
                    use_slug().get_untracked(),
                    record.id,
                )>"Check in"</LinkButton>
            </WhenAllowed>
            <WhenAllowed permission=Permission::BookAppointments>
                <LinkButton
                    href=format!(
                        "/c/{}/appointments/new?patient={}",
                        use_slug().get_untracked(),
                        record.id,
                    )
                    variant=ButtonVariant::Secondary
                >
                    "Book appointment"
                </LinkButton>
            </WhenAllowed>
            <WhenAllowed permission=Permission::RegisterPatients>
                <LinkButton
                    href=format!("/c/{}/patients/{}/edit", use_slug().get_untracked(), record.id)
                    variant=ButtonVariant::Secondary
                >
                    "Edit details"
                </LinkButton>
            </WhenAllowed>
            <WhenAllowed permission=Permission::ViewClinicPatients>
                <LinkButton
                    href=format!("/c/{}/patients/{}/label", use_slug().get_untracked(), record.id)
                    variant=ButtonVariant::Secondary
                >
                    "Print label"
                </LinkButton>
            </WhenAllowed>
        </div>
        <WhenAllowed permission=Permission::ViewClinicPatients>
            <crate::app::appointments::BookingPauseCard patient=record.id />
        </WhenAllowed>
        <p class="mt-1 text-slate-700">
            {format!(
                "{age} years · {} · born {} · {}",
                sex_label(&record.sex),
                record.date_of_birth,
                PatientStatus::parse(&record.status).map_or("Registered", PatientStatus::label),
            )}
        </p>
        <div class="mt-6 grid gap-4 lg:grid-cols-2">
            <Card title="Contact">
                <dl class="grid gap-3 md:grid-cols-2">
                    {row("Phone", record.phone.clone())}
                    {row("Email", record.email.clone().unwrap_or_default())}
                    {row("Address", record.address.clone())} {row("City", record.city.clone())}
                    {row("State", record.state.clone())}
                    {row("Postal code", record.postal_code.clone())}
                    {row("Preferred language", record.preferred_language.clone())}
                </dl>
            </Card>
            <Card title="Emergency contact">
                <dl class="grid gap-3 md:grid-cols-2">
                    {row("Name", record.emergency_contact_name.clone())}
                    {row("Phone", record.emergency_contact_phone.clone())}
                    {row("Relationship", record.emergency_contact_relationship.clone())}
                </dl>
            </Card>
            <Card title="Registration">
                <dl class="grid gap-3 md:grid-cols-2">
                    {row("Registered", record.registered_at.format("%Y-%m-%d").to_string())}
                    {row(
                        "Identity document",
                        match IdType::parse(&record.id_type) {
                            Some(IdType::None) | None => String::new(),
                            Some(t) => {
                                format!(
                                    "{} {}",
                                    t.label(),
                                    record.id_number_masked.clone().unwrap_or_default(),
                                )
                            }
                        },
                    )}
                </dl>
            </Card>
        </div>
        <WhenAllowed permission=Permission::ViewClinicPatients>
            <crate::app::follow_ups::FollowUpsCard patient=record.id />
        </WhenAllowed>
    }
}
