//! The patient's emails about an appointment: booked, moved and cancelled
//! (each with an `.ics` their calendar follows), reminded, and missed.
//! Each is enqueued in the transaction of what causes it, under a key that
//! names the cause, so the same change is never written about twice.
//!
//! They name the clinic and the time, never the doctor, department or
//! reason: an email is read on lock screens and shared devices, and which
//! clinic department someone attends is itself clinical.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::appointments::notice_label;
use crate::domain::calendar::{CalendarEvent, ics};
use crate::domain::local_time::LocalTime;
use crate::server::mail::compose::{Letter, OutgoingEmail};
use crate::server::mail::outbox;
use crate::server::schedules::{clinic_zone, local_time};

/// Which letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterKind {
    Booked,
    Moved,
    Cancelled,
    /// The reminder 24 hours before.
    DayBefore,
    /// The reminder 2 hours before.
    TwoHours,
    /// The no-show sweep marked it missed.
    Missed,
}

/// What a letter about one appointment says, read with it.
#[derive(Clone, Debug)]
pub struct LetterFacts {
    pub appointment: Uuid,
    pub clinic: Uuid,
    pub clinic_name: String,
    pub clinic_address: String,
    pub slug: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// The calendar's SEQUENCE: raised by each move and the cancelling.
    pub revision: i32,
    pub patient_name: String,
    pub email: Option<String>,
    pub cancel_notice_minutes: i32,
}

/// The facts of these appointments of the current clinic, in one query.
pub async fn facts(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<LetterFacts>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.id, a.clinic_id, c.name as clinic_name, c.address, c.slug,
                  lower(a.during) as "starts!", upper(a.during) as "ends!", a.revision,
                  p.given_name, p.family_name, p.email as "email?",
                  coalesce(s.cancel_notice_minutes, 0) as "cancel_notice_minutes!"
           from appointments a
           join patients p on p.id = a.patient_id
           join clinics c on c.id = a.clinic_id
           left join clinic_schedule_settings s on s.clinic_id = a.clinic_id
           where a.id = any($1) and a.clinic_id = app_clinic_id()
           order by lower(a.during), a.id"#,
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LetterFacts {
            appointment: r.id,
            clinic: r.clinic_id,
            clinic_name: r.clinic_name,
            clinic_address: r.address,
            slug: r.slug,
            starts: r.starts,
            ends: r.ends,
            revision: r.revision,
            patient_name: format!("{} {}", r.given_name, r.family_name),
            email: r.email.filter(|e| !e.trim().is_empty()),
            cancel_notice_minutes: r.cancel_notice_minutes,
        })
        .collect())
}

/// Enqueues the letter of `kind` about one appointment of the current
/// clinic. Returns whether one was added (none without an address, or
/// when this cause was written about already).
pub async fn send(
    conn: &mut PgConnection,
    appointment: Uuid,
    kind: LetterKind,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let found = facts(conn, &[appointment]).await?;
    let (tz, zone) = clinic_zone(conn).await?;
    send_each(conn, &found, kind, (&tz, &zone), base_url, now)
        .await
        .map(|n| n > 0)
}

/// Enqueues the letter of `kind` about each of `all` (one clinic's, in the
/// clinic's zone). Returns how many were added.
pub async fn send_each(
    conn: &mut PgConnection,
    all: &[LetterFacts],
    kind: LetterKind,
    (tz, zone): (&Tz, &str),
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<u32, sqlx::Error> {
    let mut added = 0;
    for f in all {
        let when = local_time(tz, zone, f.starts);
        if let Some(email) = letter(kind, f, &when, base_url, now)
            && outbox::enqueue(conn, &email).await?
        {
            added += 1;
        }
    }
    Ok(added)
}

/// The email of `kind` about `f`, whose start reads `when` in the clinic;
/// none when the patient gave no address.
pub fn letter(
    kind: LetterKind,
    f: &LetterFacts,
    when: &LocalTime,
    base_url: &str,
    now: DateTime<Utc>,
) -> Option<OutgoingEmail> {
    let to = f.email.clone()?;
    let link = format!(
        "{}/c/{}/my-appointments",
        base_url.trim_end_matches('/'),
        f.slug
    );
    let clinic = &f.clinic_name;
    let time = when.appointment();
    let cancel_rule = format!(
        "If you cannot come, cancel it in My appointments up to {} before, or call the clinic, \
         so someone else can have the time.",
        notice_label(f.cancel_notice_minutes)
    );
    let id = f.appointment;
    let (key, subject, paragraphs, footnote, calendar) = match kind {
        LetterKind::Booked => (
            format!("appointment:{id}:booked"),
            format!("Your appointment at {clinic} on {}", when.date()),
            vec![
                format!("Your appointment at {clinic} is booked for {time}."),
                "The attached calendar file adds it to your calendar.".into(),
            ],
            Some(cancel_rule),
            true,
        ),
        LetterKind::Moved => (
            format!("appointment:{id}:moved:{}", f.revision),
            format!("Your appointment at {clinic} has moved to {}", when.date()),
            vec![
                format!("Your appointment at {clinic} has moved to {time}."),
                "The attached calendar file moves it in your calendar.".into(),
            ],
            Some(cancel_rule),
            true,
        ),
        LetterKind::Cancelled => (
            format!("appointment:{id}:cancelled"),
            format!("Your appointment at {clinic} is cancelled"),
            vec![
                format!("Your appointment at {clinic} on {time} is cancelled."),
                "The attached calendar file removes it from your calendar. If you still need \
                 to see us, book another time, or call the clinic."
                    .into(),
            ],
            None,
            true,
        ),
        LetterKind::DayBefore | LetterKind::TwoHours => (
            format!(
                "appointment:{id}:{}:{}",
                if kind == LetterKind::DayBefore {
                    "day_before"
                } else {
                    "two_hours"
                },
                f.starts.timestamp()
            ),
            if kind == LetterKind::DayBefore {
                format!("Reminder: your appointment at {clinic} on {}", when.date())
            } else {
                format!("Reminder: your appointment at {clinic} at {}", when.clock())
            },
            vec![format!(
                "This is a reminder of your appointment at {clinic} on {time}."
            )],
            Some(cancel_rule),
            false,
        ),
        LetterKind::Missed => (
            format!("no_show:{id}"),
            format!("Your missed appointment at {clinic}"),
            vec![
                format!(
                    "We missed you at your appointment on {time}, and it is now marked as missed."
                ),
                "If you still need to see us, book another time, or call the clinic.".into(),
            ],
            Some(
                "Several missed appointments can pause booking online; the clinic can lift it."
                    .into(),
            ),
            false,
        ),
    };
    let action = match kind {
        LetterKind::Cancelled | LetterKind::Missed => "Book another time",
        _ => "See my appointments",
    };
    let (body_text, body_html) = Letter {
        brand: clinic.clone(),
        greeting: format!("Hello {},", f.patient_name),
        paragraphs,
        action: Some((action.into(), link.clone())),
        footnote,
    }
    .render();
    let calendar = calendar.then(|| {
        ics(
            &[CalendarEvent {
                uid: format!("appointment-{id}@hms"),
                sequence: f.revision,
                starts: f.starts,
                ends: f.ends,
                summary: format!("Appointment at {clinic}"),
                location: Some(if f.clinic_address.trim().is_empty() {
                    clinic.clone()
                } else {
                    format!("{clinic}, {}", f.clinic_address.trim())
                }),
                description: Some(format!("See or cancel it in My appointments: {link}")),
                url: Some(link.clone()),
                cancelled: kind == LetterKind::Cancelled,
            }],
            None,
            now,
        )
    });
    Some(OutgoingEmail {
        idempotency_key: key,
        clinic_id: Some(f.clinic),
        kind: match kind {
            LetterKind::Booked => "appointment_booked",
            LetterKind::Moved => "appointment_moved",
            LetterKind::Cancelled => "appointment_cancelled",
            LetterKind::DayBefore | LetterKind::TwoHours => "appointment_reminder",
            LetterKind::Missed => "no_show",
        },
        to_address: to,
        to_name: f.patient_name.clone(),
        subject,
        body_text,
        body_html,
        calendar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LetterFacts {
        LetterFacts {
            appointment: Uuid::nil(),
            clinic: Uuid::nil(),
            clinic_name: "Riverside General Hospital".into(),
            clinic_address: "1 River Road".into(),
            slug: "riverside".into(),
            starts: "2026-12-08T09:30:00Z".parse().unwrap(),
            ends: "2026-12-08T09:45:00Z".parse().unwrap(),
            revision: 0,
            patient_name: "Asha Patel".into(),
            email: Some("asha@example.org".into()),
            cancel_notice_minutes: 1440,
        }
    }

    fn when() -> LocalTime {
        LocalTime::in_zone(
            "2026-12-08T09:30:00Z".parse().unwrap(),
            Some(0.0),
            Some("Europe/London".into()),
        )
    }

    fn write(kind: LetterKind, f: &LetterFacts) -> OutgoingEmail {
        letter(
            kind,
            f,
            &when(),
            "https://hms.example/",
            "2026-12-07T14:00:00Z".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_booking_is_confirmed_with_its_time_a_calendar_and_the_cancel_rule() {
        let e = write(LetterKind::Booked, &facts());
        assert_eq!(
            e.subject,
            "Your appointment at Riverside General Hospital on 8 Dec 2026"
        );
        assert!(
            e.body_text
                .contains("booked for Tuesday 8 December 2026 at 09:30 (Europe/London)")
        );
        assert!(e.body_text.contains("up to 1 day before"));
        assert!(
            e.body_text
                .contains("https://hms.example/c/riverside/my-appointments")
        );
        let ics = e.calendar.unwrap();
        assert!(ics.contains("DTSTART:20261208T093000Z"));
        assert!(ics.contains("STATUS:CONFIRMED"));
        assert!(ics.contains("LOCATION:Riverside General Hospital\\, 1 River Road"));
    }

    #[test]
    fn each_cause_has_its_own_key_and_a_move_or_cancel_raises_the_sequence() {
        let mut f = facts();
        let booked = write(LetterKind::Booked, &f);
        f.revision = 1;
        let moved = write(LetterKind::Moved, &f);
        f.revision = 2;
        let moved_again = write(LetterKind::Moved, &f);
        f.revision = 3;
        let cancelled = write(LetterKind::Cancelled, &f);
        let keys = [&booked, &moved, &moved_again, &cancelled].map(|e| e.idempotency_key.clone());
        assert_eq!(
            keys.iter().collect::<std::collections::HashSet<_>>().len(),
            4
        );
        assert!(moved.calendar.unwrap().contains("SEQUENCE:1"));
        let ics = cancelled.calendar.unwrap();
        assert!(ics.contains("SEQUENCE:3") && ics.contains("STATUS:CANCELLED"));
        assert!(ics.contains(&format!("UID:appointment-{}@hms", Uuid::nil())));
    }

    #[test]
    fn reminders_are_keyed_by_the_time_they_remind_of() {
        let f = facts();
        let day = write(LetterKind::DayBefore, &f);
        let two = write(LetterKind::TwoHours, &f);
        assert_ne!(day.idempotency_key, two.idempotency_key);
        assert!(two.subject.ends_with("at 09:30"));
        assert!(day.calendar.is_none() && two.calendar.is_none());
        let mut later = f.clone();
        later.starts += chrono::Duration::hours(1);
        assert_ne!(
            write(LetterKind::DayBefore, &later).idempotency_key,
            day.idempotency_key
        );
    }

    #[test]
    fn without_an_address_there_is_no_letter() {
        let mut none = facts();
        none.email = None;
        for kind in [
            LetterKind::Booked,
            LetterKind::Moved,
            LetterKind::Cancelled,
            LetterKind::DayBefore,
            LetterKind::TwoHours,
            LetterKind::Missed,
        ] {
            assert!(letter(kind, &facts(), &when(), "https://hms.example", Utc::now()).is_some());
            assert!(letter(kind, &none, &when(), "https://hms.example", Utc::now()).is_none());
        }
    }
}
