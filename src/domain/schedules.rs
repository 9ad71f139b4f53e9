//! Doctors' schedules: weekly office hours in the clinic's wall-clock time,
//! the clinic's opening hours and holidays, exceptions (leave, blocked
//! hours, extra sessions) and the free slots they leave.
//!
//! Hours are wall-clock times in the clinic's zone; slots are instants. A
//! session is turned into the instants it covers on its day, and cut into
//! slots of the clinic's length in real time: on the night the clocks go
//! forward a session across the change is an hour shorter, on the night
//! they go back an hour longer, and every slot is as long as any other.
//! The database's `appointment_in_hours()` accepts exactly these slots.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

/// The longest day the free-slot search will list, in slots (a 24-hour
/// session of 5-minute slots).
pub const MAX_SLOTS_PER_DAY: usize = 24 * 12;

/// One weekly session: a weekday's hours, and for a doctor the room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    pub weekday: Weekday,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub room: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
// On the wire as stored (the API's clients see these names).
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// Away: no appointments.
    Leave,
    /// Hours kept free (a meeting, a theatre list).
    Blocked,
    /// A session outside the weekly hours (even on a holiday).
    Extra,
}

impl ExceptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionKind::Leave => "leave",
            ExceptionKind::Blocked => "blocked",
            ExceptionKind::Extra => "extra",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExceptionKind::Leave => "Leave",
            ExceptionKind::Blocked => "Blocked time",
            ExceptionKind::Extra => "Extra session",
        }
    }

    pub const ALL: [ExceptionKind; 3] = [Self::Leave, Self::Blocked, Self::Extra];

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Leave, Self::Blocked, Self::Extra]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// A span of time: `[starts, ends)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
}

impl Span {
    pub fn overlaps(&self, other: &Span) -> bool {
        self.starts < other.ends && other.starts < self.ends
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleException {
    pub kind: ExceptionKind,
    pub span: Span,
    pub room: String,
}

/// A bookable slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub span: Span,
    pub room: String,
}

/// Everything one doctor's free slots depend on.
#[derive(Clone, Debug, Default)]
pub struct DoctorSchedule {
    pub slot_minutes: u32,
    /// The clinic's opening hours; none: open whenever its doctors are.
    pub opening_hours: Vec<WeeklyHours>,
    pub holidays: Vec<NaiveDate>,
    pub office_hours: Vec<WeeklyHours>,
    /// Extra sessions (leave and blocked time may be here or in `busy`).
    pub exceptions: Vec<ScheduleException>,
    /// Appointments already made, and leave and blocked time.
    pub busy: Vec<Span>,
}

/// Which end of a span a wall-clock time stands for, where the clocks
/// change: an hour that happens twice is taken whole.
#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// The instant a wall-clock time in `tz` stands for. A time the clocks skip
/// (02:30 on the night they go forward) is the moment they land on; one they
/// pass twice is its first occurrence as a start and its second as an end.
fn instant<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime, edge: Edge) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => match edge {
            Edge::Start => first.with_timezone(&Utc),
            Edge::End => second.with_timezone(&Utc),
        },
        LocalResult::None => {
            // Gaps are whole minutes (at most two hours, in any zone).
            let mut probe = local;
            for _ in 0..240 {
                probe += Duration::minutes(1);
                let whole_minute = probe
                    .with_second(0)
                    .and_then(|p| p.with_nanosecond(0))
                    .unwrap_or(probe);
                if let Some(t) = tz.from_local_datetime(&whole_minute).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            // No real zone has a gap this long; fall back on the UTC reading.
            local.and_utc()
        }
    }
}

/// One weekly session as the schedule page shows and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionRow {
    /// ISO weekday, 1 (Monday) to 7.
    pub weekday: i16,
    /// "09:00".
    pub starts: String,
    pub ends: String,
    pub room: String,
}

impl From<WeeklyHours> for SessionRow {
    fn from(h: WeeklyHours) -> Self {
        Self {
            weekday: weekday_iso(h.weekday),
            starts: h.starts.format("%H:%M").to_string(),
            ends: h.ends.format("%H:%M").to_string(),
            room: h.room,
        }
    }
}

/// An exception on the schedule page, in the clinic's time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExceptionRow {
    pub id: uuid::Uuid,
    pub kind: ExceptionKind,
    pub starts: super::local_time::LocalTime,
    pub ends: super::local_time::LocalTime,
    pub room: String,
    pub reason: String,
}

/// A doctor's schedule page: whose, the week, and the exceptions ahead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleEditor {
    /// The doctors the person may change the schedule of, by name.
    pub doctors: Vec<(uuid::Uuid, String)>,
    pub doctor_user_id: uuid::Uuid,
    pub doctor: String,
    pub week: Vec<SessionRow>,
    pub exceptions: Vec<ExceptionRow>,
    pub zone: String,
    pub slot_minutes: i32,
}

/// The day names of ISO weekdays 1..=7.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The rows the week form shows for one weekday: its sessions, then spare
/// rows up to `least` and always one (a new session without JavaScript).
pub fn week_form_rows(week: &[SessionRow], weekday: i16, least: usize) -> Vec<SessionRow> {
    let mut rows: Vec<SessionRow> = week
        .iter()
        .filter(|s| s.weekday == weekday)
        .cloned()
        .collect();
    let spare = least.saturating_sub(rows.len()).max(1);
    rows.extend((0..spare).map(|_| SessionRow {
        weekday,
        starts: String::new(),
        ends: String::new(),
        room: String::new(),
    }));
    rows
}

/// The instants a wall-clock session on `day` covers.
pub fn session_span<Tz: TimeZone>(
    tz: &Tz,
    day: NaiveDate,
    starts: NaiveTime,
    ends: NaiveTime,
) -> Span {
    Span {
        starts: instant(tz, day.and_time(starts), Edge::Start),
        ends: instant(tz, day.and_time(ends), Edge::End),
    }
}

/// The instants of the local day `day` (midnight to midnight).
pub fn day_span<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> Span {
    let next = day.succ_opt().unwrap_or(day);
    Span {
        starts: instant(tz, day.and_time(NaiveTime::MIN), Edge::Start),
        ends: instant(tz, next.and_time(NaiveTime::MIN), Edge::Start),
    }
}

/// The local date of an instant.
pub fn local_date<Tz: TimeZone>(tz: &Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(tz).date_naive()
}

fn intersect(a: Span, b: Span) -> Option<Span> {
    let starts = a.starts.max(b.starts);
    let ends = a.ends.min(b.ends);
    (starts < ends).then_some(Span { starts, ends })
}

impl DoctorSchedule {
    /// The sessions of `day` as instants with their rooms: weekly office
    /// hours inside the clinic's opening hours (none on a holiday), and
    /// extra sessions.
    fn sessions<Tz: TimeZone>(&self, tz: &Tz, day: NaiveDate) -> Vec<(Span, String)> {
        let weekday = day.weekday();
        let mut out = Vec::new();
        if !self.holidays.contains(&day) {
            let opening: Vec<Span> = self
                .opening_hours
                .iter()
                .filter(|h| h.weekday == weekday && h.starts < h.ends)
                .map(|h| session_span(tz, day, h.starts, h.ends))
                .collect();
            for h in self
                .office_hours
                .iter()
                .filter(|h| h.weekday == weekday && h.starts < h.ends)
            {
                let span = session_span(tz, day, h.starts, h.ends);
                if self.opening_hours.is_empty() {
                    out.push((span, h.room.clone()));
                } else {
                    out.extend(
                        opening
                            .iter()
                            .filter_map(|o| intersect(span, *o))
                            .map(|s| (s, h.room.clone())),
                    );
                }
            }
        }
        let whole_day = day_span(tz, day);
        out.extend(
            self.exceptions
                .iter()
                .filter(|e| e.kind == ExceptionKind::Extra)
                .filter_map(|e| intersect(e.span, whole_day).map(|s| (s, e.room.clone()))),
        );
        out
    }

    /// The free slots of `day` (a local date in `tz`) starting no earlier
    /// than `not_before`, in order, none overlapping another.
    pub fn free_slots<Tz: TimeZone>(
        &self,
        tz: &Tz,
        day: NaiveDate,
        not_before: DateTime<Utc>,
    ) -> Vec<Slot> {
        if self.slot_minutes == 0 {
            return Vec::new();
        }
        let length = Duration::minutes(i64::from(self.slot_minutes));
        let taken: Vec<Span> = self
            .busy
            .iter()
            .copied()
            .chain(
                self.exceptions
                    .iter()
                    .filter(|e| e.kind != ExceptionKind::Extra)
                    .map(|e| e.span),
            )
            .collect();
        let mut slots = Vec::new();
        for (session, room) in self.sessions(tz, day) {
            let mut starts = session.starts;
            while starts + length <= session.ends && slots.len() < MAX_SLOTS_PER_DAY * 2 {
                let span = Span {
                    starts,
                    ends: starts + length,
                };
                if starts >= not_before && !taken.iter().any(|t| t.overlaps(&span)) {
                    slots.push(Slot {
                        span,
                        room: room.clone(),
                    });
                }
                starts += length;
            }
        }
        slots.sort_by_key(|s| s.span.starts);
        // Sessions may overlap (an extra session over weekly hours): keep
        // the first of any slots that would clash.
        let mut kept: Vec<Slot> = Vec::with_capacity(slots.len());
        for s in slots {
            if kept.last().is_none_or(|k| !k.span.overlaps(&s.span)) {
                kept.push(s);
            }
        }
        kept.truncate(MAX_SLOTS_PER_DAY);
        kept
    }

    /// Whether `span` is one of the free slots of its local day.
    pub fn offers<Tz: TimeZone>(&self, tz: &Tz, span: Span, now: DateTime<Utc>) -> bool {
        let day = local_date(tz, span.starts);
        self.free_slots(tz, day, now).iter().any(|s| s.span == span)
    }
}

/// A weekday from its ISO number (1 Monday .. 7 Sunday), as stored.
pub fn weekday_from_iso(n: i16) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// A weekday's ISO number, as stored.
pub fn weekday_iso(d: Weekday) -> i16 {
    d.number_from_monday() as i16
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Asia::Kolkata, Europe::London};

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
    }

    fn hours(weekday: Weekday, starts: NaiveTime, ends: NaiveTime) -> WeeklyHours {
        WeeklyHours {
            weekday,
            starts,
            ends,
            room: "Room 4".into(),
        }
    }

    fn long_ago() -> DateTime<Utc> {
        utc(2000, 1, 1, 0, 0)
    }

    /// Local "HH:MM" of each slot's start.
    fn starts<Tz: TimeZone>(tz: &Tz, slots: &[Slot]) -> Vec<String>
    where
        Tz::Offset: std::fmt::Display,
    {
        slots
            .iter()
            .map(|s| s.span.starts.with_timezone(tz).format("%H:%M").to_string())
            .collect()
    }

    #[test]
    fn the_week_form_shows_each_days_sessions_and_spare_rows() {
        let row = |weekday, starts: &str| SessionRow {
            weekday,
            starts: starts.into(),
            ends: "13:00".into(),
            room: String::new(),
        };
        let week = [
            row(1, "09:00"),
            row(1, "10:00"),
            row(1, "11:00"),
            row(2, "09:00"),
        ];
        let monday = week_form_rows(&week, 1, 2);
        assert_eq!(monday.len(), 4);
        assert!(monday[3].starts.is_empty());
        let tuesday = week_form_rows(&week, 2, 2);
        assert_eq!((tuesday.len(), tuesday[0].starts.as_str()), (2, "09:00"));
        let sunday = week_form_rows(&week, 7, 2);
        assert_eq!(sunday.len(), 2);
        assert!(sunday.iter().all(|r| r.starts.is_empty() && r.weekday == 7));
        assert_eq!(
            ExceptionKind::ALL.map(ExceptionKind::label)[2],
            "Extra session"
        );
    }

    #[test]
    fn a_morning_session_is_cut_into_slots_of_the_clinics_length() {
        // Monday 7 December 2026 in Kolkata (UTC+05:30, no daylight saving).
        let s = DoctorSchedule {
            slot_minutes: 15,
            office_hours: vec![hours(Weekday::Mon, t(9, 0), t(10, 0))],
            ..Default::default()
        };
        let slots = s.free_slots(&Kolkata, d(2026, 12, 7), long_ago());
        assert_eq!(
            starts(&Kolkata, &slots),
            ["09:00", "09:15", "09:30", "09:45"]
        );
        assert_eq!(slots[0].span.starts, utc(2026, 12, 7, 3, 30));
        assert_eq!(slots[0].room, "Room 4");
        // Another weekday has none; a session too short for a slot gives none.
        assert!(
            s.free_slots(&Kolkata, d(2026, 12, 8), long_ago())
                .is_empty()
        );
        let short = DoctorSchedule {
            slot_minutes: 30,
            office_hours: vec![hours(Weekday::Mon, t(9, 0), t(9, 20))],
            ..Default::default()
        };
        assert!(
            short
                .free_slots(&Kolkata, d(2026, 12, 7), long_ago())
                .is_empty()
        );
    }

    #[test]
    fn bookings_exceptions_and_the_past_take_slots_away() {
        let mut s = DoctorSchedule {
            slot_minutes: 15,
            office_hours: vec![
                hours(Weekday::Mon, t(9, 0), t(10, 0)),
                hours(Weekday::Mon, t(14, 0), t(14, 30)),
            ],
            ..Default::default()
        };
        // 09:15 booked, a meeting 09:40-09:50 (touches 09:30 and 09:45).
        s.busy.push(Span {
            starts: utc(2026, 12, 7, 3, 45),
            ends: utc(2026, 12, 7, 4, 0),
        });
        s.exceptions.push(ScheduleException {
            kind: ExceptionKind::Blocked,
            span: Span {
                starts: utc(2026, 12, 7, 4, 10),
                ends: utc(2026, 12, 7, 4, 20),
            },
            room: String::new(),
        });
        let day = d(2026, 12, 7);
        assert_eq!(
            starts(&Kolkata, &s.free_slots(&Kolkata, day, long_ago())),
            ["09:00", "14:00", "14:15"]
        );
        // At 09:05 the 09:00 slot has begun: it is no longer offered.
        let now = utc(2026, 12, 7, 3, 35);
        assert_eq!(
            starts(&Kolkata, &s.free_slots(&Kolkata, day, now)),
            ["14:00", "14:15"]
        );
        // Leave over the afternoon takes the rest.
        s.exceptions.push(ScheduleException {
            kind: ExceptionKind::Leave,
            span: Span {
                starts: utc(2026, 12, 7, 6, 30),
                ends: utc(2026, 12, 8, 6, 30),
            },
            room: String::new(),
        });
        assert!(s.free_slots(&Kolkata, day, now).is_empty());
    }

    #[test]
    fn opening_hours_bound_a_doctors_hours_and_holidays_close_the_day() {
        let mut s = DoctorSchedule {
            slot_minutes: 30,
            opening_hours: vec![hours(Weekday::Mon, t(8, 0), t(10, 0))],
            office_hours: vec![hours(Weekday::Mon, t(9, 0), t(11, 0))],
            ..Default::default()
        };
        let day = d(2026, 12, 7);
        assert_eq!(
            starts(&Kolkata, &s.free_slots(&Kolkata, day, long_ago())),
            ["09:00", "09:30"]
        );
        s.holidays.push(day);
        assert!(s.free_slots(&Kolkata, day, long_ago()).is_empty());
        // An extra session opens a holiday, and outside opening hours.
        s.exceptions.push(ScheduleException {
            kind: ExceptionKind::Extra,
            span: session_span(&Kolkata, day, t(18, 0), t(19, 0)),
            room: "Ward 2".into(),
        });
        let slots = s.free_slots(&Kolkata, day, long_ago());
        assert_eq!(starts(&Kolkata, &slots), ["18:00", "18:30"]);
        assert_eq!(slots[0].room, "Ward 2");
    }

    #[test]
    fn overlapping_sessions_never_offer_clashing_slots() {
        let day = d(2026, 12, 7);
        let s = DoctorSchedule {
            slot_minutes: 20,
            office_hours: vec![hours(Weekday::Mon, t(9, 0), t(10, 0))],
            exceptions: vec![ScheduleException {
                kind: ExceptionKind::Extra,
                span: session_span(&Kolkata, day, t(9, 10), t(10, 10)),
                room: String::new(),
            }],
            ..Default::default()
        };
        let slots = s.free_slots(&Kolkata, day, long_ago());
        for pair in slots.windows(2) {
            assert!(pair[0].span.ends <= pair[1].span.starts, "{slots:?}");
        }
        assert_eq!(starts(&Kolkata, &slots), ["09:00", "09:20", "09:40"]);
    }

    #[test]
    fn new_york_spring_forward_night_session_is_an_hour_shorter() {
        // Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT.
        let day = d(2026, 3, 8);
        let s = DoctorSchedule {
            slot_minutes: 30,
            office_hours: vec![hours(Weekday::Sun, t(0, 0), t(6, 0))],
            ..Default::default()
        };
        let slots = s.free_slots(&New_York, day, long_ago());
        // Six wall-clock hours, five real ones: ten slots, none at 02:xx.
        assert_eq!(slots.len(), 10);
        let names = starts(&New_York, &slots);
        assert_eq!(names[3], "01:30");
        assert_eq!(names[4], "03:00");
        assert!(!names.iter().any(|n| n.starts_with("02:")));
        for s in &slots {
            assert_eq!(s.span.ends - s.span.starts, Duration::minutes(30));
        }
        assert_eq!(slots[0].span.starts, utc(2026, 3, 8, 5, 0));
        assert_eq!(slots[9].span.ends, utc(2026, 3, 8, 10, 0));
        // A session beginning in the skipped hour begins when it ends.
        let gap = DoctorSchedule {
            slot_minutes: 30,
            office_hours: vec![hours(Weekday::Sun, t(2, 30), t(4, 0))],
            ..Default::default()
        };
        assert_eq!(
            starts(&New_York, &gap.free_slots(&New_York, day, long_ago())),
            ["03:00", "03:30"]
        );
        // Daytime hours that day are untouched, in EDT (UTC-4).
        let day_clinic = DoctorSchedule {
            slot_minutes: 60,
            office_hours: vec![hours(Weekday::Sun, t(9, 0), t(11, 0))],
            ..Default::default()
        };
        let slots = day_clinic.free_slots(&New_York, day, long_ago());
        assert_eq!(slots[0].span.starts, utc(2026, 3, 8, 13, 0));
        assert_eq!(slots.len(), 2);
    }

    #[test]
    fn london_autumn_night_session_is_an_hour_longer() {
        // Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT.
        let day = d(2026, 10, 25);
        let s = DoctorSchedule {
            slot_minutes: 30,
            office_hours: vec![hours(Weekday::Sun, t(0, 0), t(3, 0))],
            ..Default::default()
        };
        let slots = s.free_slots(&London, day, long_ago());
        // Three wall-clock hours, four real ones; 01:00 and 01:30 twice.
        assert_eq!(slots.len(), 8);
        assert_eq!(
            starts(&London, &slots),
            [
                "00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00", "02:30"
            ]
        );
        assert_eq!(slots[0].span.starts, utc(2026, 10, 24, 23, 0));
        assert_eq!(slots[7].span.ends, utc(2026, 10, 25, 3, 0));
        // The spring change in London: 29 March 2026, 01:00 GMT -> 02:00 BST.
        let spring = DoctorSchedule {
            slot_minutes: 60,
            office_hours: vec![hours(Weekday::Sun, t(0, 0), t(4, 0))],
            ..Default::default()
        };
        let slots = spring.free_slots(&London, d(2026, 3, 29), long_ago());
        assert_eq!(starts(&London, &slots), ["00:00", "02:00", "03:00"]);
    }

    #[test]
    fn offers_only_the_slots_it_lists() {
        let s = DoctorSchedule {
            slot_minutes: 15,
            office_hours: vec![hours(Weekday::Mon, t(9, 0), t(10, 0))],
            ..Default::default()
        };
        let slot = Span {
            starts: utc(2026, 12, 7, 3, 45),
            ends: utc(2026, 12, 7, 4, 0),
        };
        assert!(s.offers(&Kolkata, slot, long_ago()));
        let off_grid = Span {
            starts: utc(2026, 12, 7, 3, 40),
            ends: utc(2026, 12, 7, 3, 55),
        };
        assert!(!s.offers(&Kolkata, off_grid, long_ago()));
        let too_long = Span {
            starts: slot.starts,
            ends: utc(2026, 12, 7, 4, 15),
        };
        assert!(!s.offers(&Kolkata, too_long, long_ago()));
        assert!(!s.offers(&Kolkata, slot, utc(2026, 12, 7, 3, 50)));
    }

    #[test]
    fn weekdays_round_trip_their_iso_numbers() {
        for n in 1..=7 {
            assert_eq!(weekday_iso(weekday_from_iso(n).unwrap()), n);
        }
        assert_eq!(weekday_from_iso(0), None);
        assert_eq!(weekday_from_iso(8), None);
        assert_eq!(
            day_span(&Kolkata, d(2026, 12, 7)).starts,
            utc(2026, 12, 6, 18, 30)
        );
        assert_eq!(
            local_date(&Kolkata, utc(2026, 12, 6, 18, 30)),
            d(2026, 12, 7)
        );
    }
}
