//! Patient records: search and the record page. Runs in clinic transactions
//! (row-level security); opening a record writes its VIEW event in the same
//! transaction as the read.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::AuditAction;
use crate::domain::paging::{Page, PageRequest, count_window};
use crate::domain::people::{PatientDetails, PatientQuery, PatientSummary};
use crate::server::access::ClinicAccess;
use crate::server::audit;

struct SummaryRow {
    id: Uuid,
    patient_number: String,
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    sex: String,
    phone: String,
    total: i64,
}

/// One page of patients matching the query, by family then given name (the
/// most recent registrations first when there is no query).
pub async fn search(
    conn: &mut PgConnection,
    query: &PatientQuery,
    page: PageRequest,
) -> Result<Page<PatientSummary>, sqlx::Error> {
    // One static statement per kind of search, each shaped so its index
    // applies (see migrations/*_sessions_and_sign_in.sql).
    let (limit, offset, window) = (page.limit(), page.offset(), count_window(page));
    // A prefix `like $1` can use its index only in a plan made for the actual
    // pattern; a cached generic plan scanned the clinic's whole register.
    sqlx::query!("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *conn)
        .await?;
    let rows =
        match query {
            PatientQuery::Recent => sqlx::query_as!(
                SummaryRow,
                r#"with matches as (
                       select id, patient_number, given_name, family_name, date_of_birth, sex, phone, registered_at
                       from patients where clinic_id = app_clinic_id()
                       order by registered_at desc, id desc limit $3)
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                          (select count(*) from matches) as "total!"
                   from matches order by registered_at desc, id desc limit $1 offset $2"#,
                limit,
                offset,
                window,
            )
            .fetch_all(&mut *conn)
            .await?,
            PatientQuery::Number(n) => sqlx::query_as!(
                SummaryRow,
                r#"with matches as (
                       select id, patient_number, given_name, family_name, date_of_birth, sex, phone, registered_at
                       from patients where clinic_id = app_clinic_id() and lower(patient_number) like $1
                       order by lower(patient_number), id limit $4)
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                          (select count(*) from matches) as "total!"
                   from matches order by lower(patient_number), id limit $2 offset $3"#,
                like_prefix(n),
                limit,
                offset,
                window,
            )
            .fetch_all(&mut *conn)
            .await?,
            PatientQuery::PhoneDigits(d) => {
                let reversed: String = d.chars().rev().collect();
                sqlx::query_as!(
                SummaryRow,
                r#"with matches as (
                       select id, patient_number, given_name, family_name, date_of_birth, sex, phone, registered_at
                       from patients where clinic_id = app_clinic_id() and reverse(regexp_replace(phone, '[^0-9]', '', 'g')) like $1
                       order by lower(family_name), lower(given_name), id limit $4)
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                          (select count(*) from matches) as "total!"
                   from matches order by lower(family_name), lower(given_name), id limit $2 offset $3"#,
                like_prefix(&reversed),
                limit,
                offset,
                window,
            )
            .fetch_all(&mut *conn)
            .await?
            }
            PatientQuery::Name(first, None) => sqlx::query_as!(
                SummaryRow,
                r#"with matches as (
                       select id, patient_number, given_name, family_name, date_of_birth, sex, phone, registered_at
                       from patients where clinic_id = app_clinic_id() and (lower(family_name) like $1 or lower(given_name) like $1)
                       order by lower(family_name), lower(given_name), id limit $4)
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                          (select count(*) from matches) as "total!"
                   from matches order by lower(family_name), lower(given_name), id limit $2 offset $3"#,
                like_prefix(first),
                limit,
                offset,
                window,
            )
            .fetch_all(&mut *conn)
            .await?,
            PatientQuery::Name(first, Some(second)) => sqlx::query_as!(
                SummaryRow,
                r#"with matches as (
                       select id, patient_number, given_name, family_name, date_of_birth, sex, phone, registered_at
                       from patients where clinic_id = app_clinic_id() and ((lower(given_name) like $1 and lower(family_name) like $2) or (lower(family_name) like $1 and lower(given_name) like $2))
                       order by lower(family_name), lower(given_name), id limit $5)
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                          (select count(*) from matches) as "total!"
                   from matches order by lower(family_name), lower(given_name), id limit $3 offset $4"#,
                like_prefix(first),
                like_prefix(second),
                limit,
                offset,
                window,
            )
            .fetch_all(&mut *conn)
            .await?,
        };
    // The count stops at the window; one row past it means "more than this".
    let counted = rows.first().map(|r| r.total).unwrap_or(0);
    let total_capped = counted >= window;
    let total = if total_capped { window - 1 } else { counted };
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| PatientSummary {
                id: r.id,
                patient_number: r.patient_number,
                given_name: r.given_name,
                family_name: r.family_name,
                date_of_birth: r.date_of_birth,
                sex: r.sex,
                phone: r.phone,
            })
            .collect(),
        page: page.page(),
        per_page: page.per_page(),
        total: u64::try_from(total).unwrap_or(0),
        total_capped,
    })
}

fn like_prefix(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

/// The record with this id in the request's clinic, and its VIEW event.
pub async fn open_record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: Uuid,
) -> Result<Option<PatientDetails>, sqlx::Error> {
    let record = fetch(conn, patient_id).await?;
    if let Some(r) = &record {
        let mut event = access.event(AuditAction::View);
        event.entity_type = Some("patient".into());
        event.entity_id = Some(r.id.to_string());
        audit::record(conn, &event).await?;
    }
    Ok(record)
}

/// The patient record linked to the signed-in person's portal account.
pub async fn open_own_record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<Option<PatientDetails>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "select id from patients where clinic_id = app_clinic_id() and user_id = $1",
        access.user.user_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => open_record(conn, access, id).await,
        None => Ok(None),
    }
}

async fn fetch(conn: &mut PgConnection, id: Uuid) -> Result<Option<PatientDetails>, sqlx::Error> {
    sqlx::query_as!(
        PatientDetails,
        r#"
        select id, patient_number, given_name, family_name, date_of_birth, sex, phone, email,
               address, city, blood_group, emergency_contact_name, emergency_contact_phone,
               registered_at as "registered_at: DateTime<Utc>",
               user_id is not null as "has_portal_account!"
        from patients where id = $1 and clinic_id = app_clinic_id()
        "#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Patients this person opened lately, newest first, each once.
pub async fn recently_viewed(
    conn: &mut PgConnection,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<PatientSummary>, sqlx::Error> {
    sqlx::query_as!(
        PatientSummary,
        r#"
        select p.id, p.patient_number, p.given_name, p.family_name, p.date_of_birth, p.sex, p.phone
        from (
            select entity_id, max(occurred_at) as last_seen
            from (
                select entity_id, occurred_at from audit_events
                where clinic_id = app_clinic_id() and actor_user_id = $1
                  and action = 'VIEW' and entity_type = 'patient'
                order by occurred_at desc
                limit 200
            ) recent
            group by entity_id
        ) v
        join patients p on p.id::text = v.entity_id
        order by v.last_seen desc
        limit $2
        "#,
        user_id,
        limit,
    )
    .fetch_all(conn)
    .await
}
