//! Vital signs: the triage form, the limits outside which a value cannot be
//! a living patient's (refused), the adult ranges outside which it is
//! abnormal (flagged), and BMI.
//!
//! The refusal limits are wider than any survivable extreme on record, so
//! that a real reading is never refused: they catch typing slips (a weight
//! of 700, a temperature in Fahrenheit). The flags use adult resting
//! ranges; children's differ, and the page says so. The LOINC codes are
//! those of the FHIR vital-signs profile. `../shared/data/vital-signs.tsv`
//! has narrower "plausible" limits meant for screening device data; they
//! would refuse real readings (an SpO2 of 65 % in a crisis), so they are
//! not used here.

use serde::{Deserialize, Serialize};

use super::error::{AppError, FieldErrors};
use super::local_time::LocalTime;

/// One kind of measurement: its form field, label, unit, LOINC code, the
/// limits of the possible, the normal adult range, and decimals allowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measure {
    pub field: &'static str,
    pub label: &'static str,
    pub short: &'static str,
    pub unit: &'static str,
    pub loinc: &'static str,
    pub possible: (f64, f64),
    /// Normal when `low <= v < high`.
    pub normal: (f64, f64),
    pub decimals: u8,
}

pub const SYSTOLIC: Measure = Measure {
    field: "systolic",
    label: "Systolic blood pressure",
    short: "BP",
    unit: "mmHg",
    loinc: "8480-6",
    possible: (40.0, 300.0),
    normal: (90.0, 140.0),
    decimals: 0,
};
pub const DIASTOLIC: Measure = Measure {
    field: "diastolic",
    label: "Diastolic blood pressure",
    short: "BP",
    unit: "mmHg",
    loinc: "8462-4",
    possible: (20.0, 200.0),
    normal: (60.0, 90.0),
    decimals: 0,
};
pub const HEART_RATE: Measure = Measure {
    field: "heart_rate",
    label: "Heart rate",
    short: "HR",
    unit: "/min",
    loinc: "8867-4",
    possible: (20.0, 300.0),
    normal: (50.0, 101.0),
    decimals: 0,
};
pub const TEMPERATURE: Measure = Measure {
    field: "temperature",
    label: "Temperature",
    short: "T",
    unit: "°C",
    loinc: "8310-5",
    possible: (25.0, 45.0),
    normal: (36.0, 38.0),
    decimals: 1,
};
pub const RESPIRATORY_RATE: Measure = Measure {
    field: "respiratory_rate",
    label: "Respiratory rate",
    short: "RR",
    unit: "/min",
    loinc: "9279-1",
    possible: (2.0, 80.0),
    normal: (12.0, 21.0),
    decimals: 0,
};
pub const SPO2: Measure = Measure {
    field: "spo2",
    label: "SpO2",
    short: "SpO2",
    unit: "%",
    loinc: "59408-5",
    possible: (50.0, 100.0),
    normal: (94.0, 101.0),
    decimals: 0,
};
pub const WEIGHT: Measure = Measure {
    field: "weight",
    label: "Weight",
    short: "Wt",
    unit: "kg",
    loinc: "29463-7",
    possible: (0.3, 500.0),
    normal: (0.0, f64::INFINITY),
    decimals: 2,
};
pub const HEIGHT: Measure = Measure {
    field: "height",
    label: "Height",
    short: "Ht",
    unit: "cm",
    loinc: "8302-2",
    possible: (20.0, 272.0),
    normal: (0.0, f64::INFINITY),
    decimals: 1,
};
pub const PAIN: Measure = Measure {
    field: "pain",
    label: "Pain score",
    short: "Pain",
    unit: "/10",
    loinc: "72514-3",
    possible: (0.0, 10.0),
    normal: (0.0, 4.0),
    decimals: 0,
};
/// Computed from weight and height, never typed.
pub const BMI: Measure = Measure {
    field: "bmi",
    label: "BMI",
    short: "BMI",
    unit: "kg/m²",
    loinc: "39156-5",
    possible: (5.0, 150.0),
    normal: (18.5, 30.0),
    decimals: 1,
};

/// Where a value stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    Normal,
    Low,
    High,
}

impl Measure {
    pub fn flag(&self, value: f64) -> Flag {
        if value < self.normal.0 {
            Flag::Low
        } else if value >= self.normal.1 {
            Flag::High
        } else {
            Flag::Normal
        }
    }

    /// A typed value: empty is none; otherwise a number within the possible.
    fn parse(&self, raw: &str, e: &mut FieldErrors) -> Option<f64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        if raw.len() > 12 {
            e.add(self.field, "Enter a number.");
            return None;
        }
        let Ok(v) = raw.replace(',', ".").parse::<f64>() else {
            e.add(self.field, "Enter a number.");
            return None;
        };
        let scale = 10f64.powi(i32::from(self.decimals));
        if !v.is_finite() || ((v * scale).round() - v * scale).abs() > 1e-6 {
            e.add(
                self.field,
                match self.decimals {
                    0 => "Enter a whole number.".to_string(),
                    d => format!("Use at most {d} decimal places."),
                },
            );
            return None;
        }
        let (lo, hi) = self.possible;
        if v < lo || v > hi {
            e.add(
                self.field,
                format!(
                    "{} must be between {lo} and {hi} {}: check the reading.",
                    self.label, self.unit
                ),
            );
            return None;
        }
        Some(v)
    }
}

/// The triage form as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VitalsInput {
    pub systolic: String,
    pub diastolic: String,
    pub heart_rate: String,
    pub temperature: String,
    pub respiratory_rate: String,
    pub spo2: String,
    pub weight: String,
    pub height: String,
    pub pain: String,
}

/// A set of observations taken together; each may be missing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Vitals {
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
    pub heart_rate: Option<f64>,
    pub temperature: Option<f64>,
    pub respiratory_rate: Option<f64>,
    pub spo2: Option<f64>,
    pub weight: Option<f64>,
    pub height: Option<f64>,
    pub pain: Option<f64>,
}

pub fn parse_vitals(input: &VitalsInput) -> Result<Vitals, AppError> {
    let mut e = FieldErrors::new();
    let v = Vitals {
        systolic: SYSTOLIC.parse(&input.systolic, &mut e),
        diastolic: DIASTOLIC.parse(&input.diastolic, &mut e),
        heart_rate: HEART_RATE.parse(&input.heart_rate, &mut e),
        temperature: TEMPERATURE.parse(&input.temperature, &mut e),
        respiratory_rate: RESPIRATORY_RATE.parse(&input.respiratory_rate, &mut e),
        spo2: SPO2.parse(&input.spo2, &mut e),
        weight: WEIGHT.parse(&input.weight, &mut e),
        height: HEIGHT.parse(&input.height, &mut e),
        pain: PAIN.parse(&input.pain, &mut e),
    };
    match (v.systolic, v.diastolic) {
        (Some(_), None) if !e.has("diastolic") => {
            e.add("diastolic", "Enter both blood pressure values.")
        }
        (None, Some(_)) if !e.has("systolic") => {
            e.add("systolic", "Enter both blood pressure values.")
        }
        (Some(s), Some(d)) if d >= s => e.add(
            "diastolic",
            "The diastolic pressure must be lower than the systolic.",
        ),
        _ => {}
    }
    if e.is_empty() && v == Vitals::default() {
        e.add("form", "Enter at least one measurement.");
    }
    e.finish(v)
}

/// Body mass index from weight (kg) and height (cm), to one decimal.
pub fn bmi(weight_kg: f64, height_cm: f64) -> Option<f64> {
    (weight_kg > 0.0 && height_cm > 0.0).then(|| {
        let m = height_cm / 100.0;
        (weight_kg / (m * m) * 10.0).round() / 10.0
    })
}

/// A recorded set, as pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecordedVitals {
    pub vitals: Vitals,
    pub recorded_at: LocalTime,
    pub recorded_by: String,
}

/// A recorded set in a patient's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VitalsEntry {
    pub id: uuid::Uuid,
    /// The visit it was taken at, if any.
    pub visit_id: Option<uuid::Uuid>,
    #[serde(flatten)]
    pub set: RecordedVitals,
}

/// The triage page of a visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VitalsPage {
    pub visit_id: uuid::Uuid,
    pub token: String,
    pub department: String,
    /// The visit's stored status.
    pub status: String,
    pub patient_name: String,
    pub patient_number: String,
    /// Whether adult ranges apply to the flags.
    pub adult: bool,
    /// Sets taken for this visit, newest first.
    pub recorded: Vec<RecordedVitals>,
}

/// One shown value: "BP 150/95 mmHg", flagged high.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub label: String,
    pub value: String,
    pub flag: Flag,
}

fn format(v: f64, decimals: u8) -> String {
    format!("{v:.*}", usize::from(decimals))
}

/// The readings of a set, in the order clinicians read them; BMI from
/// weight and height, flagged only for adults.
pub fn readings(v: &Vitals, adult: bool) -> Vec<Reading> {
    let mut out = Vec::new();
    if let (Some(s), Some(d)) = (v.systolic, v.diastolic) {
        let flag = match (SYSTOLIC.flag(s), DIASTOLIC.flag(d)) {
            (Flag::High, _) | (_, Flag::High) => Flag::High,
            (Flag::Low, _) | (_, Flag::Low) => Flag::Low,
            _ => Flag::Normal,
        };
        out.push(Reading {
            label: "BP".into(),
            value: format!("{}/{} mmHg", format(s, 0), format(d, 0)),
            flag,
        });
    }
    for (m, value) in [
        (HEART_RATE, v.heart_rate),
        (TEMPERATURE, v.temperature),
        (RESPIRATORY_RATE, v.respiratory_rate),
        (SPO2, v.spo2),
        (PAIN, v.pain),
        (WEIGHT, v.weight),
        (HEIGHT, v.height),
    ] {
        if let Some(x) = value {
            out.push(Reading {
                label: m.short.into(),
                value: format!("{} {}", format(x, m.decimals.min(1)), m.unit),
                flag: m.flag(x),
            });
        }
    }
    if let (Some(w), Some(h)) = (v.weight, v.height)
        && let Some(b) = bmi(w, h)
    {
        out.push(Reading {
            label: "BMI".into(),
            value: format!("{} {}", format(b, 1), BMI.unit),
            flag: if adult { BMI.flag(b) } else { Flag::Normal },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> VitalsInput {
        let mut i = VitalsInput::default();
        for (k, v) in pairs {
            let v = (*v).to_string();
            match *k {
                "systolic" => i.systolic = v,
                "diastolic" => i.diastolic = v,
                "heart_rate" => i.heart_rate = v,
                "temperature" => i.temperature = v,
                "respiratory_rate" => i.respiratory_rate = v,
                "spo2" => i.spo2 = v,
                "weight" => i.weight = v,
                "height" => i.height = v,
                "pain" => i.pain = v,
                _ => unreachable!(),
            }
        }
        i
    }

    #[test]
    fn a_set_needs_something_and_a_whole_blood_pressure() {
        assert_eq!(
            parse_vitals(&VitalsInput::default())
                .unwrap_err()
                .field_message("form"),
            Some("Enter at least one measurement.")
        );
        let only_top = parse_vitals(&input(&[("systolic", "120")])).unwrap_err();
        assert!(only_top.field_message("diastolic").is_some());
        let upside_down =
            parse_vitals(&input(&[("systolic", "80"), ("diastolic", "120")])).unwrap_err();
        assert!(upside_down.field_message("diastolic").is_some());
        let ok = parse_vitals(&input(&[
            ("systolic", "120"),
            ("diastolic", "80"),
            ("temperature", "37,2"),
        ]))
        .unwrap();
        assert_eq!(ok.temperature, Some(37.2));
    }

    #[test]
    fn impossible_values_are_refused_by_their_field() {
        for (field, value) in [
            ("systolic", "400"),
            ("heart_rate", "0"),
            ("heart_rate", "72.5"),
            ("temperature", "98.6"),
            ("temperature", "37.25"),
            ("respiratory_rate", "-1"),
            ("spo2", "101"),
            ("weight", "700"),
            ("height", "2"),
            ("pain", "11"),
            ("pain", "NaN"),
            ("weight", "inf"),
            ("heart_rate", "seventy"),
            ("heart_rate", "1234567890123"),
        ] {
            let err = parse_vitals(&input(&[(field, value)])).unwrap_err();
            assert!(err.field_message(field).is_some(), "{field} = {value}");
        }
    }

    #[test]
    fn abnormal_values_are_flagged_not_refused() {
        let v = parse_vitals(&input(&[
            ("systolic", "165"),
            ("diastolic", "95"),
            ("heart_rate", "45"),
            ("spo2", "88"),
            ("temperature", "37.0"),
        ]))
        .unwrap();
        let r = readings(&v, true);
        let flag = |label: &str| r.iter().find(|x| x.label == label).unwrap().flag;
        assert_eq!(flag("BP"), Flag::High);
        assert_eq!(flag("HR"), Flag::Low);
        assert_eq!(flag("SpO2"), Flag::Low);
        assert_eq!(flag("T"), Flag::Normal);
        assert_eq!(r[0].value, "165/95 mmHg");
    }

    #[test]
    fn bmi_comes_from_weight_and_height() {
        assert_eq!(bmi(70.0, 175.0), Some(22.9));
        assert_eq!(bmi(70.0, 0.0), None);
        let v = Vitals {
            weight: Some(95.0),
            height: Some(170.0),
            ..Default::default()
        };
        let adult = readings(&v, true);
        let bmi_line = adult.iter().find(|r| r.label == "BMI").unwrap();
        assert_eq!(
            (bmi_line.value.as_str(), bmi_line.flag),
            ("32.9 kg/m²", Flag::High)
        );
        // Children's BMI is read against centile charts, not adult cut-offs.
        let child = readings(&v, false);
        assert_eq!(
            child.iter().find(|r| r.label == "BMI").unwrap().flag,
            Flag::Normal
        );
    }

    #[test]
    fn every_measure_has_a_loinc_code_and_sane_limits() {
        for m in [
            SYSTOLIC,
            DIASTOLIC,
            HEART_RATE,
            TEMPERATURE,
            RESPIRATORY_RATE,
            SPO2,
            WEIGHT,
            HEIGHT,
            PAIN,
            BMI,
        ] {
            assert!(m.loinc.contains('-'), "{}", m.field);
            assert!(m.possible.0 < m.possible.1);
            assert!(m.normal.0 <= m.possible.1);
        }
    }
}
