//! The dashboards of doctors (and heads of department), nurses and lab
//! technicians: their department, colleagues and recently opened patients.
//! Later issues add queues, appointments and test orders here.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{doctor_dashboard, lab_dashboard, nurse_dashboard};
use crate::app::frame::AccessError;
use crate::app::frame::use_slug;
use crate::components::card::Card;
use crate::components::empty_state::EmptyState;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::dashboards::TeamView;
use crate::domain::role::Role;

#[component]
pub fn DoctorDashboardPage() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), doctor_dashboard);
    view! { <TeamDashboard title="Doctor's dashboard" data=data /> }
}

#[component]
pub fn NurseDashboardPage() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), nurse_dashboard);
    view! { <TeamDashboard title="Nursing dashboard" data=data /> }
}

#[component]
pub fn LabDashboardPage() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), lab_dashboard);
    view! { <TeamDashboard title="Laboratory dashboard" data=data /> }
}

#[component]
fn TeamDashboard(title: &'static str, data: Resource<Result<TeamView, AppError>>) -> impl IntoView {
    let slug = use_slug();
    view! {
        <Title text=title />
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading your dashboard…" /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let slug = slug.get_untracked();
                        let heading = if v.role == Role::HeadOfDepartment {
                            "Head of department".to_string()
                        } else {
                            title.to_string()
                        };
                        view! {
                            <h1 class="text-3xl font-bold text-slate-900">{heading}</h1>
                            <p class="mt-1 text-slate-700">
                                {format!(
                                    "{} · {} · {}",
                                    v.display_name,
                                    v.role.label(),
                                    v.clinic_name,
                                )}
                            </p>
                            <div class="mt-6 grid gap-4 lg:grid-cols-2">
                                <Card title="My department">
                                    {match v.department {
                                        Some(d) => {
                                            view! {
                                                <p class="text-lg font-semibold text-slate-900">
                                                    {format!("{} ({})", d.name, d.code)}
                                                </p>
                                                <p class="text-slate-700">
                                                    {format!(
                                                        "Head: {}",
                                                        d.head.unwrap_or_else(|| "not appointed".into()),
                                                    )}
                                                </p>
                                            }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <p class="text-slate-700">
                                                    "You are not assigned to a department."
                                                </p>
                                            }
                                                .into_any()
                                        }
                                    }}
                                    <h3 class="mt-4 font-semibold text-slate-900">"Colleagues"</h3>
                                    {if v.colleagues.is_empty() {
                                        view! {
                                            <p class="text-slate-700">
                                                "No colleagues in this department yet."
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul
                                                class="mt-2 divide-y divide-slate-200"
                                                aria-label="Colleagues"
                                            >
                                                {v
                                                    .colleagues
                                                    .into_iter()
                                                    .map(|c| {
                                                        view! {
                                                            <li class="flex min-h-11 items-center justify-between gap-2 py-2">
                                                                <span class="font-medium text-slate-900">
                                                                    {c.display_name}
                                                                </span>
                                                                <span class="text-sm text-slate-700">{c.role.label()}</span>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </Card>
                                <Card title="Recently viewed patients">
                                    {if v.recently_viewed.is_empty() {
                                        view! {
                                            <EmptyState
                                                title="None yet"
                                                message="Patients you open appear here."
                                            />
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul
                                                class="divide-y divide-slate-200"
                                                aria-label="Recently viewed patients"
                                            >
                                                {v
                                                    .recently_viewed
                                                    .into_iter()
                                                    .map(|p| {
                                                        let href = format!("/c/{slug}/patients/{}", p.id);
                                                        view! {
                                                            <li class="flex min-h-11 items-center justify-between gap-2 py-2">
                                                                <a href=href class="font-semibold text-teal-800 underline">
                                                                    {format!("{} {}", p.given_name, p.family_name)}
                                                                </a>
                                                                <span class="text-sm tabular-nums text-slate-700">
                                                                    {p.patient_number}
                                                                </span>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </Card>
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
