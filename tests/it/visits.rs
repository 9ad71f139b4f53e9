//! Visits through the server functions the front desk and the doctor's
//! queue post to: tokens the database hands out (distinct under
//! concurrency), one active visit per department and day, the state
//! machine held by the database as the domain states it, the doctor's
//! queue order, the wait estimate, and bad or cross-clinic input refused
//! with nothing written.

use crate::common;

use common::{Browser, TestDb, count};
use hms::domain::visits::VisitStatus;
use uuid::Uuid;

async fn department(t: &TestDb, slug: &str, code: &str) -> Uuid {
    sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id
         where c.slug = $1 and d.code = $2",
    )
    .bind(slug)
    .bind(code)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

/// The clinic's patients, by patient number.
async fn patients(t: &TestDb, slug: &str, n: i64) -> Vec<Uuid> {
    sqlx::query_scalar(
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = $1 and p.user_id is null order by p.patient_number limit $2",
    )
    .bind(slug)
    .bind(n)
    .fetch_all(&t.owner_pool)
    .await
    .unwrap()
}

fn check_in_body(patient: Uuid, department: Uuid, extra: &str) -> String {
    format!(
        "slug=riverside&patient={patient}&visit%5Bdepartment%5D={department}\
         &visit%5Bvisit_type%5D=walk_in&visit%5Bpriority%5D=normal&visit%5Breason%5D=Fever{extra}"
    )
}

/// Checks in; returns the visit the slip is for.
async fn check_in(desk: &mut Browser, body: &str) -> Uuid {
    let res = desk.post("/fn/visits/check_in_patient", body).await;
    let location = res.header("location");
    assert!(
        location.starts_with("/c/riverside/visits/") && location.ends_with("/slip"),
        "{}: {location} {}",
        res.status,
        res.body
    );
    location
        .trim_start_matches("/c/riverside/visits/")
        .trim_end_matches("/slip")
        .parse()
        .unwrap()
}

async fn token(t: &TestDb, visit: Uuid) -> i32 {
    sqlx::query_scalar("select token from patient_visits where id = $1")
        .bind(visit)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

async fn status(t: &TestDb, visit: Uuid) -> String {
    sqlx::query_scalar("select status from patient_visits where id = $1")
        .bind(visit)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

async fn signed_in(app: &axum::Router, email: &str) -> Browser {
    let mut b = Browser::new(app);
    b.sign_in(email).await;
    b
}

/// Visits and their audit events: what a refusal must not add.
async fn written(t: &TestDb) -> (i64, i64) {
    (
        count(t, "select count(*) from patient_visits").await,
        count(
            t,
            "select count(*) from audit_events where entity_type = 'visit'",
        )
        .await,
    )
}

#[tokio::test]
async fn check_ins_get_the_days_tokens_per_department_and_one_active_visit_each() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let (gen_dept, card) = (
        department(&t, "riverside", "GEN").await,
        department(&t, "riverside", "CARD").await,
    );
    let p = patients(&t, "riverside", 3).await;
    let first = check_in(&mut desk, &check_in_body(p[0], gen_dept, "")).await;
    let second = check_in(&mut desk, &check_in_body(p[1], gen_dept, "")).await;
    let other = check_in(&mut desk, &check_in_body(p[0], card, "")).await;
    assert_eq!(
        (
            token(&t, first).await,
            token(&t, second).await,
            token(&t, other).await
        ),
        (1, 2, 1)
    );
    // The slip: the token, the department, and the wait of one ahead.
    let slip = desk
        .post(
            "/fn/visits/visit_slip",
            &format!("slug=riverside&id={second}"),
        )
        .await;
    assert_eq!(slip.status, 200, "{}", slip.body);
    for shown in [
        "\"token\":2",
        "\"department\":\"General Medicine\"",
        "\"estimated_wait_minutes\":10",
        "\"zone\":\"Europe/London\"",
    ] {
        assert!(slip.body.contains(shown), "{shown}: {}", slip.body);
    }
    // The same patient again in the same department: refused by the field.
    let before = written(&t).await;
    let res = desk
        .post(
            "/fn/visits/check_in_patient",
            &check_in_body(p[0], gen_dept, ""),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body
            .contains("already checked in to this department today"),
        "{}",
        res.body
    );
    assert_eq!(written(&t).await, before);
    // The form shows the visit still open, to link to instead.
    let form = desk
        .post(
            "/fn/visits/check_in_details",
            &format!("slug=riverside&patient={}", p[0]),
        )
        .await;
    assert!(form.body.contains(&first.to_string()), "{}", form.body);
    // Once the visit is over, a new one may start.
    let res = desk
        .post(
            "/fn/visits/desk_visit_action",
            &format!("slug=riverside&id={first}&action=left"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(status(&t, first).await, "left_without_being_seen");
    let again = check_in(&mut desk, &check_in_body(p[0], gen_dept, "")).await;
    assert_eq!(token(&t, again).await, 3);
    // Each check-in and move is audited, with the patient it concerns.
    let created: serde_json::Value = sqlx::query_scalar(
        "select after_value from audit_events where entity_type = 'visit' and action = 'CREATE'
         and entity_id = $1",
    )
    .bind(first.to_string())
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(created["patient_id"], p[0].to_string());
    assert_eq!(created["token"], 1);
}

#[tokio::test]
async fn a_hundred_check_ins_at_once_get_a_hundred_tokens() {
    let t = common::test_db().await;
    common::seed_demo_clinics(&t.owner_pool, 400).await;
    let app = common::app(t.pool.clone());
    let desk = signed_in(&app, "reception@riverside.example").await;
    let cookie = desk.cookie.clone().unwrap();
    let gen_dept = department(&t, "riverside", "GEN").await;
    let people = patients(&t, "riverside", 100).await;
    assert_eq!(people.len(), 100);
    let calls: Vec<_> = people
        .into_iter()
        .map(|p| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let body = check_in_body(p, gen_dept, "");
            tokio::spawn(async move {
                let req = axum::http::Request::post("/fn/visits/check_in_patient")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", common::SITE)
                    .header("cookie", cookie)
                    .body(axum::body::Body::from(body))
                    .unwrap();
                common::send(&app, req).await
            })
        })
        .collect();
    for call in calls {
        let res = call.await.unwrap();
        assert!(res.header("location").ends_with("/slip"), "{}", res.body);
    }
    let tokens: Vec<i32> = sqlx::query_scalar("select token from patient_visits order by token")
        .fetch_all(&t.owner_pool)
        .await
        .unwrap();
    assert_eq!(tokens, (1..=100).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_database_holds_the_state_machine_the_domain_states() {
    let t = common::test_db().await;
    for from in VisitStatus::ALL {
        for to in VisitStatus::ALL {
            let allowed: bool = sqlx::query_scalar("select visit_transition_allowed($1, $2)")
                .bind(from.as_str())
                .bind(to.as_str())
                .fetch_one(&t.pool)
                .await
                .unwrap();
            assert_eq!(allowed, from.can_become(*to), "{from:?} to {to:?}");
        }
    }
    let names: String = sqlx::query_scalar(
        "select pg_get_constraintdef(oid) from pg_constraint where conname = 'patient_visits_status_known'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    for s in VisitStatus::ALL {
        assert!(names.contains(&format!("'{}'", s.as_str())), "{s:?}");
    }
}

#[tokio::test]
async fn doctors_call_emergencies_first_and_move_visits_only_in_order() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let gen_dept = department(&t, "riverside", "GEN").await;
    let p = patients(&t, "riverside", 3).await;
    let normal = check_in(&mut desk, &check_in_body(p[0], gen_dept, "")).await;
    let emergency = check_in(
        &mut desk,
        &check_in_body(p[1], gen_dept, "").replace("walk_in", "emergency"),
    )
    .await;
    let mut doctor = signed_in(&app, "doctor@riverside.example").await;
    let queue = doctor
        .post("/fn/visits/my_queue", "slug=riverside&page=1")
        .await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert!(
        queue.body.contains("\"department\":\"General Medicine\""),
        "the doctor's own department: {}",
        queue.body
    );
    let (e, n) = (
        queue.body.find(&emergency.to_string()).unwrap(),
        queue.body.find(&normal.to_string()).unwrap(),
    );
    assert!(e < n, "emergencies first: {}", queue.body);

    let res = doctor.post("/fn/visits/call_next", "slug=riverside").await;
    // The emergency came second, with token 2.
    assert!(
        res.header("location").ends_with("/doctor?called=2"),
        "{}",
        res.header("location")
    );
    assert_eq!(status(&t, emergency).await, "called");
    assert_eq!(status(&t, normal).await, "waiting");
    // Out of order: a waiting visit cannot be completed, nor started.
    let before = written(&t).await;
    for action in ["complete", "start"] {
        let res = doctor
            .post(
                "/fn/visits/doctor_visit_action",
                &format!("slug=riverside&id={normal}&action={action}"),
            )
            .await;
        assert_eq!(res.status, 422, "{action}: {}", res.body);
        assert!(res.body.contains("moved on"), "{}", res.body);
    }
    assert_eq!(written(&t).await, before);
    for action in ["start", "complete"] {
        let res = doctor
            .post(
                "/fn/visits/doctor_visit_action",
                &format!("slug=riverside&id={emergency}&action={action}"),
            )
            .await;
        assert!(res.status < 400, "{action}: {}", res.body);
    }
    assert_eq!(status(&t, emergency).await, "completed");
    let timed: (bool, bool, bool) = sqlx::query_as(
        "select called_at is not null, consultation_started_at >= called_at,
                completed_at >= consultation_started_at
         from patient_visits where id = $1",
    )
    .bind(emergency)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(timed, (true, true, true));
    // The doctor who called is now the visit's.
    let doctor_id = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let assigned: Option<Uuid> =
        sqlx::query_scalar("select doctor_user_id from patient_visits where id = $1")
            .bind(emergency)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    assert_eq!(assigned, Some(doctor_id));
    // Next: the normal one; then no one.
    doctor.post("/fn/visits/call_next", "slug=riverside").await;
    assert_eq!(status(&t, normal).await, "called");
    let res = doctor
        .post(
            "/fn/visits/doctor_visit_action",
            &format!("slug=riverside&id={normal}&action=no_show"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(status(&t, normal).await, "no_show");
    let res = doctor.post("/fn/visits/call_next", "slug=riverside").await;
    assert!(
        res.header("location").ends_with("called=none"),
        "{}",
        res.header("location")
    );
    // A cardiologist does not move General Medicine's visits.
    let third = check_in(&mut desk, &check_in_body(p[2], gen_dept, "")).await;
    doctor.post("/fn/visits/call_next", "slug=riverside").await;
    let mut hod = signed_in(&app, "hod@riverside.example").await;
    let res = hod
        .post(
            "/fn/visits/doctor_visit_action",
            &format!("slug=riverside&id={third}&action=start"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert_eq!(status(&t, third).await, "called");
}

#[tokio::test]
async fn bad_and_cross_clinic_check_ins_are_refused_and_write_nothing() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let gen_dept = department(&t, "riverside", "GEN").await;
    let card = department(&t, "riverside", "CARD").await;
    let hilltop_dept = department(&t, "hilltop", "GEN").await;
    let p = patients(&t, "riverside", 1).await[0];
    let hilltop_patient = patients(&t, "hilltop", 1).await[0];
    let cardiologist = common::user_id(&t.owner_pool, "hod@riverside.example").await;
    let before = written(&t).await;
    for (field, status, body) in [
        ("department", 422, check_in_body(p, hilltop_dept, "")),
        ("department", 422, check_in_body(p, Uuid::now_v7(), "")),
        (
            "doctor",
            422,
            check_in_body(p, gen_dept, &format!("&visit%5Bdoctor%5D={cardiologist}")),
        ),
        (
            "visit_type",
            422,
            check_in_body(p, gen_dept, "").replace("walk_in", "drive_by"),
        ),
        (
            "reason",
            422,
            check_in_body(p, gen_dept, "").replace("Fever", &"x".repeat(501)),
        ),
        ("patient", 404, check_in_body(hilltop_patient, gen_dept, "")),
        ("patient", 404, check_in_body(Uuid::now_v7(), gen_dept, "")),
        (
            "patient",
            404,
            check_in_body(p, gen_dept, "").replace(&p.to_string(), "not-an-id"),
        ),
    ] {
        let res = desk.post("/fn/visits/check_in_patient", &body).await;
        assert_eq!(res.status, status, "{field}: {}", res.body);
        if status == 422 {
            assert!(
                res.body.contains(&format!("\"field\":\"{field}\"")),
                "{field}: {}",
                res.body
            );
        }
    }
    // A doctor of the department is fine.
    let gp = common::user_id(&t.owner_pool, "doctor@riverside.example").await;
    let ok = check_in(
        &mut desk,
        &check_in_body(p, gen_dept, &format!("&visit%5Bdoctor%5D={gp}")),
    )
    .await;
    assert_eq!(written(&t).await.0, before.0 + 1);
    // A move that is not the desk's, or a visit of no one.
    for body in [
        format!("slug=riverside&id={ok}&action=complete"),
        format!("slug=riverside&id={}&action=cancel", Uuid::now_v7()),
    ] {
        let res = desk.post("/fn/visits/desk_visit_action", &body).await;
        assert_eq!(res.status, 404, "{body}: {}", res.body);
    }
    // Other roles cannot check in; the nurse sees no front desk queue.
    let mut nurse = signed_in(&app, "nurse@riverside.example").await;
    let res = nurse
        .post("/fn/visits/check_in_patient", &check_in_body(p, card, ""))
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = nurse
        .post(
            "/fn/visits/front_desk_queue",
            "slug=riverside&department=&showing=active&page=1",
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(written(&t).await.0, before.0 + 1);
}

#[tokio::test]
async fn the_front_desk_sees_the_day_counted_and_filtered() {
    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let (gen_dept, card) = (
        department(&t, "riverside", "GEN").await,
        department(&t, "riverside", "CARD").await,
    );
    let p = patients(&t, "riverside", 3).await;
    check_in(&mut desk, &check_in_body(p[0], gen_dept, "")).await;
    check_in(&mut desk, &check_in_body(p[1], gen_dept, "")).await;
    let cancelled = check_in(&mut desk, &check_in_body(p[2], card, "")).await;
    desk.post(
        "/fn/visits/desk_visit_action",
        &format!("slug=riverside&id={cancelled}&action=cancel"),
    )
    .await;
    let day = desk
        .post(
            "/fn/visits/front_desk_queue",
            "slug=riverside&department=&showing=active&page=1",
        )
        .await;
    assert_eq!(day.status, 200, "{}", day.body);
    assert!(
        day.body.contains(
            "\"counts\":{\"checked_in\":3,\"waiting\":2,\"in_consultation\":0,\"completed\":0}"
        ),
        "{}",
        day.body
    );
    assert_eq!(day.body.matches("\"visit_id\"").count(), 2);
    assert!(!day.body.contains(&cancelled.to_string()));
    let all = desk
        .post(
            "/fn/visits/front_desk_queue",
            &format!("slug=riverside&department={card}&showing=all&page=1"),
        )
        .await;
    assert_eq!(all.body.matches("\"visit_id\"").count(), 1, "{}", all.body);
    assert!(all.body.contains(&cancelled.to_string()));
    // The admin's dashboard counts the day by department.
    let mut admin = signed_in(&app, "admin@riverside.example").await;
    let today = admin
        .post("/fn/visits/visits_today", "slug=riverside")
        .await;
    assert_eq!(today.status, 200, "{}", today.body);
    assert!(
        today.body.contains(
            "{\"department\":\"General Medicine\",\"visits\":2,\"waiting\":2,\"completed\":0,\"average_wait_minutes\":null}"
        ),
        "{}",
        today.body
    );
    assert!(
        today
            .body
            .contains("{\"department\":\"Cardiology\",\"visits\":1,\"waiting\":0,")
    );
    // The second in line waits for the first: 10 minutes with no history.
    assert!(
        day.body.contains("\"estimated_wait_minutes\":10"),
        "{}",
        day.body
    );
    assert!(
        day.body.contains("\"estimated_wait_minutes\":0"),
        "{}",
        day.body
    );
}

#[tokio::test]
async fn queue_pages_keep_the_order_and_each_visits_place_in_its_line() {
    use hms::domain::paging::PageRequest;
    use hms::domain::role::Role;
    use hms::domain::visits::{Showing, estimate_wait_minutes};
    use hms::server::tenancy::{self, ClinicScope};
    use hms::server::visits::queues::{self, QueueFilter};

    let (t, app) = common::demo_app().await;
    let mut desk = signed_in(&app, "reception@riverside.example").await;
    let (gen_dept, card) = (
        department(&t, "riverside", "GEN").await,
        department(&t, "riverside", "CARD").await,
    );
    let p = patients(&t, "riverside", 6).await;
    // (patient, department, priority), checked in in this order; the first
    // patient is in both lines.
    let arrivals = [
        (p[0], gen_dept, "normal"),
        (p[1], gen_dept, "urgent"),
        (p[2], gen_dept, "normal"),
        (p[3], gen_dept, "emergency"),
        (p[4], card, "normal"),
        (p[5], card, "urgent"),
        (p[0], card, "normal"),
    ];
    let mut visits = Vec::new();
    for (patient, dept, priority) in arrivals {
        let body = check_in_body(patient, dept, "").replace(
            "visit%5Bpriority%5D=normal",
            &format!("visit%5Bpriority%5D={priority}"),
        );
        visits.push(check_in(&mut desk, &body).await);
    }
    // Emergencies, then urgent, then by token (across departments); each
    // waits behind those before it in its own department's line.
    let expected = [
        (visits[3], 0),
        (visits[1], 1),
        (visits[5], 0),
        (visits[0], 2),
        (visits[4], 1),
        (visits[2], 3),
        (visits[6], 2),
    ];
    let day: chrono::NaiveDate = sqlx::query_scalar(
        "select (now() at time zone timezone)::date from clinics where slug = 'riverside'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let scope = ClinicScope {
        clinic_id: sqlx::query_scalar("select id from clinics where slug = 'riverside'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap(),
        user_id: common::user_id(&t.owner_pool, "reception@riverside.example").await,
        role: Role::Receptionist,
    };
    let pool = &t.pool;
    let listed = move |per_page: u32| async move {
        let mut shown = Vec::new();
        for page_no in 1..=7_u32.div_ceil(per_page) {
            let mut tx = tenancy::begin_clinic(pool, scope).await.unwrap();
            let filter = QueueFilter {
                day,
                department_id: None,
                showing: Showing::Active,
                doctor_user_id: None,
                awaiting_vitals: false,
            };
            let page = queues::list(&mut tx, filter, PageRequest::new(page_no, per_page))
                .await
                .unwrap();
            assert_eq!(page.total, 7, "page {page_no} of {per_page}");
            shown.extend(
                page.items
                    .into_iter()
                    .map(|e| (e.visit_id, e.estimated_wait_minutes)),
            );
        }
        shown
    };
    let waits = |expected: &[(Uuid, Option<u32>)]| -> Vec<_> {
        expected
            .iter()
            .map(|&(v, ahead)| (v, ahead.map(|n| estimate_wait_minutes(n, None, 1))))
            .collect()
    };
    let expected: Vec<_> = expected.iter().map(|&(v, n)| (v, Some(n))).collect();
    for per_page in [3, 2, 7] {
        assert_eq!(
            listed(per_page).await,
            waits(&expected),
            "{per_page} a page"
        );
    }
    // A called visit keeps its place in the list but no longer waits: those
    // behind it in its line wait behind one fewer, on every page.
    sqlx::query("update patient_visits set status = 'called', called_at = now() where id = $1")
        .bind(visits[1])
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let expected = [
        (visits[3], Some(0)),
        (visits[1], None),
        (visits[5], Some(0)),
        (visits[0], Some(1)),
        (visits[4], Some(1)),
        (visits[2], Some(2)),
        (visits[6], Some(2)),
    ];
    for per_page in [3, 2, 1] {
        assert_eq!(
            listed(per_page).await,
            waits(&expected),
            "{per_page} a page"
        );
    }
}

#[tokio::test]
async fn the_front_desks_lists_are_planned_once_per_connection() {
    use hms::domain::paging::PageRequest;
    use hms::domain::patients::PatientQuery;
    use hms::domain::role::Role;
    use hms::domain::visits::Showing;
    use hms::server::tenancy::{self, ClinicScope};
    use hms::server::{patients, visits::queues};
    let (t, _app) = common::demo_app().await;
    let clinic_id: Uuid = sqlx::query_scalar("select id from clinics where slug = 'riverside'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let scope = ClinicScope {
        clinic_id,
        user_id: common::user_id(&t.owner_pool, "reception@riverside.example").await,
        role: Role::Receptionist,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let today: chrono::NaiveDate = sqlx::query_scalar("select current_date")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let filter = queues::QueueFilter {
        day: today,
        department_id: None,
        showing: Showing::Active,
        doctor_user_id: None,
        awaiting_vitals: false,
    };
    // More than the five custom plans after which PostgreSQL weighs its
    // choice.
    for _ in 0..7 {
        queues::desk_day(&mut tx, filter, PageRequest::new(1, 20))
            .await
            .unwrap();
        patients::search(&mut tx, &PatientQuery::Recent, PageRequest::new(1, 20))
            .await
            .unwrap();
    }
    let custom: Vec<(String, i64)> = sqlx::query_as(
        "select left(statement, 60), custom_plans from pg_prepared_statements
         where (statement like '%count(*) filter (where status = ''completed'')%'
                or statement like '%order by registered_at desc, id desc limit $1 offset $2%')
           and statement not like '%pg_prepared_statements%'
         order by 1",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert_eq!(custom.len(), 2, "{custom:?}");
    assert!(custom.iter().all(|(_, n)| *n == 0), "{custom:?}");
    // What follows in the transaction is planned as the planner chooses.
    let mode: String = sqlx::query_scalar("show plan_cache_mode")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(mode, "auto");
}
