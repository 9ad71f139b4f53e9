//! The invitation email, branded with the inviting clinic.

use uuid::Uuid;

use crate::domain::invitations::INVITATION_HOURS;
use crate::domain::role::Role;
use crate::server::mail::compose::{Letter, OutgoingEmail};

pub struct InvitationEmail<'a> {
    pub invitation_id: Uuid,
    /// 1 for the first sending, 2 for the first resend, …
    pub sending: i32,
    pub clinic_id: Uuid,
    pub clinic_name: &'a str,
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub role: Role,
    pub department: Option<&'a str>,
    pub invited_by: &'a str,
    pub link: String,
}

pub fn invitation(e: InvitationEmail<'_>) -> OutgoingEmail {
    if e.role == Role::Patient {
        return portal_invitation(e);
    }
    let role = e.role.label().to_lowercase();
    let place = match e.department {
        Some(d) => format!("{role} in {d}"),
        None => role,
    };
    let (body_text, body_html) = Letter {
        brand: e.clinic_name.to_string(),
        greeting: format!("Hello {},", e.to_name),
        paragraphs: vec![format!(
            "{} has invited you to join {} on HMS as {place}.",
            e.invited_by, e.clinic_name
        )],
        action: Some(("Accept the invitation".into(), e.link)),
        footnote: Some(format!(
            "The link works once, for {INVITATION_HOURS} hours. If you did not expect this email, you can ignore it."
        )),
    }
    .render();
    OutgoingEmail {
        idempotency_key: format!("invitation:{}:{}", e.invitation_id, e.sending),
        clinic_id: Some(e.clinic_id),
        kind: "invitation",
        to_address: e.to_address.to_string(),
        to_name: e.to_name.to_string(),
        subject: format!("You are invited to join {} on HMS", e.clinic_name),
        body_text,
        body_html,
        calendar: None,
    }
}

/// A patient's invitation to the portal. It names no member of staff: the
/// patient knows the clinic, not who sat at the desk.
fn portal_invitation(e: InvitationEmail<'_>) -> OutgoingEmail {
    let (body_text, body_html) = Letter {
        brand: e.clinic_name.to_string(),
        greeting: format!("Hello {},", e.to_name),
        paragraphs: vec![
            format!(
                "{} has invited you to its patient portal on HMS, where you can see your own records.",
                e.clinic_name
            ),
            "Follow the link to choose a password. You will sign in with this email address."
                .into(),
        ],
        action: Some(("Open your patient portal".into(), e.link)),
        footnote: Some(format!(
            "The link works once, for {INVITATION_HOURS} hours. If you are not a patient of {}, you can ignore this email.",
            e.clinic_name
        )),
    }
    .render();
    OutgoingEmail {
        idempotency_key: format!("invitation:{}:{}", e.invitation_id, e.sending),
        clinic_id: Some(e.clinic_id),
        kind: "portal_invitation",
        to_address: e.to_address.to_string(),
        to_name: e.to_name.to_string(),
        subject: format!("Your patient portal at {}", e.clinic_name),
        body_text,
        body_html,
        calendar: None,
    }
}
