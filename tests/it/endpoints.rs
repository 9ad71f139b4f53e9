//! Every server function the app registers, classified by whose data it
//! reaches. The cross-tenant suite walks this list, so a new endpoint is
//! tested by construction: one that is registered but not classified here
//! (or classified but gone) fails `every_registered_endpoint_is_classified`.

/// Who an endpoint serves, and for the scoped ones a well-formed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anyone, signed in or not (sign-in, links from emails, registration).
    Public,
    /// A signed-in person's own things, inside no clinic.
    Personal,
    /// The platform admin's path across clinics: the form body of a call.
    Platform(&'static str),
    /// Inside the clinic its `slug` names: the form body of a call, with
    /// `{slug}` and placeholders for ids of that clinic's rows: `{patient}`,
    /// `{invitation}` (open), `{member}` (a doctor's membership),
    /// `{sso_request}` (waiting), `{department}` (General Medicine) and
    /// `{visit}` (a waiting visit to it), `{appointment}` (a booked one
    /// with a General Medicine doctor), `{doctor}` (that doctor's user id),
    /// `{exception}` (a day of their leave ahead), `{notification}` (the
    /// doctor's of that appointment) and `{follow_up}` (a pending one of
    /// the patient's, due today).
    Clinic(&'static str),
}

/// An audit filter that filters nothing, as the pages post it.
macro_rules! no_filter {
    () => {
        "filter%5Buser%5D=&filter%5Bpatient%5D=&filter%5Baction%5D=&filter%5Bfrom%5D=&filter%5Bto%5D="
    };
}

/// The classification, by endpoint path after `/fn/` (`{area}/{name}`).
pub const ENDPOINTS: &[(&str, Scope)] = &[
    // the API's reference page (the OpenAPI document is public too)
    ("api_docs/read_api_reference", Scope::Public),
    // auth
    ("auth/sign_in", Scope::Public),
    ("auth/sign_out", Scope::Personal),
    ("auth/keep_alive", Scope::Personal),
    ("auth/my_memberships", Scope::Personal),
    (
        "auth/choose_clinic",
        Scope::Clinic("slug={slug}&role=doctor"),
    ),
    ("auth/request_password_reset", Scope::Public),
    ("auth/password_reset_status", Scope::Public),
    ("auth/reset_password", Scope::Public),
    // accounts
    ("accounts/my_account", Scope::Personal),
    ("accounts/update_profile", Scope::Personal),
    ("accounts/change_password", Scope::Personal),
    ("accounts/sign_out_other_sessions", Scope::Personal),
    // device (approving a device's API sign-in)
    ("device/waiting_device", Scope::Personal),
    ("device/answer_device", Scope::Personal),
    // two_factor
    ("two_factor/pending_second_step", Scope::Public),
    ("two_factor/answer_second_step", Scope::Public),
    ("two_factor/start_totp_setup", Scope::Personal),
    ("two_factor/confirm_totp", Scope::Personal),
    ("two_factor/fresh_recovery_codes", Scope::Personal),
    ("two_factor/renew_recovery_codes", Scope::Personal),
    ("two_factor/disable_two_factor", Scope::Personal),
    ("two_factor/forget_trusted_devices", Scope::Personal),
    ("two_factor/clinic_two_factor", Scope::Clinic("slug={slug}")),
    (
        "two_factor/set_clinic_two_factor",
        Scope::Clinic("slug={slug}&required=on"),
    ),
    (
        "two_factor/reset_member_two_factor",
        Scope::Clinic("slug={slug}&id={member}"),
    ),
    // clinics
    ("clinics/list_clinics", Scope::Public),
    ("frame/clinic_context", Scope::Clinic("slug={slug}")),
    ("frame/my_frame", Scope::Personal),
    // Answers "not signed in" (None) to anyone without a session.
    ("frame/signed_in_home", Scope::Public),
    // patients
    (
        "patients/search_patients",
        Scope::Clinic("slug={slug}&q=&page=1"),
    ),
    (
        "patients/start_search",
        Scope::Clinic("slug={slug}&from=reception&q=Grant"),
    ),
    ("patients/recall_search", Scope::Clinic("slug={slug}&s=")),
    (
        "patients/search_by_handle",
        Scope::Clinic("slug={slug}&s=&page=1"),
    ),
    (
        "patients/patient_record",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    ("patients/patient_count", Scope::Clinic("slug={slug}")),
    (
        "patients/print_label",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    ("patients/registration_form", Scope::Clinic("slug={slug}")),
    (
        "patients/register_patient",
        Scope::Clinic(concat!(
            "slug={slug}&patient%5Bgiven_name%5D=Ann&patient%5Bfamily_name%5D=Lee",
            "&patient%5Bdate_of_birth%5D=1990-01-01&patient%5Bsex%5D=female",
            "&patient%5Bid_type%5D=none"
        )),
    ),
    (
        "patients/register_patient_anyway",
        Scope::Clinic("slug={slug}&reason=Twins"),
    ),
    ("patients/clear_registration", Scope::Clinic("slug={slug}")),
    (
        "patients/edit_patient_form",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    (
        "patients/save_patient_details",
        Scope::Clinic(concat!(
            "slug={slug}&id={patient}&version=2026-01-01T00%3A00%3A00Z",
            "&patient%5Bgiven_name%5D=Ann&patient%5Bfamily_name%5D=Lee",
            "&patient%5Bdate_of_birth%5D=1990-01-01&patient%5Bsex%5D=female",
            "&patient%5Bid_type%5D=none"
        )),
    ),
    (
        "patients/discard_patient_edit",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    (
        "patients/recently_viewed_patients",
        Scope::Clinic("slug={slug}"),
    ),
    // visits
    (
        "visits/check_in_details",
        Scope::Clinic("slug={slug}&patient={patient}"),
    ),
    (
        "visits/check_in_patient",
        Scope::Clinic(concat!(
            "slug={slug}&patient={patient}&visit%5Bdepartment%5D={department}",
            "&visit%5Bvisit_type%5D=walk_in&visit%5Bpriority%5D=normal&visit%5Breason%5D="
        )),
    ),
    ("visits/visit_slip", Scope::Clinic("slug={slug}&id={visit}")),
    (
        "visits/front_desk_queue",
        Scope::Clinic("slug={slug}&department={department}&showing=all&page=1"),
    ),
    ("visits/my_queue", Scope::Clinic("slug={slug}&page=1")),
    ("visits/visits_today", Scope::Clinic("slug={slug}")),
    ("visits/call_next", Scope::Clinic("slug={slug}")),
    (
        "visits/doctor_visit_action",
        Scope::Clinic("slug={slug}&id={visit}&action=start"),
    ),
    (
        "visits/desk_visit_action",
        Scope::Clinic("slug={slug}&id={visit}&action=cancel"),
    ),
    // appointments
    (
        "appointments/appointments_of_day",
        Scope::Clinic("slug={slug}&day=&department=&doctor=&page=1"),
    ),
    (
        "appointments/appointments_of_week",
        Scope::Clinic("slug={slug}&day=&department=&doctor="),
    ),
    (
        "appointments/booking_choices",
        Scope::Clinic("slug={slug}&patient={patient}&department={department}&doctor=&day="),
    ),
    (
        "appointments/book_appointment",
        Scope::Clinic(concat!(
            "slug={slug}&booking%5Bpatient%5D={patient}&booking%5Bdepartment%5D={department}",
            "&booking%5Bdoctor%5D=&booking%5Bstarts_at%5D=2030-01-07T10%3A00%3A00Z",
            "&booking%5Bappointment_type%5D=routine&booking%5Breason%5D="
        )),
    ),
    (
        "appointments/appointment_details",
        Scope::Clinic("slug={slug}&id={appointment}"),
    ),
    (
        "appointments/cancel_appointment",
        Scope::Clinic("slug={slug}&id={appointment}&cancel_reason=Unwell"),
    ),
    (
        "appointments/booking_pause",
        Scope::Clinic("slug={slug}&patient={patient}"),
    ),
    (
        "appointments/lift_booking_pause",
        Scope::Clinic("slug={slug}&patient={patient}&lift_reason=Called"),
    ),
    ("schedules/booking_rules", Scope::Clinic("slug={slug}")),
    ("schedules/my_calendar_feed", Scope::Clinic("slug={slug}")),
    ("schedules/make_calendar_feed", Scope::Clinic("slug={slug}")),
    (
        "schedules/revoke_calendar_feed",
        Scope::Clinic("slug={slug}"),
    ),
    // follow-ups
    (
        "follow_ups/follow_ups_list",
        Scope::Clinic("slug={slug}&status=&page=1"),
    ),
    (
        "follow_ups/follow_ups_of_patient",
        Scope::Clinic("slug={slug}&patient={patient}"),
    ),
    (
        "follow_ups/add_follow_up",
        Scope::Clinic(concat!(
            "slug={slug}&patient={patient}&follow_up%5Bdepartment%5D={department}",
            "&follow_up%5Bdoctor%5D=&follow_up%5Bdue_on%5D=2030-01-07",
            "&follow_up%5Breason%5D=Review"
        )),
    ),
    (
        "follow_ups/mark_follow_up_missed",
        Scope::Clinic("slug={slug}&id={follow_up}"),
    ),
    // no-show metrics (the clinic admin's)
    (
        "no_show_metrics/no_show_rate_card",
        Scope::Clinic("slug={slug}"),
    ),
    (
        "no_show_metrics/no_show_figures",
        Scope::Clinic("slug={slug}&from=&to=&view=patients&page=1"),
    ),
    // notifications
    (
        "notifications/my_notifications",
        Scope::Clinic("slug={slug}&page=1"),
    ),
    (
        "notifications/mark_notification_read",
        Scope::Clinic("slug={slug}&id={notification}&page=1"),
    ),
    (
        "notifications/mark_all_notifications_read",
        Scope::Clinic("slug={slug}"),
    ),
    (
        "schedules/opening_hours_and_holidays",
        Scope::Clinic("slug={slug}"),
    ),
    (
        "schedules/save_opening_hours",
        Scope::Clinic(concat!(
            "slug={slug}&sessions%5B0%5D%5Bweekday%5D=1&sessions%5B0%5D%5Bstarts%5D=09%3A00",
            "&sessions%5B0%5D%5Bends%5D=17%3A00&sessions%5B0%5D%5Broom%5D="
        )),
    ),
    (
        "schedules/add_clinic_holiday",
        Scope::Clinic("slug={slug}&holiday%5Bday%5D=2099-12-25&holiday%5Bname%5D=Christmas"),
    ),
    (
        "schedules/remove_clinic_holiday",
        Scope::Clinic("slug={slug}&day=2099-12-25"),
    ),
    (
        "schedules/save_booking_rules",
        Scope::Clinic(concat!(
            "slug={slug}&settings%5Bslot_minutes%5D=30&settings%5Bcancel_notice_minutes%5D=60",
            "&settings%5Bno_show_grace_minutes%5D=10&settings%5Bsuspend_after_no_shows%5D=2",
            "&settings%5Bsuspend_window_days%5D=30&settings%5Bbooking_horizon_days%5D=60"
        )),
    ),
    (
        "appointments/reschedule_choices",
        Scope::Clinic("slug={slug}&id={appointment}&day="),
    ),
    (
        "appointments/reschedule_appointment",
        Scope::Clinic(
            "slug={slug}&id={appointment}&booking%5Bstarts_at%5D=2030-01-07T10%3A00%3A00Z",
        ),
    ),
    (
        "appointments/check_in_appointment",
        Scope::Clinic("slug={slug}&id={appointment}"),
    ),
    (
        "appointments/own_appointments",
        Scope::Clinic("slug={slug}&page=1"),
    ),
    (
        "appointments/my_booking_choices",
        Scope::Clinic("slug={slug}&department={department}&doctor=&day="),
    ),
    (
        "appointments/book_my_appointment",
        Scope::Clinic(concat!(
            "slug={slug}&booking%5Bdepartment%5D={department}&booking%5Bdoctor%5D=",
            "&booking%5Bstarts_at%5D=2030-01-07T10%3A00%3A00Z&booking%5Breason%5D="
        )),
    ),
    (
        "appointments/own_appointment",
        Scope::Clinic("slug={slug}&id={appointment}"),
    ),
    (
        "appointments/cancel_my_appointment",
        Scope::Clinic("slug={slug}&id={appointment}&cancel_reason=Unwell"),
    ),
    // schedules
    (
        "schedules/doctor_schedule_page",
        Scope::Clinic("slug={slug}&doctor={doctor}"),
    ),
    (
        "schedules/save_week",
        Scope::Clinic(concat!(
            "slug={slug}&doctor={doctor}&sessions%5B0%5D%5Bweekday%5D=1",
            "&sessions%5B0%5D%5Bstarts%5D=09%3A00&sessions%5B0%5D%5Bends%5D=10%3A00",
            "&sessions%5B0%5D%5Broom%5D="
        )),
    ),
    (
        "schedules/add_schedule_exception",
        Scope::Clinic(concat!(
            "slug={slug}&exception%5Bdoctor%5D={doctor}&exception%5Bkind%5D=leave",
            "&exception%5Bfrom_date%5D=2030-01-07&exception%5Bfrom_time%5D=",
            "&exception%5Bto_date%5D=2030-01-08&exception%5Bto_time%5D=",
            "&exception%5Broom%5D=&exception%5Breason%5D="
        )),
    ),
    (
        "schedules/remove_schedule_exception",
        Scope::Clinic("slug={slug}&id={exception}"),
    ),
    // displays
    (
        "displays/clinic_displays",
        Scope::Clinic("slug={slug}&page=1"),
    ),
    (
        "displays/create_display",
        Scope::Clinic("slug={slug}&display%5Bname%5D=Hall&display%5Bdepartment%5D="),
    ),
    (
        "displays/revoke_display",
        Scope::Clinic("slug={slug}&id={visit}"),
    ),
    // A screen's link is all it needs (tested in tests/it/displays.rs).
    ("displays/display_board", Scope::Public),
    // vitals
    (
        "vitals/visit_vitals",
        Scope::Clinic("slug={slug}&id={visit}"),
    ),
    (
        "vitals/record_vitals",
        Scope::Clinic("slug={slug}&id={visit}&vitals%5Bheart_rate%5D=80"),
    ),
    (
        "vitals/awaiting_triage",
        Scope::Clinic("slug={slug}&page=1"),
    ),
    // portal
    ("portal/my_records", Scope::Clinic("slug={slug}")),
    ("portal/own_contact_form", Scope::Clinic("slug={slug}")),
    (
        "portal/save_own_contact",
        Scope::Clinic("slug={slug}&patient%5Bphone%5D=%2B44+7700+900123"),
    ),
    (
        "portal/patient_portal",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    (
        "portal/invite_to_portal",
        Scope::Clinic("slug={slug}&id={patient}&email=p%40portal.example"),
    ),
    (
        "portal/resend_portal_invitation",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    (
        "portal/withdraw_portal_invitation",
        Scope::Clinic("slug={slug}&id={patient}"),
    ),
    // audit
    (
        "audit/clinic_audit_log",
        Scope::Clinic(concat!("slug={slug}&", no_filter!(), "&page=1")),
    ),
    ("audit/recent_audit_events", Scope::Clinic("slug={slug}")),
    // invitations
    (
        "invitations/clinic_invitations",
        Scope::Clinic("slug={slug}&page=1"),
    ),
    (
        "invitations/invite_staff",
        Scope::Clinic(
            "slug={slug}&invitation%5Bemail%5D=x%40elsewhere.example&invitation%5Bdisplay_name%5D=X\
             &invitation%5Brole%5D=nurse&invitation%5Bdepartment%5D=",
        ),
    ),
    (
        "invitations/resend_invitation",
        Scope::Clinic("slug={slug}&id={invitation}"),
    ),
    (
        "invitations/revoke_invitation",
        Scope::Clinic("slug={slug}&id={invitation}"),
    ),
    ("invitations/invitation_details", Scope::Public),
    ("invitations/accept_invitation", Scope::Public),
    // staff
    ("staff/staff_directory", Scope::Clinic("slug={slug}&page=1")),
    ("staff/staff_count", Scope::Clinic("slug={slug}")),
    ("staff/my_department", Scope::Clinic("slug={slug}")),
    (
        "staff/staff_member",
        Scope::Clinic("slug={slug}&id={member}"),
    ),
    (
        "staff/change_member",
        Scope::Clinic("slug={slug}&id={member}&change%5Brole%5D=nurse&change%5Bdepartment%5D="),
    ),
    (
        "staff/set_member_active",
        Scope::Clinic("slug={slug}&id={member}&active=false"),
    ),
    (
        "staff/save_doctor_profile",
        Scope::Clinic(
            "slug={slug}&id={member}&profile%5Bspecialization%5D=&profile%5Blicence_number%5D=\
             &profile%5Bqualification%5D=&profile%5Byears_of_experience%5D=&profile%5Bconsultation_fee%5D=\
             &profile%5Bavailability%5D=available",
        ),
    ),
    // sso
    ("sso/clinic_sso", Scope::Clinic("slug={slug}&page=1")),
    (
        "sso/save_sso_settings",
        Scope::Clinic(
            "slug={slug}&settings%5Bdisplay_name%5D=Corp&settings%5Bissuer_url%5D=https%3A%2F%2Fid.elsewhere.example\
             &settings%5Bclient_id%5D=hms&settings%5Bclient_secret%5D=s&settings%5Ballowed_domains%5D=elsewhere.example\
             &settings%5Bnew_users%5D=approval&settings%5Bprovision_role%5D=",
        ),
    ),
    (
        "sso/approve_sso_request",
        Scope::Clinic("slug={slug}&id={sso_request}&role=nurse&department="),
    ),
    (
        "sso/reject_sso_request",
        Scope::Clinic("slug={slug}&id={sso_request}&reason=Not+staff"),
    ),
    ("sso/sso_options", Scope::Public),
    ("sso/find_sso", Scope::Public),
    // onboarding
    ("onboarding/my_registration_draft", Scope::Public),
    ("onboarding/save_hospital_details", Scope::Public),
    ("onboarding/save_first_admin", Scope::Public),
    ("onboarding/submit_registration", Scope::Public),
    ("onboarding/registration_link", Scope::Public),
    ("onboarding/confirm_registration", Scope::Public),
    (
        "onboarding/pending_registrations",
        Scope::Platform("page=1"),
    ),
    (
        "onboarding/approve_registration",
        Scope::Platform("id=0190f0f0-0000-7000-8000-000000000000&slug=newclinic"),
    ),
    (
        "onboarding/reject_registration",
        Scope::Platform("id=0190f0f0-0000-7000-8000-000000000000&reason=No"),
    ),
    // platform
    ("platform/platform_context", Scope::Platform("")),
    ("platform/platform_dashboard", Scope::Platform("page=1")),
    (
        "platform/platform_audit_log",
        Scope::Platform(concat!(no_filter!(), "&clinic=hilltop&page=1")),
    ),
    (
        "platform/platform_outbox",
        Scope::Platform("status=&page=1"),
    ),
    ("platform/platform_jobs", Scope::Platform("status=&page=1")),
    (
        "platform/retry_email",
        Scope::Platform("id=0190f0f0-0000-7000-8000-000000000000"),
    ),
];

/// Where the registered endpoints and the classification disagree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mismatch {
    /// Registered, but not in the classification.
    pub unclassified: Vec<String>,
    /// Classified, but no longer registered.
    pub stale: Vec<String>,
}

/// Pairs each registered path (`/fn/{area}/{name}`) with its scope, or says which
/// are missing either way.
pub fn classify<'a>(
    registered: impl IntoIterator<Item = &'a str>,
    classification: &[(&'static str, Scope)],
) -> Result<Vec<(&'static str, Scope)>, Mismatch> {
    let registered: std::collections::BTreeSet<&str> = registered.into_iter().collect();
    let mut mismatch = Mismatch::default();
    let mut classified = Vec::new();
    for path in &registered {
        let name = path.strip_prefix("/fn/").unwrap_or(path);
        match classification.iter().find(|(n, _)| *n == name) {
            Some(&entry) => classified.push(entry),
            None => mismatch.unclassified.push(path.to_string()),
        }
    }
    for (name, _) in classification {
        if !registered.contains(format!("/fn/{name}").as_str()) {
            mismatch.stale.push(name.to_string());
        }
    }
    if mismatch == Mismatch::default() {
        Ok(classified)
    } else {
        Err(mismatch)
    }
}

/// The app's registered server functions, as the router serves them.
pub fn registered() -> Vec<&'static str> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn every_registered_endpoint_is_classified() {
    let classified = classify(registered(), ENDPOINTS).unwrap_or_else(|m| {
        panic!(
            "classify each new server function in tests/it/endpoints.rs \
             (and drop the ones that are gone): {m:?}"
        )
    });
    assert_eq!(classified.len(), ENDPOINTS.len());
}

#[test]
fn the_classifier_refuses_an_unclassified_endpoint_and_a_stale_entry() {
    let table = [("known", Scope::Public), ("gone", Scope::Personal)];
    let found = classify(["/fn/known", "/fn/new_thing"], &table);
    assert_eq!(
        found,
        Err(Mismatch {
            unclassified: vec!["/fn/new_thing".into()],
            stale: vec!["gone".into()],
        })
    );
    let table = [("known", Scope::Clinic("slug={slug}"))];
    assert_eq!(
        classify(["/fn/known"], &table),
        Ok(vec![("known", Scope::Clinic("slug={slug}"))])
    );
}
