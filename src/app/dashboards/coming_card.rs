//! An honest card on the dashboards whose own features are still to come:
//! what the role can do in HMS today, and what arrives with the clinical
//! features, so no card promises what cannot happen yet.

use leptos::prelude::*;

use crate::components::card::Card;
use crate::domain::role::Role;

/// (what works today, what is coming) for a role's dashboard.
pub fn role_today_and_coming(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Doctor | Role::HeadOfDepartment => (
            "Find patients under Patients and open their records; see your department and colleagues here.",
            "Today's queue, consultations, prescriptions, test orders and consult requests.",
        ),
        Role::Nurse => (
            "Find patients under Patients and open their records; see your department and colleagues here.",
            "Vital signs, ward rounds, admissions and the live picture of every bed.",
        ),
        Role::LabTechnician => (
            "See your department and colleagues here.",
            "Test orders, sample collection and result entry, published straight to the doctor.",
        ),
        _ => ("", ""),
    }
}

#[component]
pub fn ComingCard(role: Role) -> impl IntoView {
    let (today, coming) = role_today_and_coming(role);
    view! {
        <Card title="What this dashboard holds">
            <p class="text-slate-700">
                <span class="font-semibold text-slate-900">"Works today: "</span>
                {today}
            </p>
            <p class="mt-2 text-slate-700">
                <span class="font-semibold text-slate-900">
                    "Coming with the clinical features: "
                </span>
                {coming}
            </p>
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_that_cannot_open_patients_is_not_told_to_open_them() {
        use crate::domain::permission::Permission;
        for role in [
            Role::Doctor,
            Role::HeadOfDepartment,
            Role::Nurse,
            Role::LabTechnician,
        ] {
            let (today, coming) = role_today_and_coming(role);
            assert!(!today.is_empty() && !coming.is_empty(), "{role:?}");
            assert_eq!(
                today.contains("Patients"),
                role.can(Permission::ViewClinicPatients),
                "{role:?}"
            );
        }
    }
}
