//! Reading the audit trail: the clinic admin's log (row-level security keeps
//! it to their clinic) and the platform admin's (all chains).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::audit::{AuditEntry, AuditFilter};
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};

struct EntryRow {
    id: i64,
    occurred_at: DateTime<Utc>,
    timezone: Option<String>,
    offset_secs: Option<f64>,
    clinic: Option<String>,
    actor: Option<String>,
    actor_name: Option<String>,
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
    let window = count_window(page);
    // The page is chosen first and its patients looked up after, by key (see
    // audit_event_patient_id in the migrations). The count stops at the window: the
    // trail grows with every record opened.
    let rows = sqlx::query_as!(
        EntryRow,
        r#"
        with patient as materialized (
            -- Looked up once: the number's index leads with the clinic, which
            -- row-level security leaves open for a platform admin.
            select p.clinic_id, p.id from patients p where p.number_key = lower($2)
        ), subjects as (
            -- A patient's trail: the record's own events and those of their
            -- visits and vital signs.
            select p.clinic_id, 'patient' as entity_type, p.id::text as entity_id from patient p
            union all
            select p.clinic_id, 'visit', v.id::text from patient p
            join patient_visits v on v.patient_id = p.id
            union all
            select p.clinic_id, 'vital_signs', s.id::text from patient p
            join vital_signs s on s.patient_id = p.id
        ), matches as (
            -- Newest first from the time index, or, for one patient, their
            -- events from the entity index. Each branch runs only when its
            -- filter is the one asked for: one query with the patient as an
            -- "or" read the whole trail either way. The other filters repeat
            -- because each branch must apply them before its own limit.
            (select e.id, e.occurred_at, c.slug, c.timezone, u.email, u.display_name, e.actor_role,
                    e.action, e.entity_type, e.entity_id, e.outcome, e.client_addr
            from audit_events e
            left join clinics c on c.id = e.clinic_id
            left join users u on u.id = e.actor_user_id
            where $2::text is null and ($1::text is null or lower(u.email) like $1 or lower(u.display_name) like $1)
              and ($3::text is null or e.action = $3)
              and ($4::date is null or e.occurred_at >= $4::date)
              and ($5::date is null or e.occurred_at < $5::date + 1)
              and ($6::text is null or c.slug = $6)
              -- The platform admins' own page views are kept but listed
              -- only when asked for.
              and ($10 or not (e.action = 'VIEW' and e.entity_type = 'platform'))
            order by e.occurred_at desc, e.id desc
            limit $9)
            union all
            (select e.id, e.occurred_at, c.slug, c.timezone, u.email, u.display_name, e.actor_role,
                    e.action, e.entity_type, e.entity_id, e.outcome, e.client_addr
            from subjects s
            join audit_events e on e.clinic_id = s.clinic_id
              and e.entity_type = s.entity_type and e.entity_id = s.entity_id
            left join clinics c on c.id = e.clinic_id
            left join users u on u.id = e.actor_user_id
            where ($1::text is null or lower(u.email) like $1 or lower(u.display_name) like $1)
              and ($3::text is null or e.action = $3)
              and ($4::date is null or e.occurred_at >= $4::date)
              and ($5::date is null or e.occurred_at < $5::date + 1)
              and ($6::text is null or c.slug = $6)
              -- The platform admins' own page views are kept but listed
              -- only when asked for.
              and ($10 or not (e.action = 'VIEW' and e.entity_type = 'platform'))
            order by e.occurred_at desc, e.id desc
            limit $9))
        -- The overrides: sqlx cannot follow nullability through the union.
        select m.id as "id!", m.occurred_at as "occurred_at!: DateTime<Utc>", m.slug as "clinic?",
               m.timezone as "timezone?",
               -- The clinic's offset at that moment: PostgreSQL knows the
               -- zone rules, so the browser needs none.
               extract(epoch from (m.occurred_at at time zone m.timezone)
                                - (m.occurred_at at time zone 'UTC'))::float8 as "offset_secs?",
               m.email as "actor?", m.display_name as "actor_name?", m.actor_role as "actor_role?",
               m.action as "action!", m.entity_type as "entity_type?", m.entity_id as "entity_id?",
               (select p.patient_number from patients p
                where p.id = audit_event_patient_id(m.entity_type, m.entity_id)) as "patient_number?",
               m.outcome as "outcome!", host(m.client_addr) as "client_addr?",
               (select count(*) from matches) as "total!"
        from matches m
        order by m.occurred_at desc, m.id desc
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
        window,
        filter.platform_views,
    )
    .fetch_all(conn)
    .await?;
    let (total, total_capped) = capped_total(rows.first().map(|r| r.total).unwrap_or(0), window);
    Ok(Page::new(
        rows.into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                occurred_at: r.occurred_at,
                occurred_local: LocalTime::in_zone(r.occurred_at, r.offset_secs, r.timezone),
                clinic: r.clinic,
                actor: r.actor,
                actor_name: r.actor_name,
                actor_role: r.actor_role,
                action: r.action,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                patient_number: r.patient_number,
                outcome: r.outcome,
                client_addr: r.client_addr,
            })
            .collect(),
        page,
        total,
        total_capped,
    ))
}
