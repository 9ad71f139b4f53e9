//! Staff invitations through the server functions the pages call: a clinic
//! admin invites, the email reaches a real SMTP server, the person follows
//! its link, chooses a password and is signed in; and every bad invitation
//! or link is refused, audited where it concerns security, and changes
//! nothing.

use crate::common;

use common::smtp::SmtpServer;
use common::{Browser, app, newest_token_to, seed_demo_clinics, test_db, token_in};
use sqlx::{Connection, PgConnection};

const PASSWORD: &str = "lantern orchard pebble";

fn invite_body(email: &str, role: &str, department: &str) -> String {
    format!(
        "slug=riverside&invitation%5Bemail%5D={}&invitation%5Bdisplay_name%5D=Asha+Patel\
         &invitation%5Brole%5D={role}&invitation%5Bdepartment%5D={department}",
        email.replace('@', "%40")
    )
}

async fn count(db: &str, sql: &str) -> i64 {
    let mut su = PgConnection::connect(&common::url_for(db)).await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut su)
        .await
        .unwrap()
}

async fn general_medicine(db: &str, clinic: &str) -> String {
    let mut su = PgConnection::connect(&common::url_for(db)).await.unwrap();
    sqlx::query_scalar::<_, uuid::Uuid>(
        "select d.id from departments d join clinics c on c.id = d.clinic_id
         where c.slug = $1 and d.code = 'GEN'",
    )
    .bind(clinic)
    .fetch_one(&mut su)
    .await
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn an_invited_receptionist_follows_the_emailed_link_and_lands_signed_in() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/invitations/invite_staff",
            &invite_body("asha@riverside.example", "receptionist", ""),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);

    // The email goes through a real SMTP server, branded with the clinic.
    let smtp = SmtpServer::start();
    let sender = common::smtp::sender_to(&t.pool, smtp.port).await;
    assert_eq!(sender.deliver_due().await.unwrap().sent, 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let mail = &common::smtp::readable(&messages[0]);
    assert!(mail.contains("Riverside General Hospital"), "{mail}");
    assert!(
        mail.contains("http://127.0.0.1:3000/invitation?token="),
        "{mail}"
    );
    let token = token_in(mail);

    let mut asha = Browser::new(&app);
    let details = asha
        .post(
            "/fn/invitations/invitation_details",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(details.status, 200, "{}", details.body);
    assert!(details.body.contains("\"existing_account\":false"));
    let res = asha
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password={PASSWORD}&confirm={PASSWORD}").replace(' ', "+"),
        )
        .await;
    assert!(res.status < 400, "{}: {}", res.status, res.body);
    let dashboard = asha.get("/c/riverside/reception").await;
    assert_eq!(dashboard.status, 200, "signed in as the receptionist");
    assert_eq!(
        count(
            &t.name,
            "select count(*) from memberships m join users u on u.id = m.user_id
             where u.email = 'asha@riverside.example' and m.role = 'receptionist' and m.active"
        )
        .await,
        1
    );
    // The link works once.
    let again = Browser::new(&app)
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password={PASSWORD}&confirm={PASSWORD}").replace(' ', "+"),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("already been used"), "{}", again.body);
    // Invitation, membership and the refused reuse are in the clinic's trail.
    assert_eq!(
        count(
            &t.name,
            "select count(*) from audit_events
             where (entity_type = 'invitation' and action in ('CREATE', 'ACCESS_DENIED'))
                or (entity_type = 'membership' and action = 'CREATE')"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn bad_invitations_are_refused_with_a_message_by_the_field_and_write_nothing() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let hilltop_dept = general_medicine(&t.name, "hilltop").await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    // One invitation already waiting.
    let first = admin
        .post(
            "/fn/invitations/invite_staff",
            &invite_body("waiting@riverside.example", "nurse", ""),
        )
        .await;
    assert!(first.status < 400, "{}", first.body);
    let before = (
        count(&t.name, "select count(*) from invitations").await,
        count(&t.name, "select count(*) from outbox_emails").await,
    );
    for (body, field, says) in [
        (
            invite_body("not-an-email", "nurse", ""),
            "email",
            "email address like",
        ),
        (
            invite_body("x@riverside.example", "platform_admin", ""),
            "role",
            "cannot give that role",
        ),
        (
            invite_body("x@riverside.example", "patient", ""),
            "role",
            "cannot give that role",
        ),
        (
            invite_body("x@riverside.example", "doctor", ""),
            "department",
            "department this doctor",
        ),
        (
            invite_body("x@riverside.example", "nurse", &hilltop_dept),
            "department",
            "department of this clinic",
        ),
        (
            invite_body(
                "nurse@riverside.example",
                "doctor",
                &general_medicine(&t.name, "riverside").await,
            ),
            "email",
            "already works in this clinic",
        ),
        (
            invite_body("WAITING@riverside.example", "nurse", ""),
            "email",
            "already waiting",
        ),
        (
            invite_body(&format!("{}@x.org", "a".repeat(260)), "nurse", ""),
            "email",
            "too long",
        ),
    ] {
        let res = admin.post("/fn/invitations/invite_staff", &body).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        assert!(
            res.body.contains(field) && res.body.contains(says),
            "{body}: {}",
            res.body
        );
    }
    // Another role, another clinic, nobody signed in.
    let mut reception = Browser::new(&app);
    reception.sign_in("reception@riverside.example").await;
    let body = invite_body("x@riverside.example", "nurse", "");
    assert_eq!(
        reception
            .post("/fn/invitations/invite_staff", &body)
            .await
            .status,
        403
    );
    let hilltop_body = body.replace("slug=riverside", "slug=hilltop");
    assert_eq!(
        admin
            .post("/fn/invitations/invite_staff", &hilltop_body)
            .await
            .status,
        404
    );
    assert_eq!(
        Browser::new(&app)
            .post("/fn/invitations/invite_staff", &body)
            .await
            .status,
        401
    );
    assert_eq!(
        before,
        (
            count(&t.name, "select count(*) from invitations").await,
            count(&t.name, "select count(*) from outbox_emails").await,
        )
    );
}

#[tokio::test]
async fn forged_expired_withdrawn_and_replaced_links_do_not_work() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    for who in ["late", "withdrawn", "resent"] {
        let res = admin
            .post(
                "/fn/invitations/invite_staff",
                &invite_body(&format!("{who}@riverside.example"), "nurse", ""),
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
    }
    let users_before = count(&t.name, "select count(*) from users").await;
    let accept = |token: String| {
        let app = app.clone();
        async move {
            Browser::new(&app)
                .post(
                    "/fn/invitations/accept_invitation",
                    &format!("token={token}&password={PASSWORD}&confirm={PASSWORD}")
                        .replace(' ', "+"),
                )
                .await
        }
    };

    for forged in ["0".repeat(64), "not-a-token".to_string(), String::new()] {
        let res = accept(forged.clone()).await;
        assert_eq!(res.status, 409, "{forged}: {}", res.body);
        assert!(res.body.contains("not valid"), "{}", res.body);
    }

    let late = newest_token_to(&t.name, "late@riverside.example").await;
    let mut su = PgConnection::connect(&common::url_for(&t.name))
        .await
        .unwrap();
    sqlx::query("update invitations set expires_at = now() - interval '1 minute' where email = 'late@riverside.example'")
        .execute(&mut su)
        .await
        .unwrap();
    let res = accept(late).await;
    assert!(
        res.status == 409 && res.body.contains("expired"),
        "{}",
        res.body
    );

    let withdrawn = newest_token_to(&t.name, "withdrawn@riverside.example").await;
    let id: uuid::Uuid = sqlx::query_scalar(
        "select id from invitations where email = 'withdrawn@riverside.example'",
    )
    .fetch_one(&mut su)
    .await
    .unwrap();
    let res = admin
        .post(
            "/fn/invitations/revoke_invitation",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = accept(withdrawn).await;
    assert!(
        res.status == 409 && res.body.contains("withdrawn"),
        "{}",
        res.body
    );
    // Withdrawing twice, or resending a withdrawn one, says why.
    let res = admin
        .post(
            "/fn/invitations/revoke_invitation",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);

    let old = newest_token_to(&t.name, "resent@riverside.example").await;
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from invitations where email = 'resent@riverside.example'")
            .fetch_one(&mut su)
            .await
            .unwrap();
    let res = admin
        .post(
            "/fn/invitations/resend_invitation",
            &format!("slug=riverside&id={id}"),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let new = newest_token_to(&t.name, "resent@riverside.example").await;
    assert_ne!(old, new);
    assert_eq!(
        count(
            &t.name,
            "select count(*) from outbox_emails where to_address = 'resent@riverside.example'"
        )
        .await,
        2
    );
    let res = accept(old).await;
    assert!(
        res.status == 409 && res.body.contains("not valid"),
        "{}",
        res.body
    );
    assert_eq!(
        count(&t.name, "select count(*) from users").await,
        users_before,
        "nothing was created"
    );
    let res = accept(new).await;
    assert!(res.status < 400, "{}", res.body);

    let refusals = count(
        &t.name,
        "select count(*) from audit_events where action = 'ACCESS_DENIED' and entity_type = 'invitation'",
    )
    .await;
    assert_eq!(refusals, 6, "three forged, expired, withdrawn, replaced");
}

#[tokio::test]
async fn weak_or_mismatched_passwords_and_accounts_elsewhere() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 20).await;
    let app = app(t.pool.clone());
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    for email in ["new@riverside.example", "doctor@hilltop.example"] {
        let res = admin
            .post(
                "/fn/invitations/invite_staff",
                &invite_body(email, "nurse", ""),
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
    }
    let users_before = count(&t.name, "select count(*) from users").await;
    let token = newest_token_to(&t.name, "new@riverside.example").await;
    let mut person = Browser::new(&app);
    for (password, confirm, field) in [
        ("short", "short", "password"),
        ("password123456", "password123456", "password"),
        (PASSWORD, "something else entirely", "confirm"),
    ] {
        let body = format!("token={token}&password={password}&confirm={confirm}").replace(' ', "+");
        let res = person
            .post("/fn/invitations/accept_invitation", &body)
            .await;
        assert_eq!(res.status, 422, "{password}: {}", res.body);
        assert!(res.body.contains(field), "{}", res.body);
    }
    assert_eq!(
        count(&t.name, "select count(*) from users").await,
        users_before
    );

    // Hilltop's doctor has an account: they confirm with its password.
    let token = newest_token_to(&t.name, "doctor@hilltop.example").await;
    let details = person
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
    let wrong = person
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password=not+my+password&confirm="),
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let right = person
        .post(
            "/fn/invitations/accept_invitation",
            &format!("token={token}&password=hms-demo-password&confirm="),
        )
        .await;
    assert!(right.status < 400, "{}", right.body);
    assert_eq!(
        count(&t.name, "select count(*) from users").await,
        users_before
    );
    assert_eq!(
        count(
            &t.name,
            "select count(*) from memberships m join users u on u.id = m.user_id
             where u.email = 'doctor@hilltop.example'"
        )
        .await,
        2,
        "a nurse at riverside and still a doctor at hilltop"
    );
}

#[tokio::test]
async fn guessing_an_accounts_password_through_an_invitation_is_throttled() {
    let t = test_db().await;
    seed_demo_clinics(&t.owner_pool, 10).await;
    let app = common::app_with(
        t.pool.clone(),
        common::test_config(&[("HMS_SIGN_IN_ATTEMPTS_PER_ACCOUNT", "3")]),
    );
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@riverside.example").await;
    let res = admin
        .post(
            "/fn/invitations/invite_staff",
            &invite_body("doctor@hilltop.example", "nurse", ""),
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let token = newest_token_to(&t.name, "doctor@hilltop.example").await;
    let mut guesser = Browser::new(&app);
    let mut statuses = Vec::new();
    for guess in ["guess+one", "guess+two", "guess+three", "hms-demo-password"] {
        let res = guesser
            .post(
                "/fn/invitations/accept_invitation",
                &format!("token={token}&password={guess}&confirm="),
            )
            .await;
        statuses.push(res.status);
    }
    assert_eq!(
        statuses,
        [422, 422, 422, 429],
        "even the right password waits"
    );
}
