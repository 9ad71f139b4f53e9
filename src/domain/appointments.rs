//! Appointments: the lifecycle, booking and cancelling as typed and
//! checked, local times resolved in a clinic's zone, and the read models.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{AppError, FieldErrors};
use super::local_time::LocalTime;
use super::paging::Page;
use super::schedules::ExceptionKind;
use super::stored_enum::stored_enum;
use super::visits::DepartmentChoice;

pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_ROOM_CHARS: usize = 50;

stored_enum!(AppointmentType {
    Routine => ("routine", "Routine"),
    FollowUp => ("follow_up", "Follow-up"),
    Emergency => ("emergency", "Emergency"),
});

stored_enum!(AppointmentStatus {
    Booked => ("booked", "Booked"),
    CheckedIn => ("checked_in", "Checked in"),
    Completed => ("completed", "Completed"),
    Cancelled => ("cancelled", "Cancelled"),
    NoShow => ("no_show", "No-show"),
});

impl AppointmentStatus {
    /// The moves the lifecycle allows (`appointment_transition_allowed()` in
    /// the migrations holds the same list; a test compares the two). A
    /// no-show is marked only by the sweep.
    pub fn can_become(self, next: AppointmentStatus) -> bool {
        use AppointmentStatus::*;
        matches!(
            (self, next),
            (Booked, CheckedIn | Cancelled | NoShow) | (CheckedIn, Completed)
        )
    }

    /// Holding its time: no one else may be booked over it.
    pub fn holds_time(self) -> bool {
        matches!(
            self,
            AppointmentStatus::Booked | AppointmentStatus::CheckedIn | AppointmentStatus::Completed
        )
    }
}

/// Free text a person typed (a reason, a room): trimmed, bounded, printable.
pub(crate) fn text(
    e: &mut FieldErrors,
    field: &str,
    raw: &str,
    max: usize,
    required: &str,
) -> String {
    let value = raw.trim().to_string();
    if value.is_empty() && !required.is_empty() {
        e.add(field, required);
    } else if value.chars().count() > max {
        e.add(field, format!("Use at most {max} characters."));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        e.add(field, "Use letters, digits, spaces and punctuation only.");
    }
    value
}

fn id(e: &mut FieldErrors, field: &str, raw: &str, message: &str) -> Uuid {
    Uuid::parse_str(raw.trim()).unwrap_or_else(|_| {
        e.add(field, message);
        Uuid::nil()
    })
}

/// The booking form as typed. `starts_at` is the chosen slot's start as an
/// instant (RFC 3339, as the slot list gives it), so a local time the
/// clocks skip or repeat never reaches a booking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingInput {
    pub patient: String,
    pub department: String,
    /// Empty: the first doctor of the department free at that time.
    pub doctor: String,
    pub starts_at: String,
    pub appointment_type: String,
    pub reason: String,
    /// The pending follow-up this booking books, if any (the desk's
    /// booking from a follow-up).
    pub follow_up: String,
}

/// A checked booking. Patient, department and doctor are ids as given: the
/// database decides whether they are this clinic's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    pub patient_id: Uuid,
    pub department_id: Uuid,
    pub doctor_user_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub appointment_type: AppointmentType,
    pub reason: String,
    pub follow_up_id: Option<Uuid>,
}

pub fn parse_booking(input: &BookingInput) -> Result<Booking, AppError> {
    let mut e = FieldErrors::new();
    let patient_id = id(&mut e, "patient", &input.patient, "Choose the patient.");
    let department_id = id(
        &mut e,
        "department",
        &input.department,
        "Choose a department.",
    );
    let doctor_user_id = match input.doctor.trim() {
        "" => None,
        raw => Some(id(
            &mut e,
            "doctor",
            raw,
            "Choose a doctor from the list, or the first available.",
        )),
    };
    let starts_at = parse_instant(&input.starts_at).unwrap_or_else(|| {
        e.add("starts_at", "Choose one of the free times.");
        DateTime::<Utc>::MIN_UTC
    });
    let appointment_type =
        AppointmentType::parse(input.appointment_type.trim()).unwrap_or_else(|| {
            e.add("appointment_type", "Choose the type of appointment.");
            AppointmentType::Routine
        });
    let reason = text(&mut e, "reason", &input.reason, MAX_REASON_CHARS, "");
    let follow_up_id = match input.follow_up.trim() {
        "" => None,
        raw => Some(id(
            &mut e,
            "form",
            raw,
            "The follow-up could not be found: book it from the follow-ups list.",
        )),
    };
    e.finish(Booking {
        patient_id,
        department_id,
        doctor_user_id,
        starts_at,
        appointment_type,
        reason,
        follow_up_id,
    })
}

/// An instant with its offset ("2026-12-08T09:30:00+05:30"), within the
/// years anyone books in.
pub fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.len() > 40 {
        return None;
    }
    let at = DateTime::parse_from_rfc3339(raw).ok()?.with_timezone(&Utc);
    (2000..=2200)
        .contains(&chrono::Datelike::year(&at))
        .then_some(at)
}

/// The new time of an appointment being moved: one of the free times.
pub fn parse_move(input: &BookingInput) -> Result<DateTime<Utc>, AppError> {
    let mut e = FieldErrors::new();
    let starts_at = parse_instant(&input.starts_at).unwrap_or_else(|| {
        e.add("starts_at", "Choose one of the free times.");
        DateTime::<Utc>::MIN_UTC
    });
    e.finish(starts_at)
}

/// Why an appointment is cancelled: required, as the record keeps it.
pub fn parse_cancel_reason(raw: &str) -> Result<String, AppError> {
    let mut e = FieldErrors::new();
    let reason = text(
        &mut e,
        "cancel_reason",
        raw,
        MAX_REASON_CHARS,
        "Say why the appointment is cancelled.",
    );
    e.finish(reason)
}

/// Why a local time cannot stand for one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalTimeProblem {
    /// The clocks skip it (they go forward).
    Skipped,
    /// The clocks pass it twice (they go back).
    Repeated,
}

impl LocalTimeProblem {
    pub fn message(self, zone: &str) -> String {
        match self {
            LocalTimeProblem::Skipped => format!(
                "That time does not exist in {zone}: the clocks go forward then. Choose a time after the change."
            ),
            LocalTimeProblem::Repeated => format!(
                "That time happens twice in {zone}: the clocks go back then. Choose a time outside the repeated hour."
            ),
        }
    }
}

/// The one instant a local date and time in `tz` stands for.
pub fn resolve_local<Tz: TimeZone>(
    tz: &Tz,
    local: NaiveDateTime,
) -> Result<DateTime<Utc>, LocalTimeProblem> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) => Err(LocalTimeProblem::Repeated),
        LocalResult::None => Err(LocalTimeProblem::Skipped),
    }
}

/// A date as a form sends it ("2026-12-08").
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    (raw.len() == 10)
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .filter(|d| (2000..=2200).contains(&chrono::Datelike::year(d)))
}

/// A time of day as a form sends it ("09:30", or "09:30:00").
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    match raw.len() {
        5 => NaiveTime::parse_from_str(raw, "%H:%M").ok(),
        8 => NaiveTime::parse_from_str(raw, "%H:%M:%S").ok(),
        _ => None,
    }
}

/// An exception to a doctor's weekly hours as typed: local dates and times
/// in the clinic's zone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExceptionInput {
    pub doctor: String,
    pub kind: String,
    pub from_date: String,
    pub from_time: String,
    pub to_date: String,
    pub to_time: String,
    pub room: String,
    pub reason: String,
}

/// A checked exception, its local times not yet placed in a zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExceptionEntry {
    pub doctor_user_id: Uuid,
    pub kind: ExceptionKind,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub room: String,
    pub reason: String,
}

/// Checks an exception's fields, then places its times in `tz` (a time the
/// clocks skip or repeat is refused by its field).
pub fn parse_exception<Tz: TimeZone>(
    input: &ExceptionInput,
    tz: &Tz,
    zone: &str,
) -> Result<(ExceptionEntry, DateTime<Utc>, DateTime<Utc>), AppError> {
    let mut e = FieldErrors::new();
    let doctor_user_id = id(&mut e, "doctor", &input.doctor, "Choose the doctor.");
    let kind = ExceptionKind::parse(input.kind.trim()).unwrap_or_else(|| {
        e.add("kind", "Choose leave, blocked time or an extra session.");
        ExceptionKind::Leave
    });
    let mut when = |date_field: &str, time_field: &str, date: &str, time: &str, default| {
        let d = parse_date(date);
        if d.is_none() {
            e.add(date_field, "Enter a date (YYYY-MM-DD).");
        }
        // Leave is often whole days: an empty time is the day's start.
        let t = if time.trim().is_empty() {
            Some(default)
        } else {
            parse_time(time)
        };
        if t.is_none() {
            e.add(time_field, "Enter a time (HH:MM).");
        }
        d.zip(t).map(|(d, t)| d.and_time(t))
    };
    let from = when(
        "from_date",
        "from_time",
        &input.from_date,
        &input.from_time,
        NaiveTime::MIN,
    );
    let to = when(
        "to_date",
        "to_time",
        &input.to_date,
        &input.to_time,
        NaiveTime::MIN,
    );
    // A whole-day entry ends at the end of its last day.
    let to = to.map(|t| {
        if input.to_time.trim().is_empty() {
            t + chrono::Duration::days(1)
        } else {
            t
        }
    });
    let room = text(&mut e, "room", &input.room, MAX_ROOM_CHARS, "");
    let reason = text(&mut e, "reason", &input.reason, MAX_REASON_CHARS, "");
    let mut instants = None;
    if let (Some(from), Some(to)) = (from, to) {
        let starts = resolve_local(tz, from).map_err(|p| e.add("from_time", p.message(zone)));
        let ends = resolve_local(tz, to).map_err(|p| e.add("to_time", p.message(zone)));
        if let (Ok(s), Ok(t)) = (starts, ends) {
            if t <= s {
                e.add("to_date", "The end must come after the start.");
            } else if t - s > chrono::Duration::days(366) {
                e.add("to_date", "Enter at most a year at a time.");
            }
            instants = Some((s, t));
        }
    }
    let (starts, ends) = instants.unwrap_or((DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC));
    e.finish((
        ExceptionEntry {
            doctor_user_id,
            kind,
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
            room,
            reason,
        },
        starts,
        ends,
    ))
}

/// One weekly session as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeeklyHoursInput {
    /// ISO weekday: "1" Monday .. "7" Sunday.
    pub weekday: String,
    pub starts: String,
    pub ends: String,
    pub room: String,
}

/// A doctor's whole week as typed: it replaces the one before.
pub const MAX_WEEKLY_SESSIONS: usize = 50;

pub fn parse_week(
    sessions: &[WeeklyHoursInput],
) -> Result<Vec<super::schedules::WeeklyHours>, AppError> {
    use super::schedules::{WeeklyHours, weekday_from_iso};
    let mut e = FieldErrors::new();
    if sessions.len() > MAX_WEEKLY_SESSIONS {
        e.add(
            "sessions",
            format!("Enter at most {MAX_WEEKLY_SESSIONS} sessions."),
        );
        return e.finish(Vec::new());
    }
    let mut out = Vec::with_capacity(sessions.len());
    for (i, s) in sessions.iter().enumerate() {
        let field = |name: &str| format!("sessions[{i}][{name}]");
        // The form's spare rows: no session, and no error.
        if [&s.starts, &s.ends, &s.room]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            continue;
        }
        let weekday = s
            .weekday
            .trim()
            .parse::<i16>()
            .ok()
            .and_then(weekday_from_iso);
        if weekday.is_none() {
            e.add(field("weekday"), "Choose a day of the week.");
        }
        let starts = parse_time(&s.starts);
        if starts.is_none() {
            e.add(field("starts"), "Enter a time (HH:MM).");
        }
        let ends = parse_time(&s.ends);
        if ends.is_none() {
            e.add(field("ends"), "Enter a time (HH:MM).");
        }
        let room = text(&mut e, &field("room"), &s.room, MAX_ROOM_CHARS, "");
        if let (Some(weekday), Some(starts), Some(ends)) = (weekday, starts, ends) {
            if ends <= starts {
                e.add(field("ends"), "The session must end after it starts.");
                continue;
            }
            let clash = out
                .iter()
                .any(|o: &WeeklyHours| o.weekday == weekday && o.starts < ends && starts < o.ends);
            if clash {
                e.add(
                    field("starts"),
                    "This session overlaps another on the same day.",
                );
                continue;
            }
            out.push(WeeklyHours {
                weekday,
                starts,
                ends,
                room,
            });
        }
    }
    e.finish(out)
}

/// One appointment as lists and the record show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppointmentSummary {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_number: String,
    pub department_id: Uuid,
    pub department: String,
    pub doctor_user_id: Uuid,
    pub doctor: String,
    pub starts: LocalTime,
    pub ends: LocalTime,
    pub appointment_type: AppointmentType,
    pub status: AppointmentStatus,
    pub reason: String,
    pub booked_by_patient: bool,
    pub cancel_reason: Option<String>,
}

/// A free time as the booking page offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OfferedSlot {
    pub starts: LocalTime,
    pub ends: LocalTime,
    pub room: String,
    /// The doctor whose time it is; with "first available", the first of
    /// the `free_doctors` by name (the one the booking will go to).
    pub doctor: String,
    pub free_doctors: u32,
}

/// The patient a booking is for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingPatient {
    pub id: Uuid,
    pub name: String,
    pub number: String,
}

/// The booking page: the patient, the choices, and the free times of the
/// chosen department (or doctor) on the chosen day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingPage {
    pub patient: Option<BookingPatient>,
    pub departments: Vec<DepartmentChoice>,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
    pub day: NaiveDate,
    pub today: NaiveDate,
    /// The last day the clinic books.
    pub last_day: NaiveDate,
    pub zone: String,
    pub slots: Vec<OfferedSlot>,
    /// The pending follow-up being booked, when the page came from one.
    #[serde(default)]
    pub follow_up: Option<super::follow_ups::FollowUpItem>,
    /// The holiday's name when the clinic is closed that day, so the page
    /// says why nothing is free.
    #[serde(default)]
    pub closed: Option<String>,
}

/// A day of the clinic's appointments, filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentDay {
    pub day: NaiveDate,
    pub today: NaiveDate,
    pub departments: Vec<DepartmentChoice>,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
    pub appointments: Page<AppointmentSummary>,
    /// The person may book, move, cancel and check in (the front desk);
    /// others see the day only.
    pub may_book: bool,
}

/// One appointment's page: what the person may do with it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentPage {
    pub appointment: AppointmentSummary,
    /// Booked for today: the patient can be checked in.
    pub may_check_in: bool,
    pub may_cancel: bool,
}

impl AppointmentPage {
    /// What someone may do with `a` on `today` (the clinic's day): the
    /// front desk (`books`) checks in and cancels; the clinical staff read.
    pub fn for_viewer(a: AppointmentSummary, today: NaiveDate, books: bool) -> Self {
        let booked = books && a.status == AppointmentStatus::Booked;
        Self {
            may_check_in: booked && a.starts.local_date() == today,
            may_cancel: booked,
            appointment: a,
        }
    }
}

/// The page moving an appointment: the appointment, and its doctor's free
/// times on the chosen day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReschedulePage {
    pub appointment: AppointmentSummary,
    pub choices: BookingPage,
}

/// One of the patient's own appointments, and whether they may still
/// cancel it online (up to the clinic's notice before it starts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyAppointment {
    pub appointment: AppointmentSummary,
    pub may_cancel: bool,
}

impl MyAppointment {
    pub fn at(a: AppointmentSummary, now: DateTime<Utc>, notice_minutes: i32) -> Self {
        let notice = chrono::Duration::minutes(i64::from(notice_minutes));
        Self {
            may_cancel: a.status == AppointmentStatus::Booked && a.starts.utc - now >= notice,
            appointment: a,
        }
    }
}

/// The portal's appointments page: what is coming, then what has been.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyAppointments {
    pub upcoming: Vec<MyAppointment>,
    pub past: Page<AppointmentSummary>,
    /// How long before an appointment the patient may still cancel online.
    pub cancel_notice_minutes: i32,
    /// Why booking online is paused, if it is (repeated no-shows).
    pub booking_paused: Option<crate::domain::self_booking::SuspensionNotice>,
}

/// "2 hours", "30 minutes", "1 day": a notice period as people say it.
pub fn notice_label(minutes: i32) -> String {
    let plural = |n: i32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match minutes {
        m if m > 0 && m % 1440 == 0 => plural(m / 1440, "day"),
        m if m > 0 && m % 60 == 0 => plural(m / 60, "hour"),
        m => plural(m, "minute"),
    }
}

/// The day a list or booking page shows: the one asked for, else today.
pub fn day_or_today(raw: &str, today: NaiveDate) -> NaiveDate {
    parse_date(raw).unwrap_or(today)
}

/// An optional id from a query string: anything but a well-formed id is
/// no filter, as people edit URLs.
pub fn optional_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw.trim()).ok()
}

/// The message a booking that lost its time is answered with, naming the
/// next free times so the receptionist can offer them at once.
pub fn taken_message(next: &[OfferedSlot]) -> String {
    if next.is_empty() {
        return "That time was just taken, and the doctor has no free time in the next two weeks."
            .into();
    }
    let times = next
        .iter()
        .map(|s| s.starts.compact())
        .collect::<Vec<_>>()
        .join(", ");
    format!("That time was just taken. Next free: {times}.")
}

/// How many appointments a day of the week calendar lists; the day view
/// (linked from it) lists them all, a page at a time.
pub const WEEK_DAY_SHOWN: i64 = 40;

/// One day of the week calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekDay {
    pub day: NaiveDate,
    /// The first [`WEEK_DAY_SHOWN`] that hold their time, by time.
    pub appointments: Vec<AppointmentSummary>,
    /// How many hold their time that day, in all.
    pub total: i64,
}

/// A week of the clinic's appointments (Monday to Sunday), filtered by
/// department and doctor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentWeek {
    pub monday: NaiveDate,
    pub today: NaiveDate,
    pub departments: Vec<DepartmentChoice>,
    pub department_id: Option<Uuid>,
    pub doctor_user_id: Option<Uuid>,
    pub days: Vec<WeekDay>,
    pub may_book: bool,
}

/// The Monday of the week holding `day` (weeks run Monday to Sunday, as
/// the clinic's office hours do).
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_its_monday_across_months_and_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(monday_of(d("2026-12-07")), d("2026-12-07"), "a Monday");
        assert_eq!(monday_of(d("2026-12-13")), d("2026-12-07"), "a Sunday");
        assert_eq!(
            monday_of(d("2027-01-01")),
            d("2026-12-28"),
            "across the year"
        );
        assert_eq!(monday_of(d("2027-03-31")), d("2027-03-29"));
    }

    #[test]
    fn the_lifecycle_allows_only_its_moves() {
        use AppointmentStatus::*;
        let allowed = [
            (Booked, CheckedIn),
            (Booked, Cancelled),
            (Booked, NoShow),
            (CheckedIn, Completed),
        ];
        for &from in AppointmentStatus::ALL {
            for &to in AppointmentStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        assert!(Booked.holds_time() && CheckedIn.holds_time() && Completed.holds_time());
        assert!(!Cancelled.holds_time() && !NoShow.holds_time());
    }

    fn booking() -> BookingInput {
        BookingInput {
            patient: Uuid::now_v7().to_string(),
            department: Uuid::now_v7().to_string(),
            doctor: String::new(),
            starts_at: "2026-12-08T09:30:00+05:30".into(),
            appointment_type: "routine".into(),
            reason: "  Review of blood pressure ".into(),
            follow_up: String::new(),
        }
    }

    #[test]
    fn a_patient_may_cancel_online_until_the_clinics_notice() {
        let at = |h| {
            "2026-12-08T10:00:00Z".parse::<DateTime<Utc>>().unwrap() - chrono::Duration::hours(h)
        };
        let a = AppointmentSummary {
            id: Uuid::nil(),
            patient_id: Uuid::nil(),
            patient_name: "Ann Lee".into(),
            patient_number: "PT-2026-00001".into(),
            department_id: Uuid::nil(),
            department: "General Medicine".into(),
            doctor_user_id: Uuid::nil(),
            doctor: "Dr Rao".into(),
            starts: LocalTime::utc(at(0)),
            ends: LocalTime::utc(at(0) + chrono::Duration::minutes(15)),
            appointment_type: AppointmentType::Routine,
            status: AppointmentStatus::Booked,
            reason: String::new(),
            booked_by_patient: true,
            cancel_reason: None,
        };
        assert!(MyAppointment::at(a.clone(), at(3), 120).may_cancel);
        assert!(MyAppointment::at(a.clone(), at(2), 120).may_cancel);
        assert!(!MyAppointment::at(a.clone(), at(1), 120).may_cancel);
        let done = AppointmentSummary {
            status: AppointmentStatus::Cancelled,
            ..a.clone()
        };
        assert!(!MyAppointment::at(done.clone(), at(48), 120).may_cancel);
        // The desk acts on a booked one (checks in only on its day); others read.
        let day = at(0).date_naive();
        let desk = AppointmentPage::for_viewer(a.clone(), day, true);
        assert!(desk.may_check_in && desk.may_cancel);
        let tomorrow = AppointmentPage::for_viewer(a.clone(), day.pred_opt().unwrap(), true);
        assert!(!tomorrow.may_check_in && tomorrow.may_cancel);
        let doctor = AppointmentPage::for_viewer(a.clone(), day, false);
        assert!(!doctor.may_check_in && !doctor.may_cancel);
        let cancelled = AppointmentPage::for_viewer(done, day, true);
        assert!(!cancelled.may_check_in && !cancelled.may_cancel);
        assert_eq!(notice_label(120), "2 hours");
        assert_eq!(notice_label(60), "1 hour");
        assert_eq!(notice_label(1440), "1 day");
        assert_eq!(notice_label(90), "90 minutes");
        assert_eq!(notice_label(0), "0 minutes");
    }

    #[test]
    fn a_booking_is_checked_field_by_field() {
        let b = parse_booking(&booking()).unwrap();
        assert_eq!(b.starts_at.to_rfc3339(), "2026-12-08T04:00:00+00:00");
        assert_eq!(b.reason, "Review of blood pressure");
        assert_eq!(b.doctor_user_id, None);
        let bad = BookingInput {
            patient: "nobody".into(),
            department: String::new(),
            doctor: "x".into(),
            starts_at: "2026-12-08 09:30".into(),
            appointment_type: "urgent".into(),
            reason: "a".repeat(501),
            follow_up: "not-an-id".into(),
        };
        let Err(AppError::Validation(fields)) = parse_booking(&bad) else {
            panic!("accepted");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "patient",
                "department",
                "doctor",
                "starts_at",
                "appointment_type",
                "reason",
                "form"
            ]
        );
        for raw in [
            "",
            "tomorrow",
            "2026-13-08T09:30:00Z",
            "1066-10-14T09:00:00Z",
            "2026-12-08T09:30:00",
        ] {
            assert_eq!(parse_instant(raw), None, "{raw}");
        }
        let control = BookingInput {
            reason: "fever\u{7}".into(),
            ..booking()
        };
        assert!(parse_booking(&control).is_err());
    }

    #[test]
    fn a_cancellation_needs_a_reason() {
        assert_eq!(parse_cancel_reason(" Travelling ").unwrap(), "Travelling");
        assert!(parse_cancel_reason("   ").is_err());
        assert!(parse_cancel_reason(&"x".repeat(501)).is_err());
    }

    #[test]
    fn a_move_needs_one_of_the_free_times() {
        let input = |t: &str| BookingInput {
            starts_at: t.into(),
            ..Default::default()
        };
        assert_eq!(
            parse_move(&input("2026-12-08T09:30:00+05:30")).unwrap(),
            "2026-12-08T04:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        for bad in [
            "",
            "tomorrow",
            "2026-12-08T09:30:00",
            "9999-12-08T09:30:00Z",
        ] {
            let Err(AppError::Validation(e)) = parse_move(&input(bad)) else {
                panic!("{bad:?} was accepted");
            };
            assert_eq!(e[0].field, "starts_at");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn skipped_and_repeated_local_times_are_refused_by_their_field() {
        use chrono_tz::America::New_York;
        let input = |from_time: &str, to_time: &str| ExceptionInput {
            doctor: Uuid::now_v7().to_string(),
            kind: "blocked".into(),
            from_date: "2026-03-08".into(),
            from_time: from_time.into(),
            to_date: "2026-03-08".into(),
            to_time: to_time.into(),
            room: String::new(),
            reason: "Theatre".into(),
        };
        let (_, s, t) =
            parse_exception(&input("01:00", "04:00"), &New_York, "America/New_York").unwrap();
        // 01:00 EST to 04:00 EDT: two real hours.
        assert_eq!(t - s, chrono::Duration::hours(2));
        let Err(AppError::Validation(f)) =
            parse_exception(&input("02:30", "04:00"), &New_York, "America/New_York")
        else {
            panic!("a skipped time was accepted");
        };
        assert_eq!(f[0].field, "from_time");
        assert!(f[0].message.contains("does not exist"), "{}", f[0].message);
        let fall = ExceptionInput {
            from_date: "2026-11-01".into(),
            to_date: "2026-11-01".into(),
            ..input("01:30", "03:00")
        };
        let Err(AppError::Validation(f)) = parse_exception(&fall, &New_York, "America/New_York")
        else {
            panic!("a repeated time was accepted");
        };
        assert_eq!(f[0].field, "from_time");
        assert!(f[0].message.contains("happens twice"), "{}", f[0].message);
        // Whole days: empty times run from the first day's start to the
        // last day's end.
        let leave = ExceptionInput {
            kind: "leave".into(),
            from_date: "2026-12-21".into(),
            to_date: "2026-12-24".into(),
            ..input("", "")
        };
        let (entry, s, t) = parse_exception(&leave, &New_York, "America/New_York").unwrap();
        assert_eq!(entry.kind, ExceptionKind::Leave);
        assert_eq!(t - s, chrono::Duration::days(4));
        // Backwards, malformed, too long.
        for (f, t, field) in [
            ("2026-12-24", "2026-12-21", "to_date"),
            ("2026-02-30", "2026-03-01", "from_date"),
            ("2026-01-01", "2027-06-01", "to_date"),
        ] {
            let bad = ExceptionInput {
                from_date: f.into(),
                to_date: t.into(),
                ..leave.clone()
            };
            let Err(AppError::Validation(fields)) =
                parse_exception(&bad, &New_York, "America/New_York")
            else {
                panic!("{f}..{t} accepted");
            };
            assert_eq!(fields[0].field, field, "{f}..{t}");
        }
    }

    #[test]
    fn a_week_is_checked_session_by_session() {
        let s = |weekday: &str, starts: &str, ends: &str| WeeklyHoursInput {
            weekday: weekday.into(),
            starts: starts.into(),
            ends: ends.into(),
            room: "Room 4".into(),
        };
        let week = parse_week(&[s("1", "09:00", "13:00"), s("1", "14:00", "17:00")]).unwrap();
        assert_eq!(week.len(), 2);
        for (bad, field) in [
            (vec![s("0", "09:00", "10:00")], "sessions[0][weekday]"),
            (vec![s("1", "9am", "10:00")], "sessions[0][starts]"),
            (vec![s("1", "10:00", "09:00")], "sessions[0][ends]"),
            (vec![s("1", "24:00", "24:30")], "sessions[0][starts]"),
            (
                vec![s("2", "09:00", "12:00"), s("2", "11:00", "13:00")],
                "sessions[1][starts]",
            ),
        ] {
            let Err(AppError::Validation(f)) = parse_week(&bad) else {
                panic!("{bad:?} accepted");
            };
            assert_eq!(f[0].field, field);
        }
        assert!(parse_week(&vec![s("1", "09:00", "10:00"); 51]).is_err());
        assert!(parse_week(&[]).unwrap().is_empty());
        // A spare row of the form is no session; half a row is an error.
        let spare = WeeklyHoursInput {
            room: " ".into(),
            ..s("3", " ", "")
        };
        let week = parse_week(&[spare.clone(), s("3", "09:00", "12:00")]).unwrap();
        assert_eq!(week.len(), 1);
        let half = WeeklyHoursInput {
            room: String::new(),
            ..s("3", "", "12:00")
        };
        let Err(AppError::Validation(f)) = parse_week(&[spare, half]) else {
            panic!("half a session accepted");
        };
        assert_eq!(f[0].field, "sessions[1][starts]");
    }
}
