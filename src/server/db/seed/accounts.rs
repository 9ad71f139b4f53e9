//! Demo accounts: one per role in each demo clinic, a few more colleagues so
//! directories look like a real clinic's, and the platform admin. The demo
//! patient accounts are linked to patient records of their own.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::DemoClinic;
use crate::server::auth::password;

/// The password of every demo account (printed by `make run` and in README.md).
pub const DEMO_PASSWORD: &str = "hms-demo-password";

pub struct DemoAccount {
    /// The address is `<local_part>@<clinic slug>.example`.
    pub local_part: &'static str,
    pub role: &'static str,
    pub department: Option<&'static str>,
}

/// The sign-in accounts of each demo clinic, in the order README.md lists them.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        local_part: "admin",
        role: "clinic_admin",
        department: None,
    },
    DemoAccount {
        local_part: "doctor",
        role: "doctor",
        department: Some("GEN"),
    },
    DemoAccount {
        local_part: "hod",
        role: "head_of_department",
        department: Some("CARD"),
    },
    DemoAccount {
        local_part: "reception",
        role: "receptionist",
        department: None,
    },
    DemoAccount {
        local_part: "lab",
        role: "lab_technician",
        department: Some("PATH"),
    },
    DemoAccount {
        local_part: "nurse",
        role: "nurse",
        department: Some("GEN"),
    },
    DemoAccount {
        local_part: "patient",
        role: "patient",
        department: None,
    },
];

/// Colleagues who fill the directories (same password; not listed for sign-in).
const COLLEAGUES: &[DemoAccount] = &[
    DemoAccount {
        local_part: "gp2",
        role: "doctor",
        department: Some("GEN"),
    },
    DemoAccount {
        local_part: "cardio2",
        role: "doctor",
        department: Some("CARD"),
    },
    DemoAccount {
        local_part: "paeds",
        role: "doctor",
        department: Some("PAED"),
    },
    DemoAccount {
        local_part: "nurse2",
        role: "nurse",
        department: Some("CARD"),
    },
];

/// Display names per clinic, in the order of DEMO_ACCOUNTS then COLLEAGUES.
fn names(slug: &str) -> [&'static str; 11] {
    if slug == "riverside" {
        [
            "Margaret Ellis",
            "Dr Amelia Hart",
            "Dr Samuel Okafor",
            "Priya Nair",
            "Tom Becker",
            "Grace Mensah",
            "Oliver Grant",
            "Dr Hannah Lowe",
            "Dr Rafael Ortiz",
            "Dr Chloe Whitaker",
            "Daniel Frost",
        ]
    } else {
        [
            "Rohan Mehta",
            "Dr Ananya Rao",
            "Dr Vikram Iyer",
            "Sneha Kulkarni",
            "Arjun Pillai",
            "Meera Joseph",
            "Kavya Reddy",
            "Dr Farhan Qureshi",
            "Dr Lakshmi Menon",
            "Dr Nikhil Bose",
            "Divya Thomas",
        ]
    }
}

pub async fn add_clinic_accounts(
    tx: &mut Transaction<'_, Postgres>,
    clinic_id: Uuid,
    clinic: &DemoClinic,
) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let names = names(clinic.slug);
    for (account, name) in DEMO_ACCOUNTS.iter().chain(COLLEAGUES).zip(names) {
        let email = format!("{}@{}.example", account.local_part, clinic.slug);
        let user_id = upsert_user(tx, &email, name, &hash, false).await?;
        sqlx::query!(
            r#"
            insert into memberships (clinic_id, user_id, role, department_id)
            values ($1, $2, $3, (select id from departments where clinic_id = $1 and code = $4))
            on conflict (clinic_id, user_id, role) do nothing
            "#,
            clinic_id,
            user_id,
            account.role,
            account.department,
        )
        .execute(&mut **tx)
        .await?;
        if account.role == "head_of_department" {
            sqlx::query!(
                "update departments set head_user_id = $3 where clinic_id = $1 and code = $2",
                clinic_id,
                account.department,
                user_id,
            )
            .execute(&mut **tx)
            .await?;
        }
        if account.role == "patient" {
            link_patient_record(tx, clinic_id, clinic, user_id, name, &email).await?;
        }
    }
    Ok(())
}

pub async fn add_platform_admin(tx: &mut Transaction<'_, Postgres>) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    upsert_user(
        tx,
        "platform@hms.example",
        "Platform Administrator",
        &hash,
        true,
    )
    .await?;
    Ok(())
}

async fn upsert_user(
    tx: &mut Transaction<'_, Postgres>,
    email: &str,
    name: &str,
    hash: &str,
    platform_admin: bool,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into users (email, display_name, phone, password_hash, is_platform_admin)
        values ($1, $2, '+44 7700 900999', $3, $4)
        on conflict ((lower(email))) do update set display_name = users.display_name
        returning id
        "#,
        email,
        name,
        hash,
        platform_admin,
    )
    .fetch_one(&mut **tx)
    .await
}

/// The demo patient's own record, so the portal has something to show.
async fn link_patient_record(
    tx: &mut Transaction<'_, Postgres>,
    clinic_id: Uuid,
    clinic: &DemoClinic,
    user_id: Uuid,
    name: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    let (given, family) = name.split_once(' ').unwrap_or((name, name));
    sqlx::query!(
        r#"
        insert into patients (clinic_id, patient_number, given_name, family_name, date_of_birth,
                              sex, phone, email, address, city, blood_group,
                              emergency_contact_name, emergency_contact_phone, user_id)
        select $1, $2 || '-' || lpad((count(*) + 1)::text, 7, '0'), $3, $4, date '1986-04-12',
               $8, '+44 7700 900321', $5, '7 Willow Lane', $6, 'A+',
               'Sarah ' || $4, '+44 7700 900322', $7
        from patients where clinic_id = $1
        on conflict (clinic_id, user_id) where user_id is not null do nothing
        "#,
        clinic_id,
        clinic.number_prefix,
        given,
        family,
        email,
        if clinic.slug == "riverside" {
            "Riverside"
        } else {
            "Hilltop"
        },
        user_id,
        if clinic.slug == "riverside" {
            "male"
        } else {
            "female"
        },
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
