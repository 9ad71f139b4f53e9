//! Vital signs through the server functions the triage page posts to: a
//! nurse records a set for a visit (audited), the triage list and the
//! doctor's queue show it, impossible values are refused by their field and
//! by the database, and only nurses record.

use crate::common;

use common::{Browser, TestDb, count};
use uuid::Uuid;

async fn checked_in(t: &TestDb, app: &axum::Router) -> Uuid {
    let mut desk = Browser::new(app);
    desk.sign_in("reception@riverside.example").await;
    let (patient, department): (Uuid, Uuid) = sqlx::query_as(
        "select p.id, d.id from patients p join clinics c on c.id = p.clinic_id
         join departments d on d.clinic_id = c.id and d.code = 'GEN'
         where c.slug = 'riverside' and p.user_id is null order by p.patient_number limit 1",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let res = desk
        .post(
            "/fn/visits/check_in_patient",
            &format!(
                "slug=riverside&patient={patient}&visit%5Bdepartment%5D={department}\
                 &visit%5Bvisit_type%5D=walk_in&visit%5Bpriority%5D=normal&visit%5Breason%5D="
            ),
        )
        .await;
    res.header("location")
        .trim_start_matches("/c/riverside/visits/")
        .trim_end_matches("/slip")
        .parse()
        .unwrap()
}

fn set(visit: Uuid, pairs: &[(&str, &str)]) -> String {
    let mut body = format!("slug=riverside&id={visit}");
    for (k, v) in pairs {
        body.push_str(&format!("&vitals%5B{k}%5D={v}"));
    }
    body
}

#[tokio::test]
async fn a_nurse_records_vitals_that_the_queues_show_flagged() {
    let (t, app) = common::demo_app().await;
    let visit = checked_in(&t, &app).await;
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let waiting = nurse
        .post("/fn/vitals/awaiting_triage", "slug=riverside&page=1")
        .await;
    assert_eq!(waiting.status, 200, "{}", waiting.body);
    assert!(waiting.body.contains(&visit.to_string()));
    let res = nurse
        .post(
            "/fn/vitals/record_vitals",
            &set(
                visit,
                &[
                    ("systolic", "165"),
                    ("diastolic", "95"),
                    ("heart_rate", "88"),
                    ("temperature", "38.4"),
                    ("spo2", "97"),
                    ("weight", "70"),
                    ("height", "175"),
                    ("pain", "3"),
                ],
            ),
        )
        .await;
    assert!(
        res.header("location").ends_with("/nurse?recorded=1"),
        "{}",
        res.body
    );
    let after = nurse
        .post("/fn/vitals/awaiting_triage", "slug=riverside&page=1")
        .await;
    assert!(!after.body.contains(&visit.to_string()), "{}", after.body);
    let page = nurse
        .post(
            "/fn/vitals/visit_vitals",
            &format!("slug=riverside&id={visit}"),
        )
        .await;
    assert!(page.body.contains("\"systolic\":165.0"), "{}", page.body);
    assert!(
        page.body.contains("Grace Mensah"),
        "who took them: {}",
        page.body
    );
    // The doctor's card shows them.
    let mut doctor = Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    let queue = doctor
        .post("/fn/visits/my_queue", "slug=riverside&page=1")
        .await;
    assert!(
        queue.body.contains("\"temperature\":38.4"),
        "{}",
        queue.body
    );
    let audited: serde_json::Value = sqlx::query_scalar(
        "select after_value from audit_events where entity_type = 'vital_signs' and action = 'CREATE'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(audited["visit_id"], visit.to_string());
}

#[tokio::test]
async fn impossible_values_are_refused_and_only_nurses_record() {
    let (t, app) = common::demo_app().await;
    let visit = checked_in(&t, &app).await;
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    for (field, body) in [
        (
            "systolic",
            set(visit, &[("systolic", "400"), ("diastolic", "80")]),
        ),
        ("diastolic", set(visit, &[("systolic", "120")])),
        ("temperature", set(visit, &[("temperature", "98.6")])),
        ("spo2", set(visit, &[("spo2", "150")])),
        ("heart_rate", set(visit, &[("heart_rate", "abc")])),
        ("form", set(visit, &[("heart_rate", ""), ("weight", "")])),
    ] {
        let res = nurse.post("/fn/vitals/record_vitals", &body).await;
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    let res = nurse
        .post(
            "/fn/vitals/record_vitals",
            &set(Uuid::now_v7(), &[("heart_rate", "80")]),
        )
        .await;
    assert_eq!(res.status, 404);
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let res = desk
        .post(
            "/fn/vitals/record_vitals",
            &set(visit, &[("heart_rate", "80")]),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(count(&t, "select count(*) from vital_signs").await, 0);
    // The database holds the same limits.
    let direct = sqlx::query(
        "insert into vital_signs (clinic_id, patient_id, visit_id, recorded_by, heart_rate_per_min)
         select clinic_id, patient_id, id, checked_in_by, 900 from patient_visits where id = $1",
    )
    .bind(visit)
    .execute(&t.owner_pool)
    .await;
    assert!(direct.is_err());
}

/// A patient's trail in the audit log is the whole of it: filtered by their
/// number, the clinic admin sees the check-in and the vital signs as well as
/// the record's own events, each named by the patient's number.
#[tokio::test]
async fn the_audit_log_follows_a_patient_into_their_visits_and_vitals() {
    use hms::domain::audit::{AuditEntity, AuditFilter};
    use hms::domain::paging::PageRequest;
    use hms::domain::role::Role;
    use hms::server::audit;
    use hms::server::tenancy::{self, ClinicScope};

    let (t, app) = common::demo_app().await;
    let visit = checked_in(&t, &app).await;
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let res = nurse
        .post(
            "/fn/vitals/record_vitals",
            &set(visit, &[("heart_rate", "80"), ("spo2", "98")]),
        )
        .await;
    assert!(res.header("location").ends_with("/nurse?recorded=1"));
    let (clinic, admin, number, vitals): (Uuid, Uuid, String, Uuid) = sqlx::query_as(
        "select v.clinic_id, m.user_id, p.patient_number, s.id
         from patient_visits v join patients p on p.id = v.patient_id
         join vital_signs s on s.visit_id = v.id
         join memberships m on m.clinic_id = v.clinic_id and m.role = 'clinic_admin'
         where v.id = $1 limit 1",
    )
    .bind(visit)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();

    let scope = ClinicScope {
        clinic_id: clinic,
        user_id: admin,
        role: Role::ClinicAdmin,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let filter = AuditFilter {
        patient_number: Some(number.to_lowercase()),
        ..AuditFilter::default()
    };
    let trail = audit::log::list(&mut tx, &filter, None, PageRequest::new(1, 20))
        .await
        .unwrap();
    let about = |entity: AuditEntity, id: Uuid| {
        trail.items.iter().any(|e| {
            e.entity_type.as_deref() == Some(entity.as_str())
                && e.entity_id.as_deref() == Some(id.to_string().as_str())
        })
    };
    assert!(about(AuditEntity::Visit, visit), "{:?}", trail.items);
    assert!(about(AuditEntity::VitalSigns, vitals), "{:?}", trail.items);
    assert!(
        trail
            .items
            .iter()
            .all(|e| e.patient_number.as_deref() == Some(number.as_str())),
        "{:?}",
        trail.items
    );
    // Unfiltered, the same events carry the number; no other patient's do.
    let all = audit::log::list(
        &mut tx,
        &AuditFilter::default(),
        None,
        PageRequest::new(1, 50),
    )
    .await
    .unwrap();
    let numbered = all
        .items
        .iter()
        .filter(|e| e.patient_number.as_deref() == Some(number.as_str()))
        .count();
    assert_eq!(numbered, trail.items.len(), "{:?}", all.items);
    tx.rollback().await.unwrap();
}
