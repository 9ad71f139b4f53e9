//! A clinic admin managing staff through the server functions the manage
//! page calls: a new role or department, deactivating (sessions end at once)
//! and reactivating; and every request that must not work, refused with
//! nothing changed.

use crate::common;

use common::{Browser, app, seed_demo_clinics, test_db};
use uuid::Uuid;

async fn membership(t: &common::TestDb, email: &str, clinic: &str) -> Uuid {
    sqlx::query_scalar(
        "select m.id from memberships m join users u on u.id = m.user_id join clinics c on c.id = m.clinic_id
         where u.email = $1 and c.slug = $2",
    )
    .bind(email)
    .bind(clinic)
    .fetch_one(&t.owner_pool)
    .await
    .unwrap()
}

async fn state(t: &common::TestDb, id: Uuid) -> (String, Option<Uuid>, bool) {
    sqlx::query_as("select role, department_id, active from memberships where id = $1")
        .bind(id)
        .fetch_one(&t.owner_pool)
        .await
        .unwrap()
}

fn change(id: Uuid, role: &str, department: &str) -> String {
    format!("slug=riverside&id={id}&change%5Brole%5D={role}&change%5Bdepartment%5D={department}")
}

#[tokio::test]
async fn a_new_role_or_deactivation_ends_the_members_sessions_and_reactivation_lets_them_back() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let nurse_id = membership(&t, "nurse@riverside.example", "riverside").await;
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    assert_eq!(nurse.get("/c/riverside/nurse").await.status, 200);

    let details = admin
        .post(
            "/fn/staff/staff_member",
            &format!("slug=riverside&id={nurse_id}"),
        )
        .await;
    assert_eq!(details.status, 200, "{}", details.body);
    assert!(
        details.body.contains("\"is_self\":false") && details.body.contains("General Medicine")
    );

    let res = admin
        .post(
            "/fn/staff/change_member",
            &change(nurse_id, "lab_technician", ""),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);
    assert_eq!(
        state(&t, nurse_id).await,
        ("lab_technician".into(), None, true)
    );
    let res = nurse.get("/c/riverside/nurse").await;
    assert_eq!(res.status, 303);
    assert!(
        res.header("location").contains("reason=access_changed"),
        "{}",
        res.header("location")
    );

    // Deactivated: signed out at once, and signing in again opens no clinic.
    let mut lab = Browser::new(&app);
    lab.sign_in("lab@riverside.example").await;
    let lab_id = membership(&t, "lab@riverside.example", "riverside").await;
    let res = admin
        .post(
            "/fn/staff/set_member_active",
            &format!("slug=riverside&id={lab_id}&active=false"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert!(!state(&t, lab_id).await.2);
    assert_eq!(lab.get("/c/riverside/lab").await.status, 303);
    lab.sign_in("lab@riverside.example").await;
    assert_eq!(lab.get("/c/riverside/lab").await.status, 404);

    let res = admin
        .post(
            "/fn/staff/set_member_active",
            &format!("slug=riverside&id={lab_id}&active=true"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(lab.get("/c/riverside/lab").await.status, 200);

    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'UPDATE' and entity_type = 'membership'
           and (before_value ? 'role' or before_value ? 'active')",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn changes_that_must_not_happen_are_refused_and_change_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let own = membership(&t, "admin@riverside.example", "riverside").await;
    let doctor = membership(&t, "doctor@riverside.example", "riverside").await;
    let hod = membership(&t, "hod@riverside.example", "riverside").await;
    let patient = membership(&t, "patient@riverside.example", "riverside").await;
    let hilltop_nurse = membership(&t, "nurse@hilltop.example", "hilltop").await;
    let hilltop_dept: Uuid = sqlx::query_scalar(
        "select d.id from departments d join clinics c on c.id = d.clinic_id where c.slug = 'hilltop' and d.code = 'GEN'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    let before = (
        state(&t, doctor).await,
        state(&t, own).await,
        state(&t, hod).await,
    );

    for (body, status, says) in [
        (change(own, "nurse", ""), 409, "your own access"),
        (
            format!("slug=riverside&id={own}&active=false"),
            409,
            "your own access",
        ),
        (
            change(doctor, "platform_admin", ""),
            422,
            "cannot give that role",
        ),
        (change(doctor, "doctor", ""), 422, "department this doctor"),
        (
            change(doctor, "doctor", &hilltop_dept.to_string()),
            422,
            "department of this clinic",
        ),
        (change(patient, "nurse", ""), 404, "NotFound"),
        (change(hilltop_nurse, "nurse", ""), 404, "NotFound"),
        (change(Uuid::now_v7(), "nurse", ""), 404, "NotFound"),
        (
            "slug=riverside&id=nope&change%5Brole%5D=nurse&change%5Bdepartment%5D=".into(),
            404,
            "NotFound",
        ),
    ] {
        let endpoint = if body.contains("active=") {
            "staff/set_member_active"
        } else {
            "staff/change_member"
        };
        let res = admin.post(&format!("/fn/{endpoint}"), &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
    }
    // Other roles may not manage staff; another clinic's admin finds nothing.
    let mut reception = Browser::new(&app);
    reception.sign_in("reception@riverside.example").await;
    let res = reception
        .post("/fn/staff/change_member", &change(doctor, "nurse", ""))
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let mut hilltop_admin = Browser::new(&app);
    hilltop_admin.sign_in("admin@hilltop.example").await;
    let res = hilltop_admin
        .post(
            "/fn/staff/set_member_active",
            &format!("slug=hilltop&id={doctor}&active=false"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert_eq!(
        before,
        (
            state(&t, doctor).await,
            state(&t, own).await,
            state(&t, hod).await
        )
    );
}

fn profile(id: Uuid, licence: &str, years: &str, fee: &str) -> String {
    format!(
        "slug=riverside&id={id}&profile%5Bspecialization%5D=Cardiology&profile%5Blicence_number%5D={licence}\
         &profile%5Bqualification%5D=MBBS&profile%5Byears_of_experience%5D={years}\
         &profile%5Bconsultation_fee%5D={fee}&profile%5Bavailability%5D=on_leave"
    )
}

#[tokio::test]
async fn a_doctors_profile_is_saved_checked_and_unique_by_licence_in_the_clinic() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let doctor = membership(&t, "doctor@riverside.example", "riverside").await;
    let hod = membership(&t, "hod@riverside.example", "riverside").await;
    let nurse = membership(&t, "nurse@riverside.example", "riverside").await;

    let res = admin
        .post(
            "/fn/staff/save_doctor_profile",
            &profile(doctor, "GMC-100", "12", "150.50"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let details = admin
        .post(
            "/fn/staff/staff_member",
            &format!("slug=riverside&id={doctor}"),
        )
        .await;
    assert!(
        details.body.contains("\"licence_number\":\"GMC-100\"")
            && details.body.contains("\"consultation_fee_minor\":15050")
            && details.body.contains("\"OnLeave\""),
        "{}",
        details.body
    );
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from doctor_profiles")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap()
    };
    for (body, status, says) in [
        (
            profile(hod, "GMC-100", "5", "100"),
            422,
            "Another doctor in this clinic has this licence number",
        ),
        (
            profile(hod, "GMC-200", "71", "100"),
            422,
            "years_of_experience",
        ),
        (profile(hod, "GMC-200", "5", "1e5"), 422, "consultation_fee"),
        (profile(nurse, "GMC-300", "5", "100"), 409, "Only doctors"),
    ] {
        let res = admin.post("/fn/staff/save_doctor_profile", &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
    }
    assert_eq!(count().await, 1, "nothing else was saved");
    // The same licence number in another clinic is that clinic's business.
    let mut hilltop_admin = Browser::new(&app);
    hilltop_admin.sign_in("admin@hilltop.example").await;
    let hilltop_doctor = membership(&t, "doctor@hilltop.example", "hilltop").await;
    let res = hilltop_admin
        .post(
            "/fn/staff/save_doctor_profile",
            &profile(hilltop_doctor, "GMC-100", "3", "90")
                .replace("slug=riverside", "slug=hilltop"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    // But not another clinic's doctor.
    let res = hilltop_admin
        .post(
            "/fn/staff/save_doctor_profile",
            &profile(doctor, "GMC-9", "3", "90").replace("slug=riverside", "slug=hilltop"),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert_eq!(count().await, 2);
}

#[tokio::test]
async fn the_department_card_names_the_first_colleagues_and_counts_the_rest() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 5).await;
    // Twenty more doctors in General Medicine, the first by name
    // deactivated.
    sqlx::query(
        "with made as (
             insert into users (email, display_name)
             select format('gen%s@riverside.example', n), format('Aaron Colleague %s', lpad(n::text, 2, '0'))
             from generate_series(1, 20) n
             returning id, email)
         insert into memberships (clinic_id, user_id, role, department_id, active)
         select c.id, made.id, 'doctor', d.id, made.email <> 'gen1@riverside.example'
         from made, clinics c join departments d on d.clinic_id = c.id and d.code = 'GEN'
         where c.slug = 'riverside'",
    )
    .execute(&t.owner_pool)
    .await
    .unwrap();
    let others: i64 = sqlx::query_scalar(
        "select count(*) from memberships m join departments d on d.id = m.department_id
         join clinics c on c.id = m.clinic_id join users u on u.id = m.user_id
         where c.slug = 'riverside' and d.code = 'GEN' and m.active
           and u.email <> 'doctor@riverside.example'",
    )
    .fetch_one(&t.owner_pool)
    .await
    .unwrap();
    assert!(others > 19, "{others}");

    let app = app(t.pool.clone());
    let mut doctor = Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    let page = doctor.get("/c/riverside/doctor").await;
    assert_eq!(page.status, 200);
    let list = page
        .body
        .split(r#"aria-label="Colleagues""#)
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("the colleagues list");
    assert_eq!(list.matches("<li").count(), 12, "{list}");
    // By name, the added "Aaron Colleague …" first, but not the one
    // deactivated; the count leaves them out too.
    assert!(list.contains("Aaron Colleague 02"), "{list}");
    assert!(!list.contains("Aaron Colleague 01"), "deactivated: {list}");
    assert!(
        page.body
            .contains(&format!("and {} more colleagues", others - 12)),
        "{}",
        page.body
    );
}
