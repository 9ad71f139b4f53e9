//! Synthetic people: plausible names, ages, contacts and blood groups drawn
//! from fixed lists. Fictional by construction (example.com mail, reserved
//! phone ranges).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::pick;

pub struct Person {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub city: &'static str,
    pub blood_group: Option<&'static str>,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub registered_at: DateTime<Utc>,
}

const FEMALE: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Emily", "Priya", "Ananya",
    "Aisha", "Fatima", "Mei", "Yuki", "Chloe", "Zara", "Leah", "Nadia", "Sara", "Lucia", "Ifeoma",
    "Amara", "Hannah", "Ruth", "Kavya", "Divya", "Elena", "Maria", "Noor", "Ivy",
];
const MALE: &[&str] = &[
    "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Jack", "Arjun", "Rohan", "Vikram",
    "Omar", "Yusuf", "Wei", "Hiroshi", "Daniel", "Samuel", "Ethan", "Mateo", "Luca", "Kwame",
    "Chidi", "David", "Thomas", "Aditya", "Rahul", "Ibrahim", "Joseph", "Ravi", "Adam", "Finn",
];
const FAMILY: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Sharma",
    "Singh",
    "Kumar",
    "Iyer",
    "Reddy",
    "Nair",
    "Khan",
    "Ahmed",
    "Hussain",
    "Chen",
    "Wang",
    "Li",
    "Tanaka",
    "Sato",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Garcia",
    "Rodriguez",
    "Rossi",
    "Müller",
    "O'Brien",
    "Murphy",
    "Kowalski",
    "Novak",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Mehta",
    "Gupta",
];
const STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Mill Road",
    "Victoria Road",
    "Green Lane",
    "MG Road",
    "Lake View",
    "Temple Street",
    "Market Square",
    "Orchard Close",
];
const CITIES: &[&str] = &[
    "Riverside",
    "Hilltop",
    "Eastbridge",
    "Westford",
    "Northgate",
    "Southmoor",
    "Kingsbury",
    "Ashdown",
];
const BLOOD_GROUPS: &[&str] = &["O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"];
/// Rough population frequencies for the groups above, in tenths of a percent.
const BLOOD_WEIGHTS: &[u32] = &[380, 340, 90, 30, 70, 60, 20, 10];

pub fn generate(rng: &mut StdRng, today: NaiveDate) -> Person {
    let roll: u32 = rng.random_range(0..100);
    let (sex, given) = match roll {
        0..49 => ("female", pick(rng, FEMALE)),
        49..98 => ("male", pick(rng, MALE)),
        98 => ("other", pick(rng, FEMALE)),
        _ => ("unknown", pick(rng, MALE)),
    };
    let family = pick(rng, FAMILY);
    let age_days = age_in_days(rng);
    let date_of_birth = today - Duration::days(age_days);
    let city = pick(rng, CITIES);
    let email = (rng.random_range(0..100) < 60).then(|| {
        format!(
            "{}.{}{}@example.com",
            ascii_lower(given),
            ascii_lower(family),
            rng.random_range(1..1000)
        )
    });
    let blood_group = (rng.random_range(0..100) < 70).then(|| weighted(rng));
    let contact_names = if rng.random_bool(0.5) { FEMALE } else { MALE };
    let contact_given = pick(rng, contact_names);
    Person {
        given_name: given.to_string(),
        family_name: family.to_string(),
        date_of_birth,
        sex,
        phone: phone(rng),
        email,
        address: format!("{} {}", rng.random_range(1..250), pick(rng, STREETS)),
        city,
        blood_group,
        emergency_contact_name: format!("{contact_given} {family}"),
        emergency_contact_phone: phone(rng),
        registered_at: Utc::now() - Duration::minutes(rng.random_range(0..5 * 365 * 24 * 60)),
    }
}

/// Ages skewed as a clinic sees them: children, working age, many elderly.
fn age_in_days(rng: &mut StdRng) -> i64 {
    let years = match rng.random_range(0..100) {
        0..18 => rng.random_range(0..18),
        18..68 => rng.random_range(18..65),
        _ => rng.random_range(65..98),
    };
    years * 365 + rng.random_range(0..365)
}

fn weighted(rng: &mut StdRng) -> &'static str {
    let total: u32 = BLOOD_WEIGHTS.iter().sum();
    let mut roll = rng.random_range(0..total);
    for (group, weight) in BLOOD_GROUPS.iter().zip(BLOOD_WEIGHTS) {
        if roll < *weight {
            return group;
        }
        roll -= weight;
    }
    BLOOD_GROUPS[0]
}

/// Numbers in the UK's drama range (07700 900000–900999), reserved for fiction.
fn phone(rng: &mut StdRng) -> String {
    format!("+44 7700 900{:03}", rng.random_range(0..1000))
}

fn ascii_lower(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn people_are_plausible() {
        let mut rng = StdRng::seed_from_u64(7);
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        for _ in 0..2000 {
            let p = generate(&mut rng, today);
            assert!(p.date_of_birth <= today);
            assert!(p.date_of_birth > today - Duration::days(100 * 365));
            assert!(["female", "male", "other", "unknown"].contains(&p.sex));
            assert!(p.phone.starts_with("+44 7700 900"));
            if let Some(e) = &p.email {
                assert!(e.ends_with("@example.com") && !e.contains('\''), "{e}");
            }
        }
    }
}
