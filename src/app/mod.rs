//! The Leptos app: the HTML shell, the router and one folder per area.

// Hospital areas, named as in `server/`, `domain/` and the tests.
pub mod accounts;
pub mod api_docs;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod clinics;
pub mod dashboards;
pub mod device;
pub mod displays;
pub mod follow_ups;
pub mod invitations;
pub mod no_show_metrics;
pub mod notifications;
pub mod onboarding;
pub mod patients;
pub mod platform;
pub mod portal;
pub mod schedules;
pub mod sso;
pub mod staff;
pub mod two_factor;
pub mod visits;
pub mod vitals;

// What every page shares.
pub mod design;
pub mod errors;
pub mod frame;
pub mod landing;
pub mod pwa;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    use crate::server::http::security::CspNonce;
    use crate::server::state::AppState;
    use leptos_meta::MetaTags;
    // The nonce comes from the security middleware, which puts the same value
    // in this response's Content-Security-Policy header.
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        .map(|n| n.0);
    if let Some(n) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n));
    }
    let css_href = use_context::<AppState>()
        .map(|s| s.pwa.css_href.clone())
        .unwrap_or_else(|| "/pkg/hms.css".into());
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta
                    name="viewport"
                    content="width=device-width, initial-scale=1, viewport-fit=cover"
                />
                <meta name="theme-color" content="#0f766e" />
                <meta
                    name="description"
                    content="HMS: registration, queues, consultations, lab and wards for hospitals and clinics."
                />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" id="leptos" href=css_href />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body class="bg-slate-50 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "HMS".to_string() } else { format!("{page} · HMS") }
        } />
        <Router>
            <Routes fallback=|| view! { <errors::NotFoundPage /> }>
                <Route path=path!("/") view=landing::LandingPage ssr=SsrMode::Async />
                <Route path=path!("/home") view=frame::HomeRedirect ssr=SsrMode::Async />
                <Route
                    path=path!("/clinics")
                    view=clinics::ClinicDirectoryPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/design") view=design::DesignPage />
                <Route path=path!("/display") view=displays::DisplayBoardPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=auth::LoginPage ssr=SsrMode::Async />
                <Route
                    path=path!("/login/two-factor")
                    view=two_factor::SecondStepPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/forgot-password") view=auth::ForgotPasswordPage />
                <Route path=path!("/register") view=onboarding::RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/register/sent") view=onboarding::RegistrationSentPage />
                <Route
                    path=path!("/register/confirm")
                    view=onboarding::ConfirmRegistrationPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/register/confirmed")
                    view=onboarding::RegistrationConfirmedPage
                />
                <Route
                    path=path!("/reset-password")
                    view=auth::ResetPasswordPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/invitation")
                    view=invitations::AcceptInvitationPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/sso/requested") view=sso::SsoRequestedPage />
                <Route
                    path=path!("/choose-clinic")
                    view=auth::ChooseClinicPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/account") view=accounts::AccountPage ssr=SsrMode::Async />
                <Route path=path!("/device") view=device::DevicePage ssr=SsrMode::Async />
                <Route path=path!("/api/docs") view=api_docs::ApiReferencePage ssr=SsrMode::Async />
                <Route
                    path=path!("/account/two-factor")
                    view=two_factor::TwoFactorSetupPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/account/recovery-codes")
                    view=two_factor::RecoveryCodesPage
                    ssr=SsrMode::Async
                />
                <ParentRoute
                    path=path!("/platform")
                    view=platform::PlatformLayout
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view=platform::PlatformDashboardPage />
                    <Route path=path!("audit") view=platform::PlatformAuditPage />
                    <Route path=path!("outbox") view=platform::PlatformOutboxPage />
                    <Route path=path!("jobs") view=platform::PlatformJobsPage />
                    <Route path=path!("registrations") view=onboarding::RegistrationsPage />
                    <Route path=path!("*any") view=errors::NotFoundInFrame />
                </ParentRoute>
                <ParentRoute path=path!("/c/:slug") view=frame::ClinicLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=frame::ClinicHome />
                    <Route path=path!("admin") view=dashboards::AdminDashboardPage />
                    <Route path=path!("doctor") view=dashboards::DoctorDashboardPage />
                    <Route path=path!("reception") view=patients::ReceptionDashboardPage />
                    <Route path=path!("lab") view=dashboards::LabDashboardPage />
                    <Route path=path!("nurse") view=dashboards::NurseDashboardPage />
                    <Route path=path!("my-records") view=portal::MyRecordsPage />
                    <Route path=path!("my-records/contact") view=portal::OwnContactPage />
                    <Route path=path!("my-appointments") view=appointments::MyAppointmentsPage />
                    <Route
                        path=path!("my-appointments/new")
                        view=appointments::BookMyAppointmentPage
                    />
                    <Route path=path!("my-appointments/:id") view=appointments::MyAppointmentPage />
                    <Route path=path!("patients") view=patients::PatientsPage />
                    <Route path=path!("patients/new") view=patients::RegisterPatientPage />
                    <Route path=path!("patients/:id") view=patients::PatientPage />
                    <Route path=path!("patients/:id/edit") view=patients::EditPatientPage />
                    <Route path=path!("patients/:id/check-in") view=visits::CheckInPage />
                    <Route path=path!("patients/:id/label") view=patients::PatientLabelPage />
                    <Route path=path!("appointments") view=appointments::AppointmentsPage />
                    <Route path=path!("appointments/new") view=appointments::BookAppointmentPage />
                    <Route path=path!("appointments/week") view=appointments::AppointmentWeekPage />
                    <Route
                        path=path!("appointments/:id")
                        view=appointments::AppointmentDetailsPage
                    />
                    <Route
                        path=path!("appointments/:id/reschedule")
                        view=appointments::RescheduleAppointmentPage
                    />
                    <Route path=path!("visits/:id/slip") view=visits::TokenSlipPage />
                    <Route path=path!("visits/:id/vitals") view=vitals::VitalsPageView />
                    <Route path=path!("schedule") view=schedules::SchedulePage />
                    <Route path=path!("schedule/settings") view=schedules::ScheduleSettingsPage />
                    <Route path=path!("notifications") view=notifications::NotificationsPage />
                    <Route path=path!("follow-ups") view=follow_ups::FollowUpsPage />
                    <Route path=path!("no-shows") view=no_show_metrics::NoShowReportPage />
                    <Route path=path!("audit") view=audit::ClinicAuditPage />
                    <Route path=path!("invitations") view=invitations::InvitationsPage />
                    <Route path=path!("displays") view=displays::DisplaysPage />
                    <Route path=path!("staff/:id") view=staff::MemberPage />
                    <Route path=path!("sso") view=sso::SsoSettingsPage />
                    <Route path=path!("*any") view=frame::ClinicNotFound />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
