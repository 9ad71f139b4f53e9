//! Reading the audit trail: the clinic admin's log (row-level security keeps
//! it to their clinic) and the platform admin's (all chains).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::audit::{AuditEntry, AuditFilter};
use crate::domain::paging::{Page, PageRequest};

struct EntryRow {
    id: i64,
    occurred_at: DateTime<Utc>,
    clinic: Option<String>,
    actor: Option<String>,
    actor_role: Option<String>,
    action: String,
    entity_type: Option<String>,
    entity_id: Option<String>,
    patient_number: Option<String>,
    outcome: String,
    client_addr: Option<String>,
    total: i64,
}

/// Newest first, filtered, one page. `clinic_slug` narrows the platform view.
pub async fn list(
    conn: &mut PgConnection,
    filter: &AuditFilter,
    clinic_slug: Option<&str>,
    page: PageRequest,
) -> Result<Page<AuditEntry>, sqlx::Error> {
    let user = filter.user.as_deref().map(|u| {
        format!(
            "%{}%",
            u.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let rows = sqlx::query_as!(
        EntryRow,
        r#"
        select e.id, e.occurred_at as "occurred_at: DateTime<Utc>", c.slug as "clinic?",
               u.email as "actor?", e.actor_role, e.action, e.entity_type, e.entity_id,
               p.patient_number as "patient_number?", e.outcome,
               host(e.client_addr) as client_addr,
               count(*) over () as "total!"
        from audit_events e
        left join clinics c on c.id = e.clinic_id
        left join users u on u.id = e.actor_user_id
        left join patients p on e.entity_type = 'patient' and p.id::text = e.entity_id
        where ($1::text is null or lower(u.email) like $1 or lower(u.display_name) like $1)
          and ($2::text is null or (e.entity_type = 'patient' and e.entity_id in (
                select id::text from patients where lower(patient_number) = lower($2))))
          and ($3::text is null or e.action = $3)
          and ($4::date is null or e.occurred_at >= $4::date)
          and ($5::date is null or e.occurred_at < $5::date + 1)
          and ($6::text is null or c.slug = $6)
        order by e.occurred_at desc, e.id desc
        limit $7 offset $8
        "#,
        user,
        filter.patient_number,
        filter.action.map(|a| a.as_str()),
        filter.from,
        filter.to,
        clinic_slug,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                occurred_at: r.occurred_at,
                clinic: r.clinic,
                actor: r.actor,
                actor_role: r.actor_role,
                action: r.action,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                patient_number: r.patient_number,
                outcome: r.outcome,
                client_addr: r.client_addr,
            })
            .collect(),
        page: page.page(),
        per_page: page.per_page(),
        total: u64::try_from(total).unwrap_or(0),
        total_capped: false,
    })
}
