//! The emails of a hospital's registration: confirming the admin address,
//! telling platform admins a request waits, and a refusal with its reason.
//! (Approval sends the first admin's invitation, the usual invitation email.)

use uuid::Uuid;

use crate::domain::onboarding::VERIFY_HOURS;
use crate::server::mail::compose::{Letter, OutgoingEmail};

fn email(
    key: String,
    kind: &'static str,
    to: &str,
    name: &str,
    subject: String,
    letter: Letter,
) -> OutgoingEmail {
    let (body_text, body_html) = letter.render();
    OutgoingEmail {
        idempotency_key: key,
        clinic_id: None,
        kind,
        to_address: to.to_owned(),
        to_name: name.to_owned(),
        subject,
        body_text,
        body_html,
        calendar: None,
    }
}

pub fn confirm_address(
    id: Uuid,
    to: &str,
    name: &str,
    hospital: &str,
    link: String,
) -> OutgoingEmail {
    email(
        format!("registration_verify:{id}"),
        "registration_verify",
        to,
        name,
        format!("Confirm the registration of {hospital}"),
        Letter {
            brand: "HMS".into(),
            greeting: format!("Hello {name},"),
            paragraphs: vec![format!(
                "You asked to register {hospital} on HMS, with yourself as its first administrator. Confirm this address to send the request to our team:"
            )],
            action: Some(("Confirm my email address".into(), link)),
            footnote: Some(format!(
                "The link works once, for {VERIFY_HOURS} hours. If you did not ask for this, ignore this email and nothing happens."
            )),
        },
    )
}

pub fn waiting(id: Uuid, to: &str, name: &str, hospital: &str, link: String) -> OutgoingEmail {
    email(
        format!("registration_pending:{id}:{to}"),
        "registration_pending",
        to,
        name,
        format!("{hospital} asks to join HMS"),
        Letter {
            brand: "HMS".into(),
            greeting: format!("Hello {name},"),
            paragraphs: vec![format!(
                "{hospital} registered and confirmed its administrator's address. The request waits for a platform admin's decision."
            )],
            action: Some(("Review registrations".into(), link)),
            footnote: None,
        },
    )
}

pub fn rejected(id: Uuid, to: &str, name: &str, hospital: &str, reason: &str) -> OutgoingEmail {
    email(
        format!("registration_rejected:{id}"),
        "registration_rejected",
        to,
        name,
        format!("The registration of {hospital} was not accepted"),
        Letter {
            brand: "HMS".into(),
            greeting: format!("Hello {name},"),
            paragraphs: vec![
                format!(
                    "We looked at the registration of {hospital} and could not accept it, for this reason:"
                ),
                reason.to_owned(),
                "You are welcome to register again once this is resolved.".into(),
            ],
            action: None,
            footnote: None,
        },
    )
}
