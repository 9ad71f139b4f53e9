use leptos::prelude::*;
use leptos_meta::Title;

use crate::app::frame::PublicFrame;
use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::card::Card;

const AREAS: &[(&str, &str)] = &[
    (
        "Front desk",
        "Register patients in a minute, issue check-in tokens and keep the queue moving.",
    ),
    (
        "Doctors",
        "See today's queue, write consultations and prescriptions, order tests and consults.",
    ),
    (
        "Laboratory",
        "Receive orders, record results and publish reports straight to the doctor.",
    ),
    (
        "Wards",
        "Admit, move and discharge patients with a live picture of every bed.",
    ),
    (
        "Patients",
        "Appointments, prescriptions and reports in one place, on any phone.",
    ),
    (
        "Administrators",
        "Staff, departments, audit trail and reports for each clinic, and across clinics.",
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
                    "HMS brings registration, queues, consultations, prescriptions, lab results, "
                    "admissions and reports together for every clinic you run. It is built for "
                    "tablets at the bedside as much as for the front-desk computer, and it keeps "
                    "each clinic's records to itself."
                </p>
                <div class="flex flex-wrap gap-3">
                    <LinkButton href="/login">"Sign in"</LinkButton>
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
                        .map(|(title, text)| {
                            view! {
                                <Card title=*title>
                                    <p class="text-slate-700">{*text}</p>
                                </Card>
                            }
                        })
                        .collect_view()}
                </div>
            </section>
        </PublicFrame>
    }
}
