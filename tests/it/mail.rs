//! The email outbox and its sender, against a real SMTP server (aiosmtpd):
//! each message is delivered once, waits while the server is down, is never
//! sent twice by two senders or after a crash, and is closed to clinics.

use crate::common;

use std::time::Duration;

use common::smtp::{SmtpServer, free_port, header, sender_to};
use hms::domain::outbox::OutboxStatus;
use hms::domain::paging::PageRequest;
use hms::domain::role::Role;
use hms::server::mail::compose::{Letter, OutgoingEmail};
use hms::server::mail::outbox;
use hms::server::mail::sender::Pass;
use hms::server::tenancy::{self, ClinicScope};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

fn email(key: &str, clinic_id: Option<Uuid>) -> OutgoingEmail {
    let (body_text, body_html) = Letter {
        brand: "Riverside General Hospital".into(),
        greeting: "Hello Asha,".into(),
        paragraphs: vec!["You have been invited to join the nursing team.".into()],
        action: Some(("Accept".into(), format!("https://hms.example/invite/{key}"))),
        footnote: None,
    }
    .render();
    OutgoingEmail {
        idempotency_key: key.into(),
        clinic_id,
        kind: "invitation",
        to_address: "asha@riverside.example".into(),
        to_name: "Asha Patel".into(),
        subject: "Your invitation".into(),
        body_text,
        body_html,
        calendar: None,
    }
}

/// Enqueues in a transaction of its own, as a cause outside any clinic would.
async fn enqueue(pool: &PgPool, e: &OutgoingEmail) -> bool {
    let mut tx = pool.begin().await.unwrap();
    let added = outbox::enqueue(&mut tx, e).await.unwrap();
    tx.commit().await.unwrap();
    added
}

/// Reads or changes outbox rows as a superuser, bypassing row-level security.
async fn superuser(db: &str) -> PgConnection {
    PgConnection::connect(&common::url_for(db)).await.unwrap()
}

async fn status_of(db: &str, key: &str) -> (String, i32, Option<String>) {
    sqlx::query_as(
        "select status, attempts, last_error from outbox_emails where idempotency_key = $1",
    )
    .bind(key)
    .fetch_one(&mut superuser(db).await)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_message_is_delivered_once_with_both_parts_and_its_id() {
    let t = common::test_db().await;
    let smtp = SmtpServer::start();
    let sender = sender_to(&t.pool, smtp.port).await;
    assert!(enqueue(&t.pool, &email("invitation:1", None)).await);
    // The same cause again adds nothing.
    assert!(!enqueue(&t.pool, &email("invitation:1", None)).await);

    let pass = sender.deliver_due().await.unwrap();
    assert_eq!(pass.sent, 1);
    assert_eq!(sender.deliver_due().await.unwrap(), Pass::default());

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(header(m, "Subject").as_deref(), Some("Your invitation"));
    assert!(header(m, "To").unwrap().contains("asha@riverside.example"));
    assert!(header(m, "From").unwrap().contains("Riverside General"));
    assert!(m.contains("text/plain") && m.contains("text/html"), "{m}");
    assert!(m.contains("https://hms.example/invite/invitation:1"), "{m}");
    let (status, attempts, error) = status_of(&t.name, "invitation:1").await;
    assert_eq!((status.as_str(), attempts, error), ("sent", 1, None));
    let id: Uuid = sqlx::query_scalar("select id from outbox_emails")
        .fetch_one(&mut superuser(&t.name).await)
        .await
        .unwrap();
    assert_eq!(
        header(m, "Message-ID").as_deref(),
        Some(format!("<{id}@hms.example>").as_str())
    );
}

#[tokio::test]
async fn a_cause_that_rolls_back_sends_nothing() {
    let t = common::test_db().await;
    let smtp = SmtpServer::start();
    let mut tx = t.pool.begin().await.unwrap();
    outbox::enqueue(&mut tx, &email("invitation:2", None))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let pass = sender_to(&t.pool, smtp.port)
        .await
        .deliver_due()
        .await
        .unwrap();
    assert_eq!(pass, Pass::default());
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn with_the_mail_server_down_messages_wait_and_go_once_it_is_back() {
    let t = common::test_db().await;
    let port = free_port();
    let sender = sender_to(&t.pool, port).await;
    enqueue(&t.pool, &email("reset:1", None)).await;

    // Nothing listens: the attempt is counted and retried later.
    let pass = sender.deliver_due().await.unwrap();
    assert_eq!((pass.sent, pass.retrying), (0, 1));
    let (status, attempts, error) = status_of(&t.name, "reset:1").await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some());
    let wait: f64 = sqlx::query_scalar(
        "select extract(epoch from next_attempt_at - now())::float8 from outbox_emails",
    )
    .fetch_one(&mut superuser(&t.name).await)
    .await
    .unwrap();
    assert!((20.0..=31.0).contains(&wait), "next attempt in {wait} s");

    // The server comes back; the message goes when it is due, once.
    let smtp = SmtpServer::start_on(port, None);
    assert_eq!(sender.deliver_due().await.unwrap().sent, 0, "not due yet");
    sqlx::query("update outbox_emails set next_attempt_at = now()")
        .execute(&mut superuser(&t.name).await)
        .await
        .unwrap();
    assert_eq!(sender.deliver_due().await.unwrap().sent, 1);
    assert_eq!(sender.deliver_due().await.unwrap().sent, 0);
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(status_of(&t.name, "reset:1").await.0, "sent");
}

#[tokio::test]
async fn two_senders_at_once_send_each_message_once() {
    let t = common::test_db().await;
    let smtp = SmtpServer::start();
    for i in 0..30 {
        enqueue(&t.pool, &email(&format!("bulk:{i}"), None)).await;
    }
    let (a, b) = (
        sender_to(&t.pool, smtp.port).await,
        sender_to(&t.pool, smtp.port).await,
    );
    let (pa, pb) = tokio::join!(a.deliver_due(), b.deliver_due());
    let (pa, pb) = (pa.unwrap(), pb.unwrap());
    assert_eq!(pa.sent + pb.sent, 30, "{pa:?} {pb:?}");
    let mut ids = smtp.message_ids();
    assert_eq!(ids.len(), 30);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "a message arrived twice");
}

/// The guarantee after a crash: HMS sends a message at most once. The
/// attempt was cut short after the SMTP server took the message and before
/// `sent` was recorded; no sender sends it again. A platform admin sees it as
/// "delivery unknown" and may decide to send it again.
#[tokio::test]
async fn an_attempt_cut_short_by_a_crash_is_never_sent_again_by_itself() {
    let t = common::test_db().await;
    let smtp = SmtpServer::start();
    enqueue(&t.pool, &email("invitation:3", None)).await;
    let mut crashed = sender_to(&t.pool, smtp.port).await;
    crashed.lease = Duration::from_secs(1);
    let claimed = crashed.claim().await.unwrap().expect("a due message");
    crashed.deliver(&claimed).await.unwrap();
    drop(crashed); // the process dies before recording `sent`

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let restarted = sender_to(&t.pool, smtp.port).await;
    let pass = restarted.deliver_due().await.unwrap();
    assert_eq!((pass.sent, pass.unknown), (0, 1));
    assert_eq!(restarted.deliver_due().await.unwrap(), Pass::default());
    assert_eq!(smtp.messages().len(), 1);
    let (status, _, error) = status_of(&t.name, "invitation:3").await;
    assert_eq!(status, "unknown");
    assert!(error.unwrap().contains("may have been delivered"));

    // A platform admin decides to send it again.
    let mut tx = tenancy::begin_system(&t.pool, &common::scope_token())
        .await
        .unwrap();
    assert_eq!(
        outbox::retry(&mut tx, claimed.id.into()).await.unwrap(),
        Some(OutboxStatus::Unknown)
    );
    tx.commit().await.unwrap();
    assert_eq!(restarted.deliver_due().await.unwrap().sent, 1);
    assert_eq!(smtp.messages().len(), 2);
}

#[tokio::test]
async fn a_permanent_refusal_fails_at_once_and_can_be_retried_by_hand() {
    let t = common::test_db().await;
    // Refuses anything over 1,000 bytes with 552: no retry can help.
    let smtp = SmtpServer::start_on(free_port(), Some(1000));
    let sender = sender_to(&t.pool, smtp.port).await;
    let mut big = email("report:1", None);
    big.body_text = "x".repeat(5000);
    enqueue(&t.pool, &big).await;
    let pass = sender.deliver_due().await.unwrap();
    assert_eq!((pass.sent, pass.failed), (0, 1));
    let (status, attempts, error) = status_of(&t.name, "report:1").await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert!(error.unwrap().contains("552"));
    assert!(smtp.messages().is_empty());

    // Only failed or unknown messages may be retried.
    let mut tx = tenancy::begin_system(&t.pool, &common::scope_token())
        .await
        .unwrap();
    let sent_id = Uuid::now_v7();
    assert_eq!(outbox::retry(&mut tx, sent_id.into()).await.unwrap(), None);
    let id: Uuid = sqlx::query_scalar("select id from outbox_emails")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        outbox::retry(&mut tx, id.into()).await.unwrap(),
        Some(OutboxStatus::Failed)
    );
    assert_eq!(
        outbox::retry(&mut tx, id.into()).await.unwrap(),
        None,
        "now pending"
    );
    tx.commit().await.unwrap();
    assert_eq!(status_of(&t.name, "report:1").await.0, "pending");
}

#[tokio::test]
async fn clinics_may_enqueue_their_own_mail_and_read_none() {
    let t = common::test_db().await;
    let (riverside, hilltop) = common::seed_demo_clinics(&t.owner_pool, 10).await;
    let admin: Uuid =
        sqlx::query_scalar("select id from users where email = 'admin@riverside.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let scope = ClinicScope {
        clinic_id: riverside,
        user_id: admin,
        role: Role::ClinicAdmin,
    };
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    assert!(
        outbox::enqueue(&mut tx, &email("invitation:r", Some(riverside)))
            .await
            .unwrap()
    );
    let seen: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0, "a clinic reads no mail, not even its own");
    let changed = sqlx::query("update outbox_emails set subject = 'changed'")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 0);
    tx.commit().await.unwrap();

    // Mail in another clinic's name is refused by the database.
    let mut tx = tenancy::begin_clinic(&t.pool, scope).await.unwrap();
    let denied = outbox::enqueue(&mut tx, &email("invitation:h", Some(hilltop)))
        .await
        .unwrap_err();
    assert!(
        denied.to_string().contains("row-level security"),
        "{denied}"
    );
    drop(tx);

    // Without any scope, nothing is visible either; platform admins see all.
    let none: i64 = sqlx::query_scalar("select count(*) from outbox_emails")
        .fetch_one(&t.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
    let platform_admin: Uuid =
        sqlx::query_scalar("select id from users where email = 'platform@hms.example'")
            .fetch_one(&t.owner_pool)
            .await
            .unwrap();
    let mut tx = tenancy::begin_platform(&t.pool, &common::scope_token(), platform_admin)
        .await
        .unwrap();
    let page = outbox::list(&mut tx, None, PageRequest::new(1, 20))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(
        page.items[0].clinic.as_deref(),
        Some("Riverside General Hospital")
    );
    assert_eq!(page.items[0].status, OutboxStatus::Pending);
    let failed = outbox::list(&mut tx, Some(OutboxStatus::Failed), PageRequest::new(1, 20))
        .await
        .unwrap();
    assert_eq!(failed.total, 0);
}

/// Makes the message due at once again, whatever became of the last try
/// (a refusal in the clear is permanent).
async fn due_again(t: &common::TestDb) {
    sqlx::query("update outbox_emails set status = 'pending', next_attempt_at = now()")
        .execute(&mut superuser(&t.name).await)
        .await
        .unwrap();
}

/// Delivery over STARTTLS (587) and implicit TLS (465) to a server whose
/// certificate comes from the hospital's own CA (HMS_SMTP_CA_FILE); without
/// that CA the certificate is refused, and the STARTTLS server accepts no
/// mail in the clear.
#[tokio::test]
async fn mail_is_delivered_over_starttls_and_implicit_tls_and_the_certificate_is_checked() {
    use common::smtp::{ServerTls, sender_with};
    use hms::server::mail::config::{SmtpConfig, SmtpSecurity};
    for (mode, security) in [
        (ServerTls::StartTls, SmtpSecurity::StartTls),
        (ServerTls::Implicit, SmtpSecurity::Tls),
    ] {
        let t = common::test_db().await;
        let smtp = SmtpServer::start_tls(mode);
        let config = |security, roots: Option<Vec<u8>>| SmtpConfig {
            host: "localhost".into(),
            port: smtp.port,
            security,
            credentials: None,
            timeout: Duration::from_secs(5),
            extra_roots_pem: roots,
        };
        assert!(enqueue(&t.pool, &email("invitation:tls", None)).await);

        // Public roots only: the throwaway CA is unknown, nothing is sent.
        let untrusted = sender_with(&t.pool, config(security, None)).await;
        assert_eq!(untrusted.deliver_due().await.unwrap().sent, 0, "{mode:?}");
        assert!(smtp.messages().is_empty());
        let (_, _, error) = status_of(&t.name, "invitation:tls").await;
        assert!(
            error
                .as_deref()
                .unwrap_or_default()
                .to_lowercase()
                .contains("certificate"),
            "{mode:?}: {error:?}"
        );
        if mode == ServerTls::StartTls {
            // In the clear, the server wants STARTTLS first.
            due_again(&t).await;
            let plain = sender_with(&t.pool, config(SmtpSecurity::None, None)).await;
            assert_eq!(plain.deliver_due().await.unwrap().sent, 0);
            assert!(smtp.messages().is_empty(), "accepted mail without TLS");
        }

        due_again(&t).await;
        let ca = smtp.certificates().ca_pem();
        let trusted = sender_with(&t.pool, config(security, Some(ca))).await;
        let sent = trusted.deliver_due().await.unwrap().sent;
        let (status, _, error) = status_of(&t.name, "invitation:tls").await;
        assert_eq!(sent, 1, "{mode:?}: {status} {error:?}");
        let messages = smtp.messages();
        assert_eq!(messages.len(), 1, "{mode:?}");
        assert_eq!(
            header(&messages[0], "Subject").as_deref(),
            Some("Your invitation")
        );
    }
}
