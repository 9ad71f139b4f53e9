use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::{DashboardOrSignIn, PublicFrame};
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::card::Card;

/// Each area: (title, what works today, what is coming). Only what is
/// built is said to work; the rest stays "coming" until its issue lands.
const AREAS: &[(&str, &str, &str)] = &[
    (
        "Front desk",
        "Register patients (with a duplicate check), find anyone by name, patient number or phone, check them in with a printed token, and watch the day's queues update live.",
        "Appointments booked ahead, with reminders.",
    ),
    (
        "Doctors",
        "Today's queue: call the next patient to the waiting-room display, see their triage vital signs, start and finish the visit.",
        "Consultation notes, prescriptions, test orders and consults.",
    ),
    (
        "Laboratory",
        "Your department and colleagues in one place.",
        "Test orders, results and reports published straight to the doctor.",
    ),
    (
        "Wards",
        "Nurses take triage vital signs from any tablet, checked against physiological limits.",
        "Admissions, transfers, discharges and a live picture of every bed.",
    ),
    (
        "Patients",
        "Their own record in the patient portal, from an invitation by the clinic.",
        "Appointments, prescriptions and reports on any phone.",
    ),
    (
        "Administrators",
        "Staff invitations and roles, departments, single sign-on, two-factor sign-in, a tamper-evident audit trail, and a documented API for tablets' apps and partner systems.",
        "Reports and analytics across clinics.",
    ),
];

#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <Title text="Hospital Management System" />
        <PublicFrame>
            <section class="flex flex-col gap-6 py-6 md:py-10">
                <h1 class="max-w-3xl text-4xl font-bold tracking-tight text-slate-900 md:text-5xl">
                    "Run your hospital from one fast, safe place"
                </h1>
                <p class="max-w-2xl text-lg text-slate-700">
                    "HMS is growing into one place for registration, queues, consultations, "
                    "prescriptions, lab results, admissions and reports in every clinic you run. "
                    "It is built for tablets at the bedside as much as for the front-desk "
                    "computer, and it keeps each clinic's records to itself. Below: what works "
                    "today, and what is coming."
                </p>
                <div class="flex flex-wrap gap-3">
                    <DashboardOrSignIn />
                    <LinkButton href="/clinics" variant=ButtonVariant::Secondary>
                        "Find your clinic"
                    </LinkButton>
                    <LinkButton href="/register" variant=ButtonVariant::Secondary>
                        "Register your hospital"
                    </LinkButton>
                </div>
            </section>
            <section aria-labelledby="areas-heading" class="py-6">
                <h2 id="areas-heading" class="mb-4 text-2xl font-semibold text-slate-900">
                    "One system for everyone in the building"
                </h2>
                <div class="grid grid-cols-1 gap-4 md:grid-cols-2 lg:grid-cols-3">
                    {AREAS
                        .iter()
                        .map(|(title, today, coming)| {
                            view! {
                                <Card title=*title>
                                    <p class="text-slate-700">
                                        <span class="font-semibold text-teal-800">
                                            "Works today: "
                                        </span>
                                        {*today}
                                    </p>
                                    <p class="mt-2 text-slate-700">
                                        <span class="font-semibold text-slate-900">"Coming: "</span>
                                        {*coming}
                                    </p>
                                </Card>
                            }
                        })
                        .collect_view()}
                </div>
            </section>
        </PublicFrame>
    }
}
