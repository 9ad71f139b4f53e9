use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::audit::RecentAuditCard;
use crate::app::frame::ClinicGate;
use crate::app::no_show_metrics::NoShowCardView;
use crate::app::patients::PatientCountTile;
use crate::app::staff::{StaffCountTile, StaffDirectoryCard};
use crate::app::two_factor::ClinicTwoFactorCard;
use crate::app::visits::TodayCard;
use crate::domain::permission::Permission;

/// The clinic admin's dashboard: a card from each area (patient and staff
/// counts, today's visits, the no-show rate, the staff directory, the
/// two-factor policy, recent audit events), each loading itself.
#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    view! {
        <Title text="Clinic administration" />
        <h1 class="text-3xl font-bold text-slate-900">"Clinic administration"</h1>
        <ClinicGate
            permission=Permission::ManageClinic
            page=|_| {
                view! {
                    <div class="mt-4 grid gap-4 md:grid-cols-2">
                        <PatientCountTile />
                        <StaffCountTile />
                    </div>
                    <TodayCard />
                    <NoShowCardView />
                    <StaffDirectoryCard />
                    <ClinicTwoFactorCard />
                    <RecentAuditCard />
                }
            }
        />
    }
}
