//! Every server function, called by each role of riverside with hilltop's
//! slug and ids: denied, and nothing of hilltop's in the answer.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};

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
    let app = app(t.pool.clone());
    let calls: Vec<(&str, String)> = vec![
        ("clinic_context", "slug=hilltop".into()),
        ("admin_dashboard", "slug=hilltop&page=1".into()),
        ("doctor_dashboard", "slug=hilltop".into()),
        ("lab_dashboard", "slug=hilltop".into()),
        ("nurse_dashboard", "slug=hilltop".into()),
        ("my_records", "slug=hilltop".into()),
        ("search_patients", "slug=hilltop&q=&page=1".into()),
        (
            "patient_record",
            format!("slug=hilltop&id={hilltop_patient}"),
        ),
        (
            "clinic_audit_log",
            format!("slug=hilltop&{NO_FILTER}&page=1"),
        ),
        ("choose_clinic", "slug=hilltop&role=doctor".into()),
        ("clinic_invitations", "slug=hilltop&page=1".into()),
        (
            "invite_staff",
            "slug=hilltop&invitation%5Bemail%5D=x%40hilltop.example&invitation%5Bdisplay_name%5D=X\
             &invitation%5Brole%5D=nurse&invitation%5Bdepartment%5D="
                .into(),
        ),
        (
            "resend_invitation",
            format!("slug=hilltop&id={hilltop_invitation}"),
        ),
        (
            "revoke_invitation",
            format!("slug=hilltop&id={hilltop_invitation}"),
        ),
        (
            "staff_member",
            format!("slug=hilltop&id={hilltop_invitation}"),
        ),
        (
            "change_member",
            format!(
                "slug=hilltop&id={hilltop_invitation}&change%5Brole%5D=nurse&change%5Bdepartment%5D="
            ),
        ),
        (
            "set_member_active",
            format!("slug=hilltop&id={hilltop_invitation}&active=false"),
        ),
        (
            "save_doctor_profile",
            format!(
                "slug=hilltop&id={hilltop_invitation}&profile%5Bspecialization%5D=&profile%5Blicence_number%5D=\
                 &profile%5Bqualification%5D=&profile%5Byears_of_experience%5D=&profile%5Bconsultation_fee%5D=\
                 &profile%5Bavailability%5D=available"
            ),
        ),
    ];
    for role in RIVERSIDE_ROLES {
        let mut b = Browser::new(&app);
        b.sign_in(&format!("{role}@riverside.example")).await;
        for (endpoint, body) in &calls {
            let res = b.post(&format!("/api/{endpoint}"), body).await;
            assert_eq!(res.status, 404, "{role} → {endpoint}: {}", res.body);
            assert_nothing_of_hilltop(&res.body, &hilltop_number, endpoint);
        }
        // Inside their own clinic, hilltop's patient id names nothing.
        let res = b
            .post(
                "/api/patient_record",
                &format!("slug=riverside&id={hilltop_patient}"),
            )
            .await;
        let expected = if ["admin", "doctor", "hod", "reception", "nurse"].contains(role) {
            404
        } else {
            403
        };
        assert_eq!(res.status, expected, "{role}: {}", res.body);
        assert_nothing_of_hilltop(&res.body, &hilltop_number, "patient_record");
        // Nor does hilltop's invitation id, for riverside's admin (others may not try).
        for endpoint in ["resend_invitation", "revoke_invitation"] {
            let res = b
                .post(
                    &format!("/api/{endpoint}"),
                    &format!("slug=riverside&id={hilltop_invitation}"),
                )
                .await;
            let expected = if *role == "admin" { 404 } else { 403 };
            assert_eq!(res.status, expected, "{role} → {endpoint}: {}", res.body);
        }
        // The platform path is closed to clinic roles.
        for (endpoint, body, status) in [
            ("platform_context", String::new(), 404),
            ("platform_dashboard", "page=1".to_string(), 403),
            (
                "platform_audit_log",
                format!("{NO_FILTER}&clinic=hilltop&page=1"),
                403,
            ),
            ("platform_outbox", "status=&page=1".to_string(), 403),
            ("retry_email", format!("id={}", uuid::Uuid::now_v7()), 403),
        ] {
            let res = b.post(&format!("/api/{endpoint}"), &body).await;
            assert_eq!(res.status, status, "{role} → {endpoint}: {}", res.body);
            assert_nothing_of_hilltop(&res.body, &hilltop_number, endpoint);
        }
    }
    // The same calls do work where they should, so the denials above mean something.
    let mut doctor = Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    let res = doctor
        .post(
            "/api/patient_record",
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
            "/api/patient_record",
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
    let res = nurse.post("/api/nurse_dashboard", "slug=riverside").await;
    assert!(res.body.contains(&number), "{}", res.body);

    // A patient sees their own record only; staff functions are closed to them.
    let mut me = Browser::new(&app);
    me.sign_in("patient@riverside.example").await;
    let res = me.post("/api/my_records", "slug=riverside").await;
    assert_eq!(res.status, 200);
    assert!(
        res.body.contains("Oliver") && !res.body.contains(&number),
        "{}",
        res.body
    );
    for (endpoint, body) in [
        ("search_patients", "slug=riverside&q=&page=1".to_string()),
        ("admin_dashboard", "slug=riverside&page=1".to_string()),
        (
            "clinic_audit_log",
            format!("slug=riverside&{NO_FILTER}&page=1"),
        ),
    ] {
        assert_eq!(
            me.post(&format!("/api/{endpoint}"), &body).await.status,
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
    let res = admin.post("/api/clinic_audit_log", &filter).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"total\":1"), "{}", res.body);
    let bad = admin
        .post(
            "/api/clinic_audit_log",
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
            "/api/search_patients",
            &format!("slug=riverside&q={number}&page=1"),
        )
        .await;
    assert!(res.body.contains("\"total\":1"), "{}", res.body);
    let res = desk
        .post("/api/search_patients", "slug=riverside&q=Grant&page=1")
        .await;
    assert!(res.body.contains("Oliver"), "{}", res.body);
    let res = desk
        .post(
            "/api/search_patients",
            "slug=riverside&q=7700+900321&page=1",
        )
        .await;
    assert!(res.body.contains("Oliver"), "{}", res.body);
    let res = desk
        .post("/api/search_patients", "slug=riverside&q=a&page=1")
        .await;
    assert_eq!(res.status, 422);
    let res = desk
        .post(
            "/api/search_patients",
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
