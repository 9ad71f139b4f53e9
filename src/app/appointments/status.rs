//! What the appointment pages share: the status badge's tone and the
//! doctor choices of a clinic's departments.

use crate::components::badge::Tone;
use crate::domain::appointments::AppointmentStatus;
use crate::domain::visits::DepartmentChoice;

pub fn status_tone(s: AppointmentStatus) -> Tone {
    match s {
        AppointmentStatus::Booked => Tone::Info,
        AppointmentStatus::CheckedIn => Tone::Success,
        AppointmentStatus::Completed => Tone::Neutral,
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow => Tone::Warning,
    }
}

/// Every doctor with their department, after `none` (the choice of no one
/// in particular). Without JavaScript one list holds them all; a doctor of
/// another department than the one chosen is refused by the database.
pub fn doctor_options(departments: &[DepartmentChoice], none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_string()))
        .chain(departments.iter().flat_map(|d| {
            d.doctors
                .iter()
                .map(move |(id, name)| (id.to_string(), format!("{name} · {}", d.name)))
        }))
        .collect()
}
