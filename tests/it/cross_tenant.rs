//! Every server function, called by each role of riverside with hilltop's
//! slug and ids: denied, and nothing of hilltop's in the answer.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

use crate::endpoints::{self, Scope};

const RIVERSIDE_ROLES: &[&str] = &[
    "admin",
    "doctor",
    "hod",
    "reception",
    "lab",
    "nurse",
    "patient",
];
const NO_FILTER: &str =
    "filter%5Buser%5D=&filter%5Bpatient%5D=&filter%5Baction%5D=&filter%5Bfrom%5D=&filter%5Bto%5D=";

async fn patient_of(t: &common::TestDb, clinic: uuid::Uuid) -> (uuid::Uuid, String) {
    sqlx::query_as("select id, patient_number from patients where clinic_id = $1 and user_id is null order by patient_number limit 1")
        .bind(clinic)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

/// An open invitation of hilltop's, made as its admin would.
async fn hilltop_invitation(t: &common::TestDb, hilltop: uuid::Uuid) -> uuid::Uuid {
    use sqlx::Connection;
    let mut su = sqlx::PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query_scalar(
        "insert into invitations (clinic_id, email, display_name, role, token_hash, expires_at)
         values ($1, 'new@hilltop.example', 'New', 'nurse', sha256('t'::bytea), now() + interval '1 day')
         returning id",
    )
    .bind(hilltop)
    .fetch_one(&mut su)
    .await
    .unwrap()
}

/// A doctor's membership of hilltop's.
async fn hilltop_member(t: &common::TestDb, hilltop: uuid::Uuid) -> uuid::Uuid {
    sqlx::query_scalar(
        "select m.id from memberships m join users u on u.id = m.user_id
         where m.clinic_id = $1 and u.email = 'doctor@hilltop.example'",
    )
    .bind(hilltop)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// Someone waiting for hilltop's admin to approve their single sign-on.
async fn hilltop_sso_request(t: &common::TestDb, hilltop: uuid::Uuid) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into sso_access_requests (clinic_id, issuer, subject, email, display_name)
         values ($1, 'https://id.hilltop.example', 'sub-1', 'new@hilltop.example', 'New')
         returning id",
    )
    .bind(hilltop)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// One of hilltop's General Medicine patients, checked in as its front desk
/// would; returns (department, visit).
async fn hilltop_visit(
    t: &common::TestDb,
    hilltop: uuid::Uuid,
    patient: uuid::Uuid,
) -> (uuid::Uuid, uuid::Uuid) {
    sqlx::query_as(
        "insert into patient_visits (clinic_id, patient_id, department_id, visit_type, checked_in_by,
                                     visit_date, token)
         select $1, $2, d.id, 'walk_in', u.id, current_date, 1
         from departments d, users u
         where d.clinic_id = $1 and d.code = 'GEN' and u.email = 'reception@hilltop.example'
         returning department_id, id",
    )
    .bind(hilltop)
    .bind(patient)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// A booked appointment of hilltop's patient with its General Medicine
/// doctor, at 10:00 on the next weekday (the demo doctors' hours).
async fn hilltop_appointment(
    t: &common::TestDb,
    hilltop: uuid::Uuid,
    patient: uuid::Uuid,
) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                                   appointment_type, booked_by)
         select $1, $2, m.department_id, u.id, tstzrange(s.at, s.at + interval '15 minutes'),
                'routine', u.id
         from users u
         join memberships m on m.user_id = u.id and m.clinic_id = $1
         cross join lateral (
             select (d::date + time '10:00') at time zone c.timezone as at
             from clinics c,
                  generate_series((now() at time zone c.timezone)::date + 1,
                                  (now() at time zone c.timezone)::date + 7, interval '1 day') d
             where c.id = $1 and extract(isodow from d) between 1 and 5
             order by d limit 1) s
         where u.email = 'doctor@hilltop.example'
         returning id",
    )
    .bind(hilltop)
    .bind(patient)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// A follow-up of the hilltop patient's, due today, to General Medicine.
async fn hilltop_follow_up(
    t: &common::TestDb,
    hilltop: uuid::Uuid,
    patient: uuid::Uuid,
) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into follow_ups (clinic_id, patient_id, department_id, due_on, reason, created_by)
         select $1, $2, d.id, (now() at time zone c.timezone)::date, 'Review', u.id
         from clinics c join departments d on d.clinic_id = c.id and d.code = 'GEN'
         cross join users u
         where c.id = $1 and u.email = 'doctor@hilltop.example'
         returning id",
    )
    .bind(hilltop)
    .bind(patient)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// Hilltop's General Medicine doctor, and a day of their leave a week ahead.
async fn hilltop_leave(t: &common::TestDb, hilltop: uuid::Uuid) -> (uuid::Uuid, uuid::Uuid) {
    sqlx::query_as(
        "insert into doctor_schedule_exceptions (clinic_id, doctor_user_id, kind, during, created_by)
         select $1, u.id, 'leave', tstzrange(now() + interval '7 days', now() + interval '8 days'),
                u.id
         from users u where u.email = 'doctor@hilltop.example'
         returning doctor_user_id, id",
    )
    .bind(hilltop)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// A fingerprint of hilltop's rows in the tables the calls could write.
async fn hilltop_rows(t: &common::TestDb, hilltop: uuid::Uuid) -> Vec<Option<String>> {
    let mut prints = Vec::new();
    for table in [
        "patients",
        "memberships",
        "invitations",
        "doctor_profiles",
        "sso_access_requests",
        "clinic_sso_settings",
        "patient_visits",
        "vital_signs",
        "queue_displays",
        "appointments",
        "doctor_office_hours",
        "doctor_schedule_exceptions",
        "clinic_schedule_settings",
        "clinic_opening_hours",
        "clinic_holidays",
        "no_show_penalties",
        "appointment_reminders",
        "self_booking_suspensions",
        "notifications",
        "calendar_feeds",
        "follow_ups",
        "clinics",
    ] {
        let key = if table == "clinics" {
            "id"
        } else {
            "clinic_id"
        };
        let print: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select md5(string_agg(r::text, ',' order by r::text)) from {table} r where {key} = $1"
        )))
        .bind(hilltop)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
        prints.push(print);
    }
    prints
}

fn assert_nothing_of_hilltop(body: &str, hilltop_number: &str, call: &str) {
    for secret in ["Hilltop", "hilltop.example", "HTC-", hilltop_number] {
        assert!(!body.contains(secret), "{call} leaked {secret:?}: {body}");
    }
}

#[tokio::test]
async fn no_role_of_one_clinic_reaches_another_clinic_through_any_server_function() {
    let t = test_db().await;
    let (riverside, hilltop) = seed_demo_clinics(&t.owner_pool, 40).await;
    let (hilltop_patient, hilltop_number) = patient_of(&t, hilltop).await;
    let (riverside_patient, _) = patient_of(&t, riverside).await;
    let hilltop_invitation = hilltop_invitation(&t, hilltop).await;
    let hilltop_member = hilltop_member(&t, hilltop).await;
    let hilltop_sso_request = hilltop_sso_request(&t, hilltop).await;
    let (hilltop_department, hilltop_visit) = hilltop_visit(&t, hilltop, hilltop_patient).await;
    let hilltop_appointment = hilltop_appointment(&t, hilltop, hilltop_patient).await;
    let (hilltop_doctor, hilltop_exception) = hilltop_leave(&t, hilltop).await;
    // The appointment told its doctor (booked by no one in the app: the system).
    let hilltop_notification: uuid::Uuid =
        sqlx::query_scalar("select id from notifications where appointment_id = $1")
            .bind(hilltop_appointment)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let hilltop_follow_up = hilltop_follow_up(&t, hilltop, hilltop_patient).await;
    let app = app(t.pool.clone());
    // Every clinic-scoped endpoint, with hilltop's slug and ids; every
    // platform one as it is: derived from what the app registers.
    let endpoints = endpoints::classify(endpoints::registered(), endpoints::ENDPOINTS)
        .expect("every endpoint classified");
    let calls: Vec<(&str, String)> = endpoints
        .iter()
        .filter_map(|(name, scope)| match scope {
            Scope::Clinic(body) => Some((
                *name,
                body.replace("{slug}", "hilltop")
                    .replace("{patient}", &hilltop_patient.to_string())
                    .replace("{invitation}", &hilltop_invitation.to_string())
                    .replace("{member}", &hilltop_member.to_string())
                    .replace("{sso_request}", &hilltop_sso_request.to_string())
                    .replace("{department}", &hilltop_department.to_string())
                    .replace("{visit}", &hilltop_visit.to_string())
                    .replace("{appointment}", &hilltop_appointment.to_string())
                    .replace("{doctor}", &hilltop_doctor.to_string())
                    .replace("{exception}", &hilltop_exception.to_string())
                    .replace("{notification}", &hilltop_notification.to_string())
                    .replace("{follow_up}", &hilltop_follow_up.to_string()),
            )),
            _ => None,
        })
        .collect();
    let platform_calls: Vec<(&str, &str)> = endpoints
        .iter()
        .filter_map(|(name, scope)| match scope {
            Scope::Platform(body) => Some((*name, *body)),
            _ => None,
        })
        .collect();
    assert!(calls.len() >= 29 && platform_calls.len() >= 8);
    let before = hilltop_rows(&t, hilltop).await;
    for role in RIVERSIDE_ROLES {
        let mut b = Browser::new(&app);
        b.sign_in(&format!("{role}@riverside.example")).await;
        for (endpoint, body) in &calls {
            let res = b.post(&format!("/fn/{endpoint}"), body).await;
            assert_eq!(res.status, 404, "{role} → {endpoint}: {}", res.body);
            assert_nothing_of_hilltop(&res.body, &hilltop_number, endpoint);
        }
        // Inside their own clinic, hilltop's patient id names nothing.
        let res = b
            .post(
                "/fn/patients/patient_record",
                &format!("slug=riverside&id={hilltop_patient}"),
            )
            .await;
        let expected = if ["admin", "doctor", "hod", "reception", "nurse"].contains(role) {
            404
        } else {
            403
        };
        assert_eq!(res.status, expected, "{role}: {}", res.body);
        assert_nothing_of_hilltop(&res.body, &hilltop_number, "patients/patient_record");
        // Nor does hilltop's invitation id, for riverside's admin (others may not try).
        for endpoint in [
            "invitations/resend_invitation",
            "invitations/revoke_invitation",
        ] {
            let res = b
                .post(
                    &format!("/fn/{endpoint}"),
                    &format!("slug=riverside&id={hilltop_invitation}"),
                )
                .await;
            let expected = if *role == "admin" { 404 } else { 403 };
            assert_eq!(res.status, expected, "{role} → {endpoint}: {}", res.body);
        }
        // The platform path is closed to clinic roles (its frame answers as
        // if there were no such page).
        for (endpoint, body) in &platform_calls {
            let res = b.post(&format!("/fn/{endpoint}"), body).await;
            let status = if *endpoint == "platform/platform_context" {
                404
            } else {
                403
            };
            assert_eq!(res.status, status, "{role} → {endpoint}: {}", res.body);
            assert_nothing_of_hilltop(&res.body, &hilltop_number, endpoint);
        }
    }
    assert_eq!(
        hilltop_rows(&t, hilltop).await,
        before,
        "a refused call changed hilltop's rows"
    );
    // The same calls do work where they should, so the denials above mean something.
    let mut doctor = Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    let res = doctor
        .post(
            "/fn/patients/patient_record",
            &format!("slug=riverside&id={riverside_patient}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let denied: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'ACCESS_DENIED' and clinic_id = $1",
    )
    .bind(riverside)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(denied >= 2, "permission refusals are audited ({denied})");
}

#[tokio::test]
async fn opening_a_record_writes_one_view_event_and_roles_see_only_what_they_may() {
    let t = test_db().await;
    let (riverside, _) = seed_demo_clinics(&t.owner_pool, 40).await;
    let (patient, number) = patient_of(&t, riverside).await;
    let app = app(t.pool.clone());
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let res = nurse
        .post(
            "/fn/patients/patient_record",
            &format!("slug=riverside&id={patient}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains(&number));
    let views: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'VIEW' and entity_type = 'patient' and entity_id = $1",
    )
    .bind(patient.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(views, 1);
    // The nurse's dashboard lists it as recently viewed.
    let res = nurse
        .post("/fn/patients/recently_viewed_patients", "slug=riverside")
        .await;
    assert!(res.body.contains(&number), "{}", res.body);

    // A patient sees their own record only; staff functions are closed to them.
    let mut me = Browser::new(&app);
    me.sign_in("patient@riverside.example").await;
    let res = me.post("/fn/portal/my_records", "slug=riverside").await;
    assert_eq!(res.status, 200);
    assert!(
        res.body.contains("Oliver") && !res.body.contains(&number),
        "{}",
        res.body
    );
    for (endpoint, body) in [
        (
            "patients/search_patients",
            "slug=riverside&q=&page=1".to_string(),
        ),
        (
            "patients/search_by_handle",
            "slug=riverside&s=&page=1".to_string(),
        ),
        (
            "patients/start_search",
            "slug=riverside&from=patients&q=Grant".to_string(),
        ),
        ("patients/recall_search", "slug=riverside&s=".to_string()),
        ("staff/staff_directory", "slug=riverside&page=1".to_string()),
        (
            "audit/clinic_audit_log",
            format!("slug=riverside&{NO_FILTER}&page=1"),
        ),
    ] {
        assert_eq!(
            me.post(&format!("/fn/{endpoint}"), &body).await.status,
            403,
            "{endpoint}"
        );
    }

    // The clinic admin's audit log filters by patient number and action.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let filter = format!(
        "slug=riverside&filter%5Buser%5D=nurse&filter%5Bpatient%5D={number}&filter%5Baction%5D=VIEW&filter%5Bfrom%5D=&filter%5Bto%5D=&page=1"
    );
    let res = admin.post("/fn/audit/clinic_audit_log", &filter).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"total\":1"), "{}", res.body);
    let bad = admin
        .post(
            "/fn/audit/clinic_audit_log",
            "slug=riverside&filter%5Buser%5D=&filter%5Bpatient%5D=&filter%5Baction%5D=DROP&filter%5Bfrom%5D=yesterday&filter%5Bto%5D=&page=1",
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("\"field\":\"action\"") && bad.body.contains("\"field\":\"from\""));
}

#[tokio::test]
async fn patient_search_finds_by_name_number_and_phone_and_rejects_bad_queries() {
    let t = test_db().await;
    let (riverside, _) = seed_demo_clinics(&t.owner_pool, 200).await;
    let (_, number) = patient_of(&t, riverside).await;
    let app = app(t.pool.clone());
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let res = desk
        .post(
            "/fn/patients/search_patients",
            &format!("slug=riverside&q={number}&page=1"),
        )
        .await;
    assert!(res.body.contains("\"total\":1"), "{}", res.body);
    let res = desk
        .post(
            "/fn/patients/search_patients",
            "slug=riverside&q=Grant&page=1",
        )
        .await;
    assert!(res.body.contains("Oliver"), "{}", res.body);
    let res = desk
        .post(
            "/fn/patients/search_patients",
            "slug=riverside&q=7700+900321&page=1",
        )
        .await;
    assert!(res.body.contains("Oliver"), "{}", res.body);
    let res = desk
        .post("/fn/patients/search_patients", "slug=riverside&q=a&page=1")
        .await;
    assert_eq!(res.status, 422);
    let res = desk
        .post(
            "/fn/patients/search_patients",
            &format!("slug=riverside&q={}&page=1", "x".repeat(101)),
        )
        .await;
    assert_eq!(res.status, 422);
}

/// A page renders its data once per request: the platform page's one audited
/// read is one VIEW event, with the request's origin, and a patient's record
/// page is one VIEW of that patient.
#[tokio::test]
async fn a_page_request_reads_and_audits_once() {
    let t = test_db().await;
    let (riverside, _) = seed_demo_clinics(&t.owner_pool, 50).await;
    let (patient, _) = patient_of(&t, riverside).await;
    let app = app(t.pool.clone());
    let views = |entity: &'static str| {
        let pool = t.owner_pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64)>(
                "select count(*), count(request_id) from audit_events
                 where action = 'VIEW' and entity_type = $1",
            )
            .bind(entity)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let mut platform = Browser::new(&app);
    platform.sign_in("platform@hms.example").await;
    let page = platform.get("/platform").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Platform overview"), "{}", page.body);
    assert_eq!(views("platform").await, (1, 1));

    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let page = nurse.get(&format!("/c/riverside/patients/{patient}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(views("patient").await, (1, 1));
}
