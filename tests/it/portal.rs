//! Patient portal invitations through the server functions the record page
//! and the invitation page call: reception invites a patient from their
//! record, the email reaches a real SMTP server, the patient chooses a
//! password and sees their own record and nothing else; every bad or
//! unauthorised request is refused and writes nothing.

use crate::common;

use common::smtp::SmtpServer;
use common::{Browser, TestDb, count, demo_app, newest_token_to, token_in};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

const PASSWORD: &str = "lantern orchard pebble";

/// A Riverside patient without portal access (the `n`th), given this email
/// on record.
async fn patient_with_email(t: &TestDb, n: i64, email: &str) -> Uuid {
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query_scalar(
        "update patients set email = $1
         where id = (select p.id from patients p join clinics c on c.id = p.clinic_id
                     where c.slug = 'riverside' and p.user_id is null
                     order by p.patient_number offset $2 limit 1)
         returning id",
    )
    .bind(email)
    .bind(n)
    .fetch_one(&mut su)
    .await
    .unwrap()
}

async fn patient_of(t: &TestDb, sql: &str) -> Uuid {
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut su)
        .await
        .unwrap()
}

fn invite(id: Uuid, email: &str) -> String {
    format!(
        "slug=riverside&id={id}&email={}",
        email.replace('@', "%40").replace(' ', "+")
    )
}

/// Invitations, emails and CREATE events, to show a refusal wrote nothing.
async fn written(t: &TestDb) -> (i64, i64, i64) {
    (
        count(t, "select count(*) from invitations").await,
        count(t, "select count(*) from outbox_emails").await,
        count(
            t,
            "select count(*) from audit_events where action = 'CREATE'",
        )
        .await,
    )
}

fn accept_body(token: &str) -> String {
    format!("token={token}&password={PASSWORD}&confirm={PASSWORD}").replace(' ', "+")
}

#[tokio::test]
async fn reception_invites_a_patient_who_chooses_a_password_and_sees_only_their_own_record() {
    let (t, app) = demo_app().await;
    let maya = patient_with_email(&t, 0, "maya.shah@example.org").await;
    // The longest names a record may hold still fit an invitation.
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query("update patients set given_name = repeat('M', 100), family_name = repeat('S', 100) where id = $1")
        .bind(maya)
        .execute(&mut su)
        .await
        .unwrap();
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let card = desk
        .post(
            "/fn/portal/patient_portal",
            &format!("slug=riverside&id={maya}"),
        )
        .await;
    assert_eq!(card.status, 200, "{}", card.body);
    assert!(card.body.contains("\"NotInvited\""), "{}", card.body);
    assert!(
        card.body
            .contains("\"record_email\":\"maya.shah@example.org\"")
    );
    assert!(card.body.contains("\"can_invite\":true"));

    let res = desk
        .post(
            "/fn/portal/invite_to_portal",
            &invite(maya, " Maya.Shah@Example.org "),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);
    let card = desk
        .post(
            "/fn/portal/patient_portal",
            &format!("slug=riverside&id={maya}"),
        )
        .await;
    assert!(card.body.contains("\"Invited\""), "{}", card.body);
    // When it was sent and until when it works: in the clinic's time zone.
    assert_eq!(
        card.body.matches("\"zone\":\"Europe/London\"").count(),
        2,
        "{}",
        card.body
    );
    assert!(
        card.body.contains("Priya Nair"),
        "who sent it: {}",
        card.body
    );

    // Other staff see where it stands but cannot act on it.
    let mut nurse = Browser::new(&app);
    nurse.sign_in("nurse@riverside.example").await;
    let seen = nurse
        .post(
            "/fn/portal/patient_portal",
            &format!("slug=riverside&id={maya}"),
        )
        .await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("\"can_invite\":false"), "{}", seen.body);

    // The email goes through a real SMTP server, as the clinic, naming no one.
    let smtp = SmtpServer::start();
    let sender = common::smtp::sender_to(&t.pool, smtp.port).await;
    assert_eq!(sender.deliver_due().await.unwrap().sent, 1);
    let mail = common::smtp::readable(&smtp.messages()[0]);
    assert!(
        mail.contains("Your patient portal at Riverside General Hospital"),
        "{mail}"
    );
    assert!(mail.contains("see your own records"), "{mail}");
    assert!(!mail.contains("Priya Nair"), "{mail}");
    let token = &token_in(&mail);

    let mut patient = Browser::new(&app);
    let details = patient
        .post(
            "/fn/invitations/invitation_details",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(details.status, 200, "{}", details.body);
    assert!(
        details.body.contains("\"role\":\"Patient\""),
        "{}",
        details.body
    );
    assert!(details.body.contains("\"sso\":null"), "{}", details.body);
    assert!(details.body.contains("\"existing_account\":false"));
    let res = patient
        .post("/fn/invitations/accept_invitation", &accept_body(token))
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);
    assert_eq!(patient.get("/c/riverside/my-records").await.status, 200);
    let mine = patient
        .post("/fn/portal/my_records", "slug=riverside")
        .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(mine.body.contains(&maya.to_string()), "{}", mine.body);

    // Nothing of anyone else's, whatever they ask for.
    let other = patient_of(
        &t,
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = 'riverside' and p.user_id is null limit 1",
    )
    .await;
    for (uri, body) in [
        (
            "/fn/patients/patient_record",
            format!("slug=riverside&id={other}"),
        ),
        (
            "/fn/patients/patient_record",
            format!("slug=riverside&id={maya}"),
        ),
        (
            "/fn/patients/search_patients",
            "slug=riverside&q=&page=1".to_string(),
        ),
        (
            "/fn/portal/patient_portal",
            format!("slug=riverside&id={maya}"),
        ),
        (
            "/fn/portal/invite_to_portal",
            invite(other, "x@example.org"),
        ),
        (
            "/fn/invitations/clinic_invitations",
            "slug=riverside&page=1".to_string(),
        ),
    ] {
        let res = patient.post(uri, &body).await;
        assert_eq!(res.status, 403, "{uri}: {}", res.body);
    }
    assert_eq!(
        patient
            .post("/fn/portal/my_records", "slug=hilltop")
            .await
            .status,
        404
    );

    let card = desk
        .post(
            "/fn/portal/patient_portal",
            &format!("slug=riverside&id={maya}"),
        )
        .await;
    assert!(
        card.body.contains("\"Active\"") && card.body.contains("maya.shah@example.org"),
        "{}",
        card.body
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from memberships m join users u on u.id = m.user_id
             where u.email = 'maya.shah@example.org' and m.role = 'patient' and m.active"
        )
        .await,
        1
    );
    // Invitation and membership are in the clinic's trail, naming the record.
    assert_eq!(
        count(
            &t,
            &format!(
                "select count(*) from audit_events
                 where after_value->>'patient_id' = '{maya}'
                   and entity_type in ('invitation', 'membership') and action = 'CREATE'"
            )
        )
        .await,
        2
    );
    let again = Browser::new(&app)
        .post("/fn/invitations/accept_invitation", &accept_body(token))
        .await;
    assert_eq!(again.status, 409, "the link works once: {}", again.body);
}

#[tokio::test]
async fn bad_or_unauthorised_invitations_are_refused_by_the_field_and_write_nothing() {
    let (t, app) = demo_app().await;
    let maya = patient_with_email(&t, 0, "maya@example.org").await;
    let omar = patient_with_email(&t, 1, "omar@example.org").await;
    let linked = patient_of(
        &t,
        "select p.id from patients p join users u on u.id = p.user_id
         where u.email = 'patient@riverside.example'",
    )
    .await;
    let hilltop = patient_of(
        &t,
        "select p.id from patients p join clinics c on c.id = p.clinic_id
         where c.slug = 'hilltop' limit 1",
    )
    .await;
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let first = desk
        .post(
            "/fn/portal/invite_to_portal",
            &invite(maya, "maya@example.org"),
        )
        .await;
    assert!(first.status < 400, "{}", first.body);
    let before = written(&t).await;

    for (body, status, says) in [
        (invite(omar, ""), 422, "Enter the patient's email address."),
        (
            invite(omar, "   "),
            422,
            "Enter the patient's email address.",
        ),
        (invite(omar, "omar"), 422, "Enter an email address like"),
        (
            invite(omar, "omar@example"),
            422,
            "Enter an email address like",
        ),
        (
            invite(omar, &format!("{}@example.org", "o".repeat(300))),
            422,
            "too long",
        ),
        // The address already opens another record here.
        (
            invite(omar, "patient@riverside.example"),
            422,
            "already opens another patient's record",
        ),
        // Or is invited to another record.
        (
            invite(omar, "MAYA@example.org"),
            422,
            "waiting for another patient's record",
        ),
        (invite(maya, "maya@example.org"), 409, "already waiting"),
        (
            invite(linked, "new@example.org"),
            409,
            "already has portal access",
        ),
        (invite(hilltop, "x@example.org"), 404, ""),
        (invite(Uuid::nil(), "x@example.org"), 404, ""),
        (
            "slug=riverside&id=not-an-id&email=x%40example.org".to_string(),
            404,
            "",
        ),
        (
            invite(hilltop, "x@example.org").replace("slug=riverside", "slug=hilltop"),
            404,
            "",
        ),
    ] {
        let res = desk.post("/fn/portal/invite_to_portal", &body).await;
        assert_eq!(res.status, status, "{body}: {}", res.body);
        assert!(res.body.contains(says), "{body}: {}", res.body);
        if status == 422 {
            assert!(res.body.contains("\"email\""), "by the field: {}", res.body);
        }
    }
    // Only reception invites; nobody signed in is asked to.
    for who in [
        "nurse@riverside.example",
        "doctor@riverside.example",
        "admin@riverside.example",
        "lab@riverside.example",
        "patient@riverside.example",
    ] {
        let mut b = Browser::new(&app);
        b.sign_in(who).await;
        let res = b
            .post(
                "/fn/portal/invite_to_portal",
                &invite(omar, "omar@example.org"),
            )
            .await;
        assert_eq!(res.status, 403, "{who}: {}", res.body);
    }
    let res = Browser::new(&app)
        .post(
            "/fn/portal/invite_to_portal",
            &invite(omar, "omar@example.org"),
        )
        .await;
    assert_eq!(res.status, 401);
    // Internal errors never reach the client.
    let oversized = invite(omar, &"o".repeat(100_000));
    let res = desk.post("/fn/portal/invite_to_portal", &oversized).await;
    assert!(res.status == 422 || res.status == 413, "{}", res.status);
    assert!(!res.body.contains("sqlx") && !res.body.contains("constraint"));
    assert_eq!(written(&t).await, before, "nothing was written");
}

#[tokio::test]
async fn reception_sends_again_and_withdraws_and_old_links_stop_working() {
    let (t, app) = demo_app().await;
    let maya = patient_with_email(&t, 0, "maya@example.org").await;
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let record = format!("slug=riverside&id={maya}");
    // Nothing to send again or withdraw yet.
    for uri in [
        "/fn/portal/resend_portal_invitation",
        "/fn/portal/withdraw_portal_invitation",
    ] {
        let res = desk.post(uri, &record).await;
        assert_eq!(res.status, 409, "{uri}: {}", res.body);
        assert!(
            res.body.contains("No invitation is waiting"),
            "{}",
            res.body
        );
    }
    let res = desk
        .post(
            "/fn/portal/invite_to_portal",
            &invite(maya, "maya@example.org"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let old = newest_token_to(&t.name, "maya@example.org").await;
    let res = desk
        .post("/fn/portal/resend_portal_invitation", &record)
        .await;
    assert!(res.status < 400, "{}", res.body);
    let new = newest_token_to(&t.name, "maya@example.org").await;
    assert_ne!(old, new);
    let res = Browser::new(&app)
        .post("/fn/invitations/accept_invitation", &accept_body(&old))
        .await;
    assert!(
        res.status == 409 && res.body.contains("not valid"),
        "{}",
        res.body
    );

    // The admin's staff pages neither list nor touch a patient's invitation.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let list = admin
        .post(
            "/fn/invitations/clinic_invitations",
            "slug=riverside&page=1",
        )
        .await;
    assert!(!list.body.contains("maya@example.org"), "{}", list.body);
    let id = patient_of(
        &t,
        "select id from invitations where email = 'maya@example.org'",
    )
    .await;
    for uri in [
        "/fn/invitations/resend_invitation",
        "/fn/invitations/revoke_invitation",
    ] {
        let res = admin.post(uri, &format!("slug=riverside&id={id}")).await;
        assert_eq!(res.status, 404, "{uri}: {}", res.body);
    }
    let mut doctor = Browser::new(&app);
    doctor.sign_in("doctor@riverside.example").await;
    assert_eq!(
        doctor
            .post("/fn/portal/withdraw_portal_invitation", &record)
            .await
            .status,
        403
    );

    let res = desk
        .post("/fn/portal/withdraw_portal_invitation", &record)
        .await;
    assert!(res.status < 400, "{}", res.body);
    let res = Browser::new(&app)
        .post("/fn/invitations/accept_invitation", &accept_body(&new))
        .await;
    assert!(
        res.status == 409 && res.body.contains("withdrawn"),
        "{}",
        res.body
    );
    let res = desk
        .post("/fn/portal/withdraw_portal_invitation", &record)
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    let card = desk.post("/fn/portal/patient_portal", &record).await;
    assert!(card.body.contains("\"NotInvited\""), "{}", card.body);
    // A withdrawn invitation does not stand in the way of a new one.
    let res = desk
        .post(
            "/fn/portal/invite_to_portal",
            &invite(maya, "maya@example.org"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from outbox_emails where to_address = 'maya@example.org'"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn someone_with_an_hms_account_confirms_it_and_keeps_their_staff_role() {
    let (t, app) = demo_app().await;
    // The clinic's nurse is also its patient.
    let record = patient_with_email(&t, 0, "nurse@riverside.example").await;
    let mut desk = Browser::new(&app);
    desk.sign_in("reception@riverside.example").await;
    let res = desk
        .post(
            "/fn/portal/invite_to_portal",
            &invite(record, "nurse@riverside.example"),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let token = newest_token_to(&t.name, "nurse@riverside.example").await;
    let mut nurse = Browser::new(&app);
    let details = nurse
        .post(
            "/fn/invitations/invitation_details",
            &format!("token={token}"),
        )
        .await;
    assert!(
        details.body.contains("\"existing_account\":true"),
        "{}",
        details.body
    );
    let wrong = nurse
        .post("/fn/invitations/accept_invitation", &accept_body(&token))
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let right = nurse
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password=hms-demo-password&confirm="),
        )
        .await;
    assert!(right.status < 400, "{}", right.body);
    assert_eq!(
        count(
            &t,
            "select count(*) from memberships m join users u on u.id = m.user_id
             where u.email = 'nurse@riverside.example' and m.active"
        )
        .await,
        2,
        "nurse and patient"
    );
    // Being a patient does not make someone staff, nor stop them becoming staff.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/invitations/invite_staff",
            "slug=riverside&invitation%5Bemail%5D=patient%40riverside.example\
             &invitation%5Bdisplay_name%5D=Pat&invitation%5Brole%5D=receptionist\
             &invitation%5Bdepartment%5D=",
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
}
