//! The platform admin's overview, read through the audited platform path.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::paging::{Page, PageRequest};

pub use crate::domain::platform::{ClinicStats, SignInEntry};

/// Every clinic with its staff and patient counts, by name.
pub async fn clinic_stats(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<ClinicStats>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select c.id, c.slug, c.name, c.status,
               (select count(*) from memberships m
                 where m.clinic_id = c.id and m.active and m.role <> 'patient') as "staff!",
               coalesce((select k.patients from clinic_patient_counts k
                          where k.clinic_id = c.id), 0) as "patients!",
               count(*) over () as "total!"
        from clinics c
        order by lower(c.name), c.id
        limit $1 offset $2
        "#,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page::exact(
        rows.into_iter()
            .map(|r| ClinicStats {
                id: r.id,
                slug: r.slug,
                name: r.name,
                status: r.status,
                staff: r.staff,
                patients: r.patients,
            })
            .collect(),
        page,
        total,
    ))
}

/// The latest sign-ins and failed attempts across the platform.
pub async fn recent_sign_ins(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<SignInEntry>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select e.occurred_at as "occurred_at: DateTime<Utc>", e.action,
               coalesce(u.email, e.after_value ->> 'email') as email,
               host(e.client_addr) as client_addr
        from audit_events e left join users u on u.id = e.actor_user_id
        where e.clinic_id is null and e.action in ('LOGIN', 'LOGIN_FAILED')
        order by e.occurred_at desc, e.id desc
        limit $1
        "#,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SignInEntry {
            occurred_at: r.occurred_at,
            succeeded: r.action == "LOGIN",
            email: r.email.unwrap_or_default(),
            client_addr: r.client_addr,
        })
        .collect())
}
