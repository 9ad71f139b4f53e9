//! Every clinic endpoint of the API, by construction: the registry below
//! must name each operation the OpenAPI document has (a new route fails
//! this test until it is added), with the roles that may use it. Each is
//! then called as every demo role (the others get 403, audited) and with
//! another clinic's slug and ids (404, and nothing of theirs in any answer).

use serde_json::{Value, json};

use super::openapi::documented_operations;
use super::{call, error_of, tokens_for};
use crate::common::{self, TestDb, count};

const RECEPTION: &str = "reception@riverside.example";
const DOCTOR: &str = "doctor@riverside.example";
const HOD: &str = "hod@riverside.example";
const NURSE: &str = "nurse@riverside.example";
const LAB: &str = "lab@riverside.example";
const ADMIN: &str = "admin@riverside.example";
const PATIENT: &str = "patient@riverside.example";
const EVERYONE: [&str; 7] = [RECEPTION, DOCTOR, HOD, NURSE, LAB, ADMIN, PATIENT];

/// The ids an endpoint is called with, of one clinic.
struct Ids {
    patient: String,
    patient_number: String,
    visit: String,
    department: String,
    /// A booked appointment of the patient's, with `doctor`.
    appointment: String,
    /// A pending follow-up of the patient's, due in two days.
    follow_up: String,
    /// The clinic's General Medicine doctor (`doctor@…`).
    doctor: String,
}

struct Endpoint {
    method: &'static str,
    path: &'static str,
    allowed: &'static [&'static str],
    body: fn(&Ids) -> Option<Value>,
    /// `If-Match` is needed to get past the precondition to the guard.
    needs_if_match: bool,
    /// Roles that hold the permission but to whom the record named is not
    /// theirs to see (404, not 403): another department's doctor.
    unseen: &'static [&'static str],
}

fn none(_: &Ids) -> Option<Value> {
    None
}

const REGISTRY: &[Endpoint] = &[
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/departments",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/patients",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/patients",
        allowed: &[RECEPTION],
        body: |_| {
            Some(json!({
                "given_name": "Kavya", "family_name": "Iyer", "date_of_birth": "1988-02-03",
                "sex": "female", "phone": "+91 90000 11111"
            }))
        },
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/patients/{id}",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "PATCH",
        path: "/api/v1/clinics/{slug}/patients/{id}",
        allowed: &[RECEPTION],
        body: |_| Some(json!({ "city": "Mysuru" })),
        needs_if_match: true,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/patients/{id}/vitals",
        allowed: &[DOCTOR, HOD, NURSE],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/patients/{id}/vitals",
        allowed: &[NURSE],
        body: |_| Some(json!({ "heart_rate": 72, "temperature": 36.8 })),
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/visits",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/visits",
        allowed: &[RECEPTION],
        body: |ids| Some(json!({ "patient": ids.patient, "department": ids.department })),
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/visits/{id}",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/visits/{id}/transitions",
        allowed: &[RECEPTION],
        body: |_| Some(json!({ "to": "cancelled" })),
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/visits/call-next",
        allowed: &[DOCTOR, HOD],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/staff",
        allowed: &[ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/audit-events",
        allowed: &[ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/appointments",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/appointments",
        allowed: &[RECEPTION],
        body: |ids| {
            Some(json!({
                "patient": ids.patient, "department": ids.department,
                "starts_at": "2031-01-06T10:00:00Z", "reason": "Review"
            }))
        },
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/appointments/{id}",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/appointments/{id}/reschedule",
        allowed: &[RECEPTION],
        body: |_| Some(json!({ "starts_at": "2031-01-06T10:00:00Z" })),
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/appointments/{id}/check-in",
        allowed: &[RECEPTION],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/appointments/{id}/cancel",
        allowed: &[RECEPTION],
        body: |_| Some(json!({ "reason": "Called off" })),
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/slots",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/doctors/{id}/schedule",
        allowed: &[DOCTOR, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[HOD],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/follow-ups",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "GET",
        path: "/api/v1/clinics/{slug}/patients/{id}/follow-ups",
        allowed: &[RECEPTION, DOCTOR, HOD, NURSE, ADMIN],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/patients/{id}/follow-ups",
        allowed: &[RECEPTION, DOCTOR, HOD],
        body: |ids| {
            Some(json!({
                "department": ids.department,
                "due_on": (chrono::Utc::now().date_naive() + chrono::Duration::days(3)).to_string(),
                "reason": "Review of the blood pressure"
            }))
        },
        needs_if_match: false,
        unseen: &[],
    },
    Endpoint {
        method: "POST",
        path: "/api/v1/clinics/{slug}/follow-ups/{id}/missed",
        allowed: &[RECEPTION],
        body: none,
        needs_if_match: false,
        unseen: &[],
    },
];

/// Operations that are not a clinic's: the caller's own tokens and self.
const NOT_A_CLINICS: &[(&str, &str)] = &[
    ("GET", "/api/v1/me"),
    ("POST", "/api/v1/auth/device"),
    ("POST", "/api/v1/auth/device/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/revoke"),
    ("POST", "/api/v1/auth/token"),
];

#[tokio::test]
async fn the_registry_names_every_documented_operation() {
    let doc = hms::server::api::openapi();
    let doc = serde_json::to_value(&doc).unwrap();
    let mut registered: Vec<(String, String)> = REGISTRY
        .iter()
        .map(|e| (e.method.to_owned(), e.path.to_owned()))
        .chain(
            NOT_A_CLINICS
                .iter()
                .map(|(m, p)| ((*m).to_owned(), (*p).to_owned())),
        )
        .collect();
    registered.sort();
    assert_eq!(
        documented_operations(&doc),
        registered,
        "add the new operation to REGISTRY"
    );
}

async fn ids_of(t: &TestDb, slug: &str) -> Ids {
    let (patient, patient_number, department): (String, String, String) = sqlx::query_as(
        "select p.id::text, p.patient_number,
                (select d.id::text from departments d where d.clinic_id = c.id order by d.name limit 1)
         from patients p join clinics c on c.id = p.clinic_id
         where c.slug = $1 and p.user_id is null order by p.patient_number limit 1",
    )
    .bind(slug)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    // A visit waiting today, made as the front desk makes one.
    let visit: String = sqlx::query_scalar(
        "insert into patient_visits (clinic_id, patient_id, department_id, visit_type, priority,
                                     checked_in_by, visit_date, token)
         select c.id, $2::uuid, $3::uuid, 'walk_in', 'normal', m.user_id, current_date, 1
         from clinics c join memberships m on m.clinic_id = c.id and m.role = 'receptionist'
         where c.slug = $1 limit 1
         returning id::text",
    )
    .bind(slug)
    .bind(&patient)
    .bind(&department)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    // A booked appointment with the General Medicine doctor, early on the
    // next weekday (out of the demo's hours, so nothing of the demo's is
    // there: the hours check is switched off for it).
    let mut owner = t.owner_pool.begin().await.unwrap();
    sqlx::query("alter table appointments disable trigger appointments_bookable")
        .execute(&mut *owner)
        .await
        .unwrap();
    let (appointment, doctor): (String, String) = sqlx::query_as(
        "insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                                   appointment_type, booked_by)
         select c.id, $2::uuid, m.department_id, u.id, tstzrange(s.at, s.at + interval '15 minutes'),
                'routine', u.id
         from clinics c
         join memberships m on m.clinic_id = c.id
         join users u on u.id = m.user_id and u.email = 'doctor@' || c.slug || '.example'
         cross join lateral (
             select (d::date + time '07:00') at time zone c.timezone as at
             from generate_series((now() at time zone c.timezone)::date + 1,
                                  (now() at time zone c.timezone)::date + 7, interval '1 day') d
             where extract(isodow from d) between 1 and 5
             order by d limit 1) s
         where c.slug = $1
         returning id::text, doctor_user_id::text",
    )
    .bind(slug)
    .bind(&patient)
    .fetch_one(&mut *owner)
    .await
    .unwrap();
    sqlx::query("alter table appointments enable trigger appointments_bookable")
        .execute(&mut *owner)
        .await
        .unwrap();
    owner.commit().await.unwrap();
    let follow_up: String = sqlx::query_scalar(
        "insert into follow_ups (clinic_id, patient_id, department_id, due_on, reason, created_by)
         select c.id, $2::uuid, $3::uuid, (now() at time zone c.timezone)::date + 2, 'Review',
                $4::uuid
         from clinics c where c.slug = $1
         returning id::text",
    )
    .bind(slug)
    .bind(&patient)
    .bind(&department)
    .bind(&doctor)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    Ids {
        patient,
        patient_number,
        visit,
        department,
        appointment,
        follow_up,
        doctor,
    }
}

fn uri_of(e: &Endpoint, slug: &str, ids: &Ids) -> String {
    let id = if e.path.contains("/visits/{id}") {
        &ids.visit
    } else if e.path.contains("/appointments/{id}") {
        &ids.appointment
    } else if e.path.contains("/follow-ups/{id}") {
        &ids.follow_up
    } else if e.path.contains("/doctors/{id}") {
        &ids.doctor
    } else {
        &ids.patient
    };
    let uri = e.path.replace("{slug}", slug).replace("{id}", id);
    // The free times are always of a department.
    if e.path.ends_with("/slots") {
        return format!("{uri}?department={}", ids.department);
    }
    uri
}

async fn tokens(app: &axum::Router) -> Vec<(&'static str, String)> {
    let mut tokens = Vec::new();
    for email in EVERYONE {
        let token = if email == ADMIN {
            super::clinics::admin_token(app, email).await
        } else {
            tokens_for(app, email).await.0
        };
        tokens.push((email, token));
    }
    tokens
}

/// An `If-Match` that names the record as it is (so a refusal is the
/// guard's, not the precondition's).
async fn current_etag(t: &TestDb, patient: &str) -> String {
    let micros: i64 = sqlx::query_scalar(
        "select (extract(epoch from updated_at) * 1000000)::bigint from patients where id = $1::uuid",
    )
    .bind(patient)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    format!("\"{micros}\"")
}

#[tokio::test]
async fn every_endpoint_answers_each_role_as_its_pages_would() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app(t.pool.clone());
    let ids = ids_of(&t, "riverside").await;
    let tokens = tokens(&app).await;
    let mut refused: i64 = 0;
    for e in REGISTRY {
        let uri = uri_of(e, "riverside", &ids);
        // The refused first: an allowed write may change what follows.
        let mut order: Vec<&(&str, String)> = tokens.iter().collect();
        order.sort_by_key(|(email, _)| e.allowed.contains(email));
        for (email, token) in order {
            let etag = current_etag(&t, &ids.patient).await;
            let headers: &[(&str, &str)] = if e.needs_if_match {
                &[("if-match", &etag)]
            } else {
                &[]
            };
            let res = call(
                &app,
                e.method,
                &uri,
                token,
                (e.body)(&ids).as_ref(),
                headers,
            )
            .await;
            if e.unseen.contains(email) {
                error_of(&res, 404);
            } else if e.allowed.contains(email) {
                assert!(
                    res.status < 500 && ![401, 403, 404].contains(&res.status),
                    "{email} {} {uri}: {} {}",
                    e.method,
                    res.status,
                    res.body
                );
            } else {
                error_of(&res, 403);
                assert!(!res.body.contains(&ids.patient_number), "{email} {uri}");
                refused += 1;
            }
        }
    }
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action = 'ACCESS_DENIED'"
        )
        .await,
        refused
    );
}

#[tokio::test]
async fn every_endpoint_finds_nothing_of_another_clinic() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app(t.pool.clone());
    let ours = ids_of(&t, "riverside").await;
    let theirs = ids_of(&t, "hilltop").await;
    let tokens = tokens(&app).await;
    let writes_before = count(
        &t,
        "select count(*) from audit_events where action <> 'LOGIN'",
    )
    .await;
    for e in REGISTRY {
        let (_, token) = tokens
            .iter()
            .find(|(email, _)| e.allowed.contains(email))
            .unwrap();
        let etag = current_etag(&t, &theirs.patient).await;
        let headers: &[(&str, &str)] = if e.needs_if_match {
            &[("if-match", &etag)]
        } else {
            &[]
        };
        // Their slug: not the caller's clinic.
        let uri = uri_of(e, "hilltop", &theirs);
        let res = call(
            &app,
            e.method,
            &uri,
            token,
            (e.body)(&theirs).as_ref(),
            headers,
        )
        .await;
        error_of(&res, 404);
        assert!(!res.body.contains(&theirs.patient_number), "{uri}");
        // Our slug with their ids, in the path or in the body.
        if e.path.contains("{id}")
            || (e.body)(&theirs).is_some_and(|b| b.to_string().contains(&theirs.patient))
        {
            let mut mixed = Ids {
                patient: theirs.patient.clone(),
                patient_number: theirs.patient_number.clone(),
                visit: theirs.visit.clone(),
                department: ours.department.clone(),
                appointment: theirs.appointment.clone(),
                follow_up: theirs.follow_up.clone(),
                doctor: theirs.doctor.clone(),
            };
            let uri = uri_of(e, "riverside", &mixed);
            let res = call(
                &app,
                e.method,
                &uri,
                token,
                (e.body)(&mixed).as_ref(),
                headers,
            )
            .await;
            error_of(&res, 404);
            assert!(!res.body.contains(&theirs.patient_number), "{uri}");
            // Their department with our patient: refused by field.
            if e.path == "/api/v1/clinics/{slug}/visits" && e.method == "POST" {
                mixed.patient = ours.patient.clone();
                mixed.department = theirs.department.clone();
                let res = call(&app, "POST", &uri, token, (e.body)(&mixed).as_ref(), &[]).await;
                let body = error_of(&res, 422);
                assert!(body["errors"]["department"].is_array(), "{body}");
            }
        }
    }
    // Nothing of theirs was read or written: no event names their records.
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events where entity_id in ('{}', '{}', '{}', '{}')",
                theirs.patient, theirs.visit, theirs.appointment, theirs.follow_up
            )
        )
        .await,
        0
    );
    // Lists of our own clinic made no events either; only the refusals of
    // their slug... which are 404s, not audited denials.
    assert_eq!(
        count(
            &t,
            "select count(*) from audit_events where action <> 'LOGIN'"
        )
        .await,
        writes_before
    );
}
