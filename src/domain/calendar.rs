//! iCalendar (RFC 5545) text: the `.ics` attached to appointment emails,
//! so a patient's calendar holds the booking, follows a move (the same UID
//! with a higher SEQUENCE) and drops a cancellation (STATUS:CANCELLED).
//!
//! Times are written in UTC (`...Z`): every calendar shows them in its own
//! zone, and no VTIMEZONE block has to describe the clinic's rules.

use chrono::{DateTime, Utc};

/// One event of a calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across moves and cancellation: calendars match on it.
    pub uid: String,
    /// Raised by each change after the first version.
    pub sequence: i32,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub cancelled: bool,
}

/// The calendar holding `events`, written at `stamp`. `name` labels a
/// subscribed feed in calendar apps.
pub fn ics(events: &[CalendarEvent], name: Option<&str>, stamp: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//HMS//Appointments//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    if let Some(name) = name {
        lines.push(format!("X-WR-CALNAME:{}", text(name)));
    }
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", text(&e.uid)));
        lines.push(format!("DTSTAMP:{}", utc(stamp)));
        lines.push(format!("SEQUENCE:{}", e.sequence.max(0)));
        lines.push(format!("DTSTART:{}", utc(e.starts)));
        lines.push(format!("DTEND:{}", utc(e.ends)));
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        if let Some(l) = &e.location {
            lines.push(format!("LOCATION:{}", text(l)));
        }
        if let Some(d) = &e.description {
            lines.push(format!("DESCRIPTION:{}", text(d)));
        }
        if let Some(u) = &e.url {
            // A URI value: not escaped as text, but never a line break.
            lines.push(format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        lines.push(format!("STATUS:{status}"));
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold_into(&mut out, &line);
    }
    out
}

/// `20261207T093000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped; other
/// control characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` with CRLF, folded so no line is longer than 75 octets
/// (continuations start with a space), never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "appointment-1@hms.example".into(),
            sequence: 0,
            starts: "2026-12-08T09:30:00Z".parse().unwrap(),
            ends: "2026-12-08T09:45:00Z".parse().unwrap(),
            summary: "Appointment at Riverside, General".into(),
            location: Some("Riverside General Hospital".into()),
            description: Some("Line one;\nline two\\".into()),
            url: Some("https://hms.example/c/riverside/my-appointments".into()),
            cancelled: false,
        }
    }

    fn stamp() -> DateTime<Utc> {
        "2026-12-07T14:00:00Z".parse().unwrap()
    }

    #[test]
    fn an_event_is_written_in_utc_with_crlf_and_escaped_text() {
        let out = ics(&[event()], None, stamp());
        assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(out.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(out.contains("\r\nDTSTART:20261208T093000Z\r\n"));
        assert!(out.contains("\r\nDTEND:20261208T094500Z\r\n"));
        assert!(out.contains("\r\nDTSTAMP:20261207T140000Z\r\n"));
        assert!(out.contains("\r\nSUMMARY:Appointment at Riverside\\, General\r\n"));
        assert!(out.contains("\r\nDESCRIPTION:Line one\\;\\nline two\\\\\r\n"));
        assert!(out.contains("\r\nSTATUS:CONFIRMED\r\n"));
        assert!(out.contains("\r\nSEQUENCE:0\r\n"));
        // No bare line feeds: every line ends CRLF.
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_raises_the_sequence() {
        let mut e = event();
        e.sequence = 2;
        e.cancelled = true;
        let out = ics(&[e], None, stamp());
        assert!(out.contains("\r\nUID:appointment-1@hms.example\r\n"));
        assert!(out.contains("\r\nSEQUENCE:2\r\n"));
        assert!(out.contains("\r\nSTATUS:CANCELLED\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut e = event();
        e.summary = "Rendez-vous à l'hôpital Sainte-Anne, service de médecine générale, \
                     consultation de suivi"
            .into();
        let out = ics(&[e], Some("Dr Émile's schedule"), stamp());
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.contains(
            "SUMMARY:Rendez-vous à l'hôpital Sainte-Anne\\, service de médecine générale\\, \
             consultation de suivi\r\n"
        ));
        assert!(unfolded.contains("X-WR-CALNAME:Dr Émile's schedule\r\n"));
    }

    #[test]
    fn control_characters_cannot_start_a_property_of_their_own() {
        let mut e = event();
        e.summary = "Appointment\r\nATTENDEE:mailto:x@evil.example\u{0}".into();
        e.url = Some("https://hms.example/\r\nX-EVIL:1".into());
        let out = ics(&[e], None, stamp());
        assert!(!out.contains("\r\nATTENDEE"));
        assert!(!out.contains("\r\nX-EVIL"));
        assert!(!out.contains('\u{0}'));
    }
}
