//! Demo data: the two demo clinics and realistic synthetic patients, loaded in
//! bulk with COPY so that 100,000 patients take seconds, not minutes.

mod accounts;
mod people;
mod schedules;

pub use accounts::{DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub const DEFAULT_PATIENTS: u32 = 500;

pub struct DemoClinic {
    pub slug: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub timezone: &'static str,
    /// Share of the demo patients registered here, in percent.
    pub patient_share: u32,
    pub number_prefix: &'static str,
}

pub const DEMO_CLINICS: &[DemoClinic] = &[
    DemoClinic {
        slug: "riverside",
        name: "Riverside General Hospital",
        address: "12 River Road, Riverside",
        phone: "+44 20 7946 0100",
        email: "contact@riverside.example",
        timezone: "Europe/London",
        patient_share: 60,
        number_prefix: "RGH",
    },
    DemoClinic {
        slug: "hilltop",
        name: "Hilltop Clinic",
        address: "4 Summit Avenue, Hilltop",
        phone: "+91 80 5550 0142",
        email: "frontdesk@hilltop.example",
        timezone: "Asia/Kolkata",
        patient_share: 40,
        number_prefix: "HTC",
    },
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub clinics: u32,
    pub patients: u64,
}

pub async fn has_demo_clinics(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from clinics where slug = 'riverside') as "exists!""#
    )
    .fetch_one(pool)
    .await
}

/// Seeds only when the database holds no clinic at all (a first `make run`).
pub async fn seed_if_empty(pool: &PgPool, patients: u32) -> anyhow::Result<Option<SeedReport>> {
    let mut tx = crate::server::tenancy::begin_anonymous(pool).await?;
    // Two servers starting together must not both seed.
    sqlx::query!("select pg_advisory_xact_lock(hashtext('hms.seed-demo'))")
        .execute(&mut *tx)
        .await?;
    let empty = sqlx::query_scalar!(r#"select not exists(select 1 from clinics) as "empty!""#)
        .fetch_one(&mut *tx)
        .await?;
    if !empty {
        return Ok(None);
    }
    let report = seed_demo_in(&mut tx, patients).await?;
    tx.commit().await?;
    refresh_statistics(pool).await?;
    Ok(Some(report))
}

/// Adds the demo clinics (if missing) and `patients` more demo patients.
pub async fn seed_demo(pool: &PgPool, patients: u32) -> anyhow::Result<SeedReport> {
    let mut tx = crate::server::tenancy::begin_anonymous(pool).await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('hms.seed-demo'))")
        .execute(&mut *tx)
        .await?;
    let report = seed_demo_in(&mut tx, patients).await?;
    tx.commit().await?;
    refresh_statistics(pool).await?;
    Ok(report)
}

/// Until autovacuum's next pass the planner would take the freshly loaded
/// register for empty: the front desk's recent registrations read all 60,000
/// of a clinic's patients instead of the newest twenty.
async fn refresh_statistics(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("analyze patients, users, memberships")
        .execute(pool)
        .await?;
    Ok(())
}

async fn seed_demo_in(
    tx: &mut Transaction<'_, Postgres>,
    patients: u32,
) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport::default();
    let mut rng = StdRng::seed_from_u64(0x4d53_2026 ^ u64::from(patients));
    let mut remaining = u64::from(patients);
    for (i, clinic) in DEMO_CLINICS.iter().enumerate() {
        let id = upsert_clinic(tx, clinic).await?;
        add_departments(tx, id).await?;
        accounts::add_clinic_accounts(tx, id, clinic).await?;
        schedules::add_office_hours(tx, id).await?;
        report.clinics += 1;
        let count = if i + 1 == DEMO_CLINICS.len() {
            remaining
        } else {
            u64::from(patients) * u64::from(clinic.patient_share) / 100
        };
        remaining -= count;
        report.patients += copy_patients(tx, id, clinic, count, &mut rng).await?;
    }
    accounts::add_platform_admin(tx).await?;
    Ok(report)
}

async fn upsert_clinic(
    tx: &mut Transaction<'_, Postgres>,
    c: &DemoClinic,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into clinics (id, slug, name, address, phone, email, timezone)
        values ($1, $2, $3, $4, $5, $6, $7)
        on conflict (slug) do update set name = clinics.name
        returning id
        "#,
        Uuid::now_v7(),
        c.slug,
        c.name,
        c.address,
        c.phone,
        c.email,
        c.timezone,
    )
    .fetch_one(&mut **tx)
    .await
}

/// Departments every demo clinic has (name, code).
pub const DEMO_DEPARTMENTS: &[(&str, &str)] = &[
    ("General Medicine", "GEN"),
    ("Cardiology", "CARD"),
    ("Pathology", "PATH"),
    ("Paediatrics", "PAED"),
];

async fn add_departments(
    tx: &mut Transaction<'_, Postgres>,
    clinic_id: Uuid,
) -> Result<(), sqlx::Error> {
    let (names, codes): (Vec<&str>, Vec<&str>) = DEMO_DEPARTMENTS.iter().copied().unzip();
    sqlx::query!(
        r#"
        insert into departments (id, clinic_id, name, code)
        select uuid_generate_v7(), $1, name, code
        from unnest($2::text[], $3::text[]) as d (name, code)
        on conflict (clinic_id, code) do nothing
        "#,
        clinic_id,
        &names as &[&str],
        &codes as &[&str],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Streams `count` generated patients into the clinic with one COPY.
async fn copy_patients(
    tx: &mut Transaction<'_, Postgres>,
    clinic_id: Uuid,
    clinic: &DemoClinic,
    count: u64,
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    if count == 0 {
        return Ok(0);
    }
    let existing = sqlx::query_scalar!(
        r#"select count(*) as "count!" from patients where clinic_id = $1"#,
        clinic_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let first_number = u64::try_from(existing).unwrap_or(0) + 1;
    let mut copy = tx
        .copy_in_raw(
            "copy patients (id, clinic_id, patient_number, given_name, family_name, \
             date_of_birth, sex, phone, email, address, city, blood_group, \
             emergency_contact_name, emergency_contact_phone, registered_at) \
             from stdin with (format text)",
        )
        .await?;
    let today = chrono::Utc::now().date_naive();
    let mut buf = String::with_capacity(1 << 20);
    for n in first_number..first_number + count {
        let p = people::generate(rng, today);
        let number = format!("{}-{:07}", clinic.number_prefix, n);
        let fields: [&str; 15] = [
            &Uuid::now_v7().to_string(),
            &clinic_id.to_string(),
            &number,
            &p.given_name,
            &p.family_name,
            &p.date_of_birth.to_string(),
            p.sex,
            &p.phone,
            p.email.as_deref().unwrap_or("\\N"),
            &p.address,
            p.city,
            p.blood_group.unwrap_or("\\N"),
            &p.emergency_contact_name,
            &p.emergency_contact_phone,
            &p.registered_at.to_rfc3339(),
        ];
        push_copy_row(&mut buf, &fields);
        if buf.len() > (1 << 20) - 4096 {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_bytes()).await?;
    }
    Ok(copy.finish().await?)
}

/// One row in COPY's text format. `\N` (NULL) passes through unescaped.
fn push_copy_row(buf: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            buf.push('\t');
        }
        if *f == "\\N" {
            buf.push_str(f);
            continue;
        }
        for ch in f.chars() {
            match ch {
                '\\' => buf.push_str("\\\\"),
                '\t' => buf.push_str("\\t"),
                '\n' => buf.push_str("\\n"),
                '\r' => buf.push_str("\\r"),
                c => buf.push(c),
            }
        }
    }
    buf.push('\n');
}

/// Picks from a list with a generator (the lists are never empty).
fn pick<'a, T: ?Sized>(rng: &mut StdRng, items: &'a [&'a T]) -> &'a T {
    items[rng.random_range(0..items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_separators() {
        let mut buf = String::new();
        push_copy_row(&mut buf, &["a\tb", "c\\d", "\\N", "line\nbreak"]);
        assert_eq!(buf, "a\\tb\tc\\\\d\t\\N\tline\\nbreak\n");
    }

    #[test]
    fn clinic_shares_cover_every_patient() {
        let total: u32 = DEMO_CLINICS.iter().map(|c| c.patient_share).sum();
        assert_eq!(total, 100);
    }
}
