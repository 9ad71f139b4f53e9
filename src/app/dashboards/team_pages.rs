//! The dashboards of doctors (and heads of department), nurses and lab
//! technicians: a card from each area (their department and colleagues, the
//! patients they opened lately, for the roles that may open patients), and
//! what works today beside what is coming. Later issues add queues, appointments and
//! test orders as cards of their own areas.

use leptos::prelude::*;
use leptos_meta::Title;

use super::coming_card::ComingCard;
use crate::app::frame::ClinicGate;
use crate::app::patients::RecentlyViewedCard;
use crate::app::staff::MyDepartmentCard;
use crate::app::visits::DoctorQueueCard;
use crate::app::vitals::TriageCard;
use crate::domain::permission::Permission;
use crate::domain::role::Role;

#[component]
pub fn DoctorDashboardPage() -> impl IntoView {
    view! { <TeamDashboard title="Doctor's dashboard" permission=Permission::Consult /> }
}

#[component]
pub fn NurseDashboardPage() -> impl IntoView {
    view! { <TeamDashboard title="Nursing dashboard" permission=Permission::RecordNursingCare /> }
}

#[component]
pub fn LabDashboardPage() -> impl IntoView {
    view! { <TeamDashboard title="Laboratory dashboard" permission=Permission::UploadTestReports /> }
}

#[component]
fn TeamDashboard(title: &'static str, permission: Permission) -> impl IntoView {
    view! {
        <Title text=title />
        <ClinicGate
            permission=permission
            page=move |me| {
                let heading = if me.role == Role::HeadOfDepartment {
                    "Head of department"
                } else {
                    title
                };
                view! {
                    <h1 class="text-3xl font-bold text-slate-900">{heading}</h1>
                    <p class="mt-1 text-slate-700">
                        {format!(
                            "{} · {} · {}",
                            me.display_name,
                            me.role.label(),
                            me.clinic_name,
                        )}
                    </p>
                    <div class="mt-6 grid gap-4 lg:grid-cols-2">
                        {me.role.can(Permission::Consult).then(|| view! { <DoctorQueueCard /> })}
                        {me
                            .role
                            .can(Permission::RecordNursingCare)
                            .then(|| view! { <TriageCard /> })}
                        // Only for roles that may open patients at all.
                        <MyDepartmentCard />
                        {me
                            .role
                            .can(Permission::ViewClinicPatients)
                            .then(|| view! { <RecentlyViewedCard /> })} <ComingCard role=me.role />
                    </div>
                }
            }
        />
    }
}
