//! The clinic's booking rules (`clinic_schedule_settings`): how long a slot
//! is, how late a patient may cancel online, how long after its end a
//! booked appointment becomes a no-show, when booking online is paused for
//! repeated no-shows, and how far ahead anyone books. The clinic admin sets
//! them; the ranges are the database's own.

use serde::{Deserialize, Serialize};

use crate::domain::{AppError, FieldErrors};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSettings {
    pub slot_minutes: i32,
    pub cancel_notice_minutes: i32,
    pub no_show_grace_minutes: i32,
    pub suspend_after_no_shows: i32,
    pub suspend_window_days: i32,
    pub booking_horizon_days: i32,
}

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleSettingsInput {
    pub slot_minutes: String,
    pub cancel_notice_minutes: String,
    pub no_show_grace_minutes: String,
    pub suspend_after_no_shows: String,
    pub suspend_window_days: String,
    pub booking_horizon_days: String,
}

impl From<ScheduleSettings> for ScheduleSettingsInput {
    fn from(s: ScheduleSettings) -> Self {
        Self {
            slot_minutes: s.slot_minutes.to_string(),
            cancel_notice_minutes: s.cancel_notice_minutes.to_string(),
            no_show_grace_minutes: s.no_show_grace_minutes.to_string(),
            suspend_after_no_shows: s.suspend_after_no_shows.to_string(),
            suspend_window_days: s.suspend_window_days.to_string(),
            booking_horizon_days: s.booking_horizon_days.to_string(),
        }
    }
}

/// Each field: its name, its label, and the whole numbers it takes.
pub const FIELDS: [(&str, &str, i32, i32); 6] = [
    ("slot_minutes", "Slot length (minutes)", 5, 240),
    (
        "cancel_notice_minutes",
        "Patients may cancel online up to (minutes before)",
        0,
        10_080,
    ),
    (
        "no_show_grace_minutes",
        "A no-show this long after the end (minutes)",
        0,
        1_440,
    ),
    (
        "suspend_after_no_shows",
        "Pause booking online after (no-shows)",
        1,
        100,
    ),
    (
        "suspend_window_days",
        "counted over the last (days)",
        1,
        730,
    ),
    ("booking_horizon_days", "Book up to (days ahead)", 1, 730),
];

pub fn parse_schedule_settings(
    input: &ScheduleSettingsInput,
) -> Result<ScheduleSettings, AppError> {
    let mut e = FieldErrors::new();
    let raw = [
        &input.slot_minutes,
        &input.cancel_notice_minutes,
        &input.no_show_grace_minutes,
        &input.suspend_after_no_shows,
        &input.suspend_window_days,
        &input.booking_horizon_days,
    ];
    let mut v = [0i32; 6];
    for (i, (field, _, min, max)) in FIELDS.iter().enumerate() {
        match raw[i].trim().parse::<i32>() {
            Ok(n) if (*min..=*max).contains(&n) => v[i] = n,
            _ => e.add(*field, format!("Enter a whole number from {min} to {max}.")),
        }
    }
    e.finish(ScheduleSettings {
        slot_minutes: v[0],
        cancel_notice_minutes: v[1],
        no_show_grace_minutes: v[2],
        suspend_after_no_shows: v[3],
        suspend_window_days: v[4],
        booking_horizon_days: v[5],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> ScheduleSettings {
        ScheduleSettings {
            slot_minutes: 15,
            cancel_notice_minutes: 120,
            no_show_grace_minutes: 15,
            suspend_after_no_shows: 3,
            suspend_window_days: 90,
            booking_horizon_days: 90,
        }
    }

    #[test]
    fn the_form_reads_back_what_it_shows() {
        let input = ScheduleSettingsInput::from(defaults());
        assert_eq!(parse_schedule_settings(&input).unwrap(), defaults());
        let spaced = ScheduleSettingsInput {
            slot_minutes: " 30 ".into(),
            ..input
        };
        assert_eq!(parse_schedule_settings(&spaced).unwrap().slot_minutes, 30);
    }

    #[test]
    fn each_field_is_refused_by_name_outside_its_range() {
        let good = ScheduleSettingsInput::from(defaults());
        for (field, value) in [
            ("slot_minutes", "4"),
            ("slot_minutes", "fifteen"),
            ("cancel_notice_minutes", "-1"),
            ("no_show_grace_minutes", "1441"),
            ("suspend_after_no_shows", "0"),
            ("suspend_window_days", "731"),
            ("booking_horizon_days", ""),
            ("booking_horizon_days", "99999999999"),
        ] {
            let mut input = good.clone();
            let slot = match field {
                "slot_minutes" => &mut input.slot_minutes,
                "cancel_notice_minutes" => &mut input.cancel_notice_minutes,
                "no_show_grace_minutes" => &mut input.no_show_grace_minutes,
                "suspend_after_no_shows" => &mut input.suspend_after_no_shows,
                "suspend_window_days" => &mut input.suspend_window_days,
                _ => &mut input.booking_horizon_days,
            };
            *slot = value.into();
            let Err(AppError::Validation(errors)) = parse_schedule_settings(&input) else {
                panic!("{field}={value:?} was accepted");
            };
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, field);
            assert!(errors[0].message.starts_with("Enter a whole number from "));
        }
    }
}
