//! Writing a message: the same words as plain text and as HTML, branded with
//! the clinic that sends it, and turned into the MIME message delivered.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use uuid::Uuid;

use super::outbox::ClaimedEmail;

/// A message to enqueue (see [`super::outbox::enqueue`]).
#[derive(Clone, Debug)]
pub struct OutgoingEmail {
    /// One message per cause, e.g. `invitation:<id>`: enqueueing it twice
    /// sends it once.
    pub idempotency_key: String,
    pub clinic_id: Option<Uuid>,
    /// What it is for (`invitation`, `password_reset`, …), shown in the outbox.
    pub kind: &'static str,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// An iCalendar file attached as `appointment.ics` (an appointment's
    /// letters), or none.
    pub calendar: Option<String>,
}

/// The words of a message; [`Letter::render`] lays them out.
#[derive(Clone, Debug)]
pub struct Letter {
    /// Who it is from, as people know them: the clinic's name, or "HMS".
    pub brand: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// The one thing to do: a button in HTML, the bare link in text.
    pub action: Option<(String, String)>,
    /// Small print under the action, e.g. when a link expires.
    pub footnote: Option<String>,
}

impl Letter {
    /// (plain text, HTML). Everything given is escaped for HTML.
    pub fn render(&self) -> (String, String) {
        let mut text = format!("{}\n\n", self.greeting);
        let mut html = format!(
            "<!doctype html><html><body style=\"margin:0;padding:24px;background:#f1f5f9;\
             font-family:system-ui,sans-serif;color:#0f172a\">\
             <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:24px\">\
             <p style=\"margin:0 0 16px;font-weight:700;color:#115e59\">{brand}</p>\
             <p>{greeting}</p>",
            brand = escape(&self.brand),
            greeting = escape(&self.greeting),
        );
        for p in &self.paragraphs {
            text.push_str(p);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(p)));
        }
        if let Some((label, url)) = &self.action {
            text.push_str(&format!("{label}: {url}\n\n"));
            html.push_str(&format!(
                "<p style=\"margin:24px 0\"><a href=\"{url}\" style=\"display:inline-block;\
                 background:#115e59;color:#fff;padding:12px 20px;border-radius:8px;\
                 text-decoration:none;font-weight:600\">{label}</a></p>\
                 <p style=\"font-size:13px;color:#475569\">Or open this link: {url}</p>",
                url = escape(url),
                label = escape(label),
            ));
        }
        if let Some(note) = &self.footnote {
            text.push_str(note);
            text.push_str("\n\n");
            html.push_str(&format!(
                "<p style=\"font-size:13px;color:#475569\">{}</p>",
                escape(note)
            ));
        }
        text.push_str(&format!("— {}\n", self.brand));
        html.push_str("</div></body></html>");
        (text, html)
    }
}

/// The MIME message for an outbox row. Its Message-ID comes from the row's
/// id, so a copy that SMTP delivers twice carries the same id both times.
/// A calendar goes beside the two bodies as an `.ics` attachment.
pub fn mime_message(from: &Mailbox, email: &ClaimedEmail) -> Result<Message, String> {
    let to_email = email
        .to_address
        .parse()
        .map_err(|_| format!("{:?} is not a deliverable address", email.to_address))?;
    let name = (!email.to_name.trim().is_empty()).then(|| email.to_name.clone());
    let bodies =
        MultiPart::alternative_plain_html(email.body_text.clone(), email.body_html.clone());
    let body = match &email.calendar {
        None => bodies,
        Some(ics) => {
            let kind = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                .map_err(|e| format!("the calendar type could not be built: {e}"))?;
            MultiPart::mixed()
                .multipart(bodies)
                .singlepart(Attachment::new("appointment.ics".into()).body(ics.clone(), kind))
        }
    };
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(name, to_email))
        .subject(&email.subject)
        .message_id(Some(format!("<{}@{}>", email.id, from.email.domain())))
        .multipart(body)
        .map_err(|e| format!("the message could not be built: {e}"))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            brand: "Riverside <General>".into(),
            greeting: "Hello Asha,".into(),
            paragraphs: vec!["You are invited to join \"Riverside\" as a nurse.".into()],
            action: Some((
                "Accept the invitation".into(),
                "https://hms.example/invite?t=a&b=1".into(),
            )),
            footnote: Some("The link works for 72 hours.".into()),
        }
    }

    #[test]
    fn both_parts_carry_the_words_and_the_link() {
        let (text, html) = letter().render();
        for part in [&text, &html] {
            assert!(part.contains("Hello Asha,"), "{part}");
            assert!(part.contains("72 hours"), "{part}");
        }
        assert!(text.contains("Accept the invitation: https://hms.example/invite?t=a&b=1"));
        assert!(text.ends_with("— Riverside <General>\n"));
        assert!(html.contains("href=\"https://hms.example/invite?t=a&amp;b=1\""));
    }

    #[test]
    fn html_escapes_what_it_is_given() {
        let (_, html) = letter().render();
        assert!(html.contains("Riverside &lt;General&gt;"));
        assert!(html.contains("&quot;Riverside&quot;"));
        assert!(!html.contains("<General>"));
    }

    fn claimed(to: &str, calendar: Option<&str>) -> ClaimedEmail {
        let (body_text, body_html) = letter().render();
        ClaimedEmail {
            id: Uuid::now_v7(),
            to_address: to.into(),
            to_name: "Asha".into(),
            subject: "Hi".into(),
            body_text,
            body_html,
            calendar: calendar.map(String::from),
            attempts: 1,
        }
    }

    #[test]
    fn the_message_id_is_the_outbox_id() {
        let from: Mailbox = "HMS <no-reply@hms.example>".parse().unwrap();
        let email = claimed("asha@riverside.example", None);
        let raw = String::from_utf8(mime_message(&from, &email).unwrap().formatted()).unwrap();
        assert!(
            raw.contains(&format!("Message-ID: <{}@hms.example>", email.id)),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"));
        assert!(!raw.contains("text/calendar"));
        assert!(mime_message(&from, &claimed("not an address", None)).is_err());
    }

    #[test]
    fn a_calendar_is_attached_beside_the_two_bodies() {
        let from: Mailbox = "HMS <no-reply@hms.example>".parse().unwrap();
        let ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
        let email = claimed("asha@riverside.example", Some(ics));
        let raw = String::from_utf8(mime_message(&from, &email).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/mixed"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(
            raw.contains("text/calendar; charset=utf-8; method=PUBLISH"),
            "{raw}"
        );
        assert!(raw.contains("filename=\"appointment.ics\""), "{raw}");
    }
}
