//! "Register your hospital" through the server functions its pages call:
//! the three steps, the emailed confirmation, a platform admin's approval
//! (clinic, plan limits, first admin invited) or rejection, and bad input.

use crate::common;

use common::{Browser, TestDb, TestResponse, count, demo_app};
use sqlx::{Connection, PgConnection};

/// The last email of `kind` to `to`, as plain text.
async fn email(t: &TestDb, kind: &str, to: &str) -> String {
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query_scalar(
        "select body_text from outbox_emails where kind = $1 and to_address = $2 order by created_at desc limit 1",
    )
    .bind(kind)
    .bind(to)
    .fetch_one(&mut su)
    .await
    .unwrap()
}

fn token_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {text}"))
        + marker.len();
    text[start..start + 64].to_string()
}

const HOSPITAL: &str = "hospital%5Bname%5D=St+Mary%27s+Hospital&hospital%5Baddress%5D=1+Harbour+Road%2C+Northfield\
    &hospital%5Bphone%5D=%2B44+20+7946+0000&hospital%5Bemail%5D=office%40stmarys.example\
    &hospital%5Bregistration_number%5D=REG-2026%2F114&hospital%5Btax_id%5D=GB+123+4567+89";

async fn register(b: &mut Browser, admin_email: &str, plan: &str) -> TestResponse {
    let res = b
        .post("/fn/onboarding/save_hospital_details", HOSPITAL)
        .await;
    assert_eq!(
        res.header("location"),
        "/register?step=admin",
        "{}",
        res.body
    );
    let res = b
        .post(
            "/fn/onboarding/save_first_admin",
            &format!(
                "admin%5Bname%5D=Ada+Obi&admin%5Bemail%5D={}",
                admin_email.replace('@', "%40")
            ),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/register?step=plan",
        "{}",
        res.body
    );
    b.post(
        "/fn/onboarding/submit_registration",
        &format!("plan={plan}"),
    )
    .await
}

#[tokio::test]
async fn a_hospital_registers_confirms_and_is_approved_into_a_clinic_whose_admin_signs_in() {
    let (t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    let res = register(&mut b, "ada@stmarys.example", "trial").await;
    assert_eq!(res.header("location"), "/register/sent", "{}", res.body);
    // The draft is gone once sent.
    assert!(
        b.post("/fn/onboarding/my_registration_draft", "")
            .await
            .body
            .contains("\"hospital\":null")
    );

    let letter = email(&t, "registration_verify", "ada@stmarys.example").await;
    let token = token_after(&letter, "/register/confirm?token=");
    assert!(
        letter.contains("http://127.0.0.1:3000/register/confirm?token="),
        "{letter}"
    );
    let res = b
        .post(
            "/fn/onboarding/registration_link",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(res.body, "\"St Mary's Hospital\"");
    // Not yet confirmed: platform admins see nothing.
    let mut platform = Browser::new(&app);
    platform.sign_in("platform@hms.example").await;
    assert!(
        platform
            .post("/fn/onboarding/pending_registrations", "page=1")
            .await
            .body
            .contains("\"items\":[]")
    );

    let mut elsewhere = Browser::new(&app);
    let res = elsewhere
        .post(
            "/fn/onboarding/confirm_registration",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/register/confirmed",
        "{}",
        res.body
    );
    let again = elsewhere
        .post(
            "/fn/onboarding/confirm_registration",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(again.status, 409, "a link works once: {}", again.body);
    assert!(
        email(&t, "registration_pending", "platform@hms.example")
            .await
            .contains("St Mary's Hospital")
    );

    let list = platform
        .post("/fn/onboarding/pending_registrations", "page=1")
        .await;
    assert!(
        list.body
            .contains("\"suggested_slug\":\"st-marys-hospital\""),
        "{}",
        list.body
    );
    let id: uuid::Uuid = sqlx::query_scalar("select id from clinic_registrations")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    // A web address another clinic has is refused by its field.
    let clinics = count(&t, "select count(*) from clinics").await;
    let res = platform
        .post(
            "/fn/onboarding/approve_registration",
            &format!("id={id}&slug=riverside"),
        )
        .await;
    assert!(
        res.body
            .contains("Another clinic already uses this web address."),
        "{}",
        res.body
    );
    let res = platform
        .post(
            "/fn/onboarding/approve_registration",
            &format!("id={id}&slug=Not+A+Slug"),
        )
        .await;
    assert!(res.body.contains("lowercase letters"), "{}", res.body);
    assert_eq!(count(&t, "select count(*) from clinics").await, clinics);
    // Only platform admins decide.
    let mut clinic_admin = Browser::new(&app);
    clinic_admin.sign_in("admin@riverside.example").await;
    assert_eq!(
        clinic_admin
            .post(
                "/fn/onboarding/approve_registration",
                &format!("id={id}&slug=st-marys")
            )
            .await
            .status,
        403
    );
    assert_eq!(
        clinic_admin
            .post("/fn/onboarding/pending_registrations", "page=1")
            .await
            .status,
        403
    );

    let res = platform
        .post(
            "/fn/onboarding/approve_registration",
            &format!("id={id}&slug=st-marys"),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/platform/registrations?approved=st-marys",
        "{}",
        res.body
    );
    assert_eq!(
        count(&t, "select count(*) from clinics where slug = 'st-marys' and plan = 'trial' and max_doctors = 3 and max_patients = 200 and trial_ends_at > now() + interval '29 days' and registration_number = 'REG-2026/114'").await,
        1
    );
    let again = platform
        .post(
            "/fn/onboarding/approve_registration",
            &format!("id={id}&slug=st-marys-2"),
        )
        .await;
    assert_eq!(again.status, 409);

    // The first admin accepts the emailed invitation and must set up two-factor sign-in.
    let invitation = email(&t, "invitation", "ada@stmarys.example").await;
    let token = token_after(&invitation, "/invitation?token=");
    let mut ada = Browser::new(&app);
    let res = ada
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password=copper+meadow+lantern&confirm=copper+meadow+lantern"),
        )
        .await;
    assert_eq!(res.header("location"), "/login/two-factor", "{}", res.body);
    let (_key, res) = ada.set_up_authenticator().await;
    assert_eq!(
        res.header("location"),
        "/account/recovery-codes?next=%2Fc%2Fst-marys%2Fadmin",
        "{}",
        res.body
    );
    assert_eq!(ada.get("/c/st-marys/admin").await.status, 200);

    // The trial plan's three doctors: a fourth invitation is refused by its field.
    let general: uuid::Uuid = sqlx::query_scalar("select d.id from departments d join clinics c on c.id = d.clinic_id where c.slug = 'st-marys'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    for n in 1..=4 {
        let res = ada
            .post(
                "/fn/invitations/invite_staff",
                &format!(
                    "slug=st-marys&invitation%5Bemail%5D=dr{n}%40stmarys.example&invitation%5Bdisplay_name%5D=Dr+{n}\
                     &invitation%5Brole%5D=doctor&invitation%5Bdepartment%5D={general}"
                ),
            )
            .await;
        if n < 4 {
            assert!(res.status < 400, "{n}: {}", res.body);
        } else {
            assert!(
                res.body.contains("Trial plan allows 3 doctors"),
                "{}",
                res.body
            );
        }
    }
    assert_eq!(count(&t, "select count(*) from invitations i join clinics c on c.id = i.clinic_id where c.slug = 'st-marys' and i.role = 'doctor'").await, 3);
}

#[tokio::test]
async fn the_database_holds_each_clinic_to_its_plans_limits() {
    let (t, app) = demo_app().await;
    sqlx::query(
        "update clinics c set max_doctors = 1,
                max_patients = (select patients from clinic_patient_counts k where k.clinic_id = c.id) + 2
          where slug = 'hilltop'",
    )
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let hilltop: uuid::Uuid = sqlx::query_scalar("select id from clinics where slug = 'hilltop'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    // As the app, inside the clinic: two more patients fit, a third does not.
    let mut tx = t.pool.begin().await.unwrap();
    sqlx::query("select set_config('hms.clinic_id', $1, true)")
        .bind(hilltop.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let insert = "insert into patients (clinic_id, patient_number, given_name, family_name, date_of_birth, sex)
                  select $1, 'LIMIT-' || n, 'Test', 'Patient', date '1990-01-01', 'female' from generate_series(1, $2) n";
    let err = sqlx::query(insert)
        .bind(hilltop)
        .bind(3)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    let db = err.as_database_error().expect("a database error");
    assert_eq!(db.constraint(), Some("clinic_patient_limit"));
    drop(tx);
    assert_eq!(
        count(
            &t,
            "select count(*) from patients where patient_number like 'LIMIT-%'"
        )
        .await,
        0
    );
    let hms::domain::AppError::Validation(fields) = hms::domain::AppError::from(err) else {
        panic!("a field error");
    };
    assert!(fields[0].message.contains("allows no more patients"));

    // Hilltop has two doctors already (demo data): no role change adds a third.
    let mut hilltop_admin = Browser::new(&app);
    hilltop_admin.sign_in("admin@hilltop.example").await;
    let nurse: uuid::Uuid = sqlx::query_scalar("select m.id from memberships m join users u on u.id = m.user_id where u.email = 'nurse@hilltop.example'")
        .fetch_one(&t.owner_pool)
        .await
        .unwrap();
    let general: uuid::Uuid =
        sqlx::query_scalar("select id from departments where clinic_id = $1 order by code limit 1")
            .bind(hilltop)
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let res = hilltop_admin
        .post(
            "/fn/staff/change_member",
            &format!(
                "slug=hilltop&id={nurse}&change%5Brole%5D=doctor&change%5Bdepartment%5D={general}"
            ),
        )
        .await;
    assert!(res.body.contains("allows no more doctors"), "{}", res.body);
    assert_eq!(count(&t, "select count(*) from memberships m join users u on u.id = m.user_id where u.email = 'nurse@hilltop.example' and m.role = 'nurse'").await, 1);
}

#[tokio::test]
async fn bad_registrations_are_refused_by_field_and_rejection_emails_the_reason() {
    let (t, app) = demo_app().await;
    let mut b = Browser::new(&app);
    let res = b
        .post("/fn/onboarding/submit_registration", "plan=trial")
        .await;
    assert!(res.body.contains("Fill in the hospital"), "{}", res.body);
    let res = b.post("/fn/onboarding/save_hospital_details", &format!("hospital%5Bname%5D={}&hospital%5Baddress%5D=&hospital%5Bphone%5D=abc&hospital%5Bemail%5D=nope&hospital%5Bregistration_number%5D=%3Bdrop&hospital%5Btax_id%5D=", "x".repeat(300))).await;
    for field in [
        "\"name\"",
        "\"address\"",
        "\"phone\"",
        "\"email\"",
        "\"registration_number\"",
        "\"tax_id\"",
    ] {
        assert!(res.body.contains(field), "{field}: {}", res.body);
    }
    // Not a step done, but what was typed comes back to the form.
    let draft = b
        .post("/fn/onboarding/my_registration_draft", "")
        .await
        .body;
    assert!(
        draft.contains("\"hospital\":null") && draft.contains("\"phone\":\"abc\""),
        "{draft}"
    );
    let res = b
        .post(
            "/fn/onboarding/save_first_admin",
            "admin%5Bname%5D=&admin%5Bemail%5D=x",
        )
        .await;
    assert!(
        res.body.contains("admin_name") && res.body.contains("admin_email"),
        "{}",
        res.body
    );
    let res = register(&mut b, "ada@stmarys.example", "gold").await;
    assert!(res.body.contains("Choose a plan."), "{}", res.body);
    assert_eq!(
        count(&t, "select count(*) from clinic_registrations").await,
        0
    );
    let res = b
        .post("/fn/onboarding/submit_registration", "plan=basic")
        .await;
    assert_eq!(res.header("location"), "/register/sent");
    // A second request for the same administrator waits behind the first.
    let res = register(&mut Browser::new(&app), "ada@stmarys.example", "basic").await;
    assert!(res.body.contains("already waiting"), "{}", res.body);

    // Forged, expired and used links explain themselves.
    let res = b
        .post(
            "/fn/onboarding/registration_link",
            &format!("token={}", "ab".repeat(32)),
        )
        .await;
    assert!(
        res.status == 409 && res.body.contains("not valid"),
        "{}",
        res.body
    );
    let token = token_after(
        &email(&t, "registration_verify", "ada@stmarys.example").await,
        "token=",
    );
    sqlx::query("update clinic_registrations set verify_by = now() - interval '1 minute', created_at = now() - interval '2 days'")
        .execute(&t.owner_pool)
        .await
        .unwrap();
    let res = b
        .post(
            "/fn/onboarding/confirm_registration",
            &format!("token={token}"),
        )
        .await;
    assert!(res.body.contains("expired"), "{}", res.body);
    // Expired, it no longer holds the address.
    let res = register(&mut Browser::new(&app), "ada@stmarys.example", "basic").await;
    assert_eq!(res.header("location"), "/register/sent", "{}", res.body);
    let token = token_after(
        &email(&t, "registration_verify", "ada@stmarys.example").await,
        "token=",
    );
    b.post(
        "/fn/onboarding/confirm_registration",
        &format!("token={token}"),
    )
    .await;
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from clinic_registrations where status = 'pending'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();

    let mut platform = Browser::new(&app);
    platform.sign_in("platform@hms.example").await;
    let res = platform
        .post(
            "/fn/onboarding/reject_registration",
            &format!("id={id}&reason=+"),
        )
        .await;
    assert!(res.body.contains("Say why"), "{}", res.body);
    let res = platform
        .post(
            "/fn/onboarding/reject_registration",
            "id=not-an-id&reason=x",
        )
        .await;
    assert_eq!(res.status, 404);
    let clinics = count(&t, "select count(*) from clinics").await;
    let res = platform
        .post(
            "/fn/onboarding/reject_registration",
            &format!("id={id}&reason=The+registration+number+is+not+on+the+national+register."),
        )
        .await;
    assert_eq!(
        res.header("location"),
        "/platform/registrations?rejected=1",
        "{}",
        res.body
    );
    assert!(
        email(&t, "registration_rejected", "ada@stmarys.example")
            .await
            .contains("not on the national register")
    );
    assert_eq!(count(&t, "select count(*) from clinics").await, clinics);
    let res = platform
        .post(
            "/fn/onboarding/approve_registration",
            &format!("id={id}&slug=st-marys"),
        )
        .await;
    assert_eq!(res.status, 409, "decided already");
}
