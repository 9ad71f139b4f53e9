//! Patient records: search and the record page. Runs in clinic transactions
//! (row-level security); opening a record writes its VIEW event in the same
//! transaction as the read.

pub mod demographics;
pub mod form_drafts;
pub mod registration;
pub mod searches;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::PatientId;
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};
use crate::domain::patients::identity_document::mask_id_number;
use crate::domain::patients::{PatientDetails, PatientQuery, PatientSummary};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::SecretKey;

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "clinic_patient_limit",
        field: "form",
        message: "The clinic's plan allows no more patients. Ask HMS to upgrade the plan.",
    },
    ConstraintField {
        constraint: "patients_clinic_number_key",
        field: "patient_number",
        message: "Another patient in this clinic has this patient number.",
    },
];

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
    // applies: stored keys compared with `^@`, which unlike `lower()` and
    // `like` is leakproof and so may use an index under row-level security
    // (see migrations/*_patient_search_keys.sql).
    let (limit, offset, window) = (page.limit(), page.offset(), count_window(page));
    // `^@` becomes an index range only in a plan made for the actual prefix;
    // a cached generic plan would read the clinic's whole register. The
    // newest registrations have no prefix, and their one plan is right; left
    // to itself the planner made it afresh on every front-desk page (0.4 ms
    // to plan, 0.15 ms to run), as a generic plan's estimate for an unknown
    // `limit` is a tenth of the register.
    if matches!(query, PatientQuery::Recent) {
        sqlx::query!("set local plan_cache_mode = force_generic_plan")
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query!("set local plan_cache_mode = force_custom_plan")
            .execute(&mut *conn)
            .await?;
    }
    let rows = match query {
        // Everyone: the clinic's count is kept by triggers, so it is exact
        // and costs nothing (counting the newest rows to the cap did not).
        PatientQuery::Recent => sqlx::query_as!(
            SummaryRow,
            r#"select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                      coalesce((select patients from clinic_patient_counts
                                where clinic_id = app_clinic_id()), 0) as "total!"
               from patients where clinic_id = app_clinic_id()
               order by registered_at desc, id desc limit $1 offset $2"#,
            limit,
            offset,
        )
        .fetch_all(&mut *conn)
        .await?,
        PatientQuery::Number(n) => sqlx::query_as!(
            SummaryRow,
            r#"with matches as (
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone, number_key
                   from patients where clinic_id = app_clinic_id() and number_key ^@ $1
                   order by number_key, id limit $4)
               select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                      (select count(*) from matches) as "total!"
               from matches order by number_key, id limit $2 offset $3"#,
            n,
            limit,
            offset,
            window,
        )
        .fetch_all(&mut *conn)
        .await?,
        PatientQuery::PhoneDigits(d) => sqlx::query_as!(
            SummaryRow,
            r#"with matches as (
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone, family_key, given_key
                   from patients where clinic_id = app_clinic_id() and phone_key ^@ $1
                   order by family_key, given_key, id limit $4)
               select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                      (select count(*) from matches) as "total!"
               from matches order by family_key, given_key, id limit $2 offset $3"#,
            d.chars().rev().collect::<String>(),
            limit,
            offset,
            window,
        )
        .fetch_all(&mut *conn)
        .await?,
        // Each name's index range on its own (with both in one `or`, the
        // planner sometimes walked the clinic's family names in order,
        // filtering: 54 ms for "wil" in 50,000 patients). The page is taken
        // in the family index's own order (`~<~`, bytewise: the order of
        // these lower-case keys under the database's C.UTF-8 collation), so
        // a common family name reads the page's rows and no more; the given
        // names' matches are ordered from their index entries alone. The
        // count reads index entries only (the indexes cover what the
        // row-level policies ask). Reading and sorting every match cost
        // about 8 ms for "smith" (1,200 matches) under load.
        PatientQuery::Name(first, None) => sqlx::query_as!(
            SummaryRow,
            r#"with firsts as (
                   (select id, family_key, given_key from patients
                    where clinic_id = app_clinic_id() and family_key ^@ $1
                    order by family_key using ~<~, given_key using ~<~, id limit $5)
                   union all
                   (select id, family_key, given_key from patients
                    where clinic_id = app_clinic_id() and given_key ^@ $1 and not family_key ^@ $1
                    order by family_key using ~<~, given_key using ~<~, id limit $5)
               ), shown as (
                   select id, family_key, given_key from firsts
                   order by family_key using ~<~, given_key using ~<~, id limit $2 offset $3
               )
               select p.id, p.patient_number, p.given_name, p.family_name, p.date_of_birth, p.sex,
                      p.phone,
                      (select count(*) from (
                           (select 1 from patients
                            where clinic_id = app_clinic_id() and family_key ^@ $1 limit $4)
                           union all
                           (select 1 from patients
                            where clinic_id = app_clinic_id() and given_key ^@ $1
                              and not family_key ^@ $1 limit $4)
                           limit $4) counted) as "total!"
               from shown s join patients p on p.id = s.id
               order by s.family_key using ~<~, s.given_key using ~<~, s.id"#,
            first,
            limit,
            offset,
            window,
            offset + limit,
        )
        .fetch_all(&mut *conn)
        .await?,
        PatientQuery::Name(first, Some(second)) => sqlx::query_as!(
            SummaryRow,
            r#"with matches as (
                   select id, patient_number, given_name, family_name, date_of_birth, sex, phone, family_key, given_key
                   from patients where clinic_id = app_clinic_id()
                     and ((given_key ^@ $1 and family_key ^@ $2) or (family_key ^@ $1 and given_key ^@ $2))
                   order by family_key, given_key, id limit $5)
               select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
                      (select count(*) from matches) as "total!"
               from matches order by family_key, given_key, id limit $3 offset $4"#,
            first,
            second.as_str(),
            limit,
            offset,
            window,
        )
        .fetch_all(&mut *conn)
        .await?,
    };
    // The rest of the transaction (a page's other lists) plans as usual.
    sqlx::query!("set local plan_cache_mode = auto")
        .execute(&mut *conn)
        .await?;
    // The count stops at the window; one row past it means "more than this".
    let counted = rows.first().map(|r| r.total).unwrap_or(0);
    let (total, total_capped) = match query {
        PatientQuery::Recent => (u64::try_from(counted).unwrap_or(0), false),
        _ => capped_total(counted, window),
    };
    Ok(Page::new(
        rows.into_iter()
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
        page,
        total,
        total_capped,
    ))
}

/// The record with this id in the request's clinic, and its VIEW event.
/// The identity document's number is shown masked.
pub async fn open_record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    key: &SecretKey,
    patient_id: PatientId,
) -> Result<Option<PatientDetails>, sqlx::Error> {
    let patient_id = patient_id.as_uuid();
    let record = fetch(conn, key, patient_id).await?;
    if let Some(r) = &record {
        let mut event = access.event(AuditAction::View);
        event.entity_type = Some(AuditEntity::Patient);
        event.entity_id = Some(r.id.to_string());
        audit::record(conn, &event).await?;
    }
    Ok(record)
}

/// The patient record linked to the signed-in person's portal account.
pub async fn open_own_record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    key: &SecretKey,
) -> Result<Option<PatientDetails>, sqlx::Error> {
    match own_patient_id(conn, access).await? {
        Some(id) => open_record(conn, access, key, id).await,
        None => Ok(None),
    }
}

/// The patient record linked to the signed-in person's portal account, by id.
pub async fn own_patient_id(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<Option<PatientId>, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        "select id from patients where clinic_id = app_clinic_id() and user_id = $1",
        access.user.user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(PatientId::from))
}

struct DetailsRow {
    id: Uuid,
    patient_number: String,
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    sex: String,
    phone: String,
    email: Option<String>,
    address: String,
    city: String,
    blood_group: Option<String>,
    emergency_contact_name: String,
    emergency_contact_phone: String,
    registered_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    state: String,
    postal_code: String,
    preferred_language: String,
    emergency_contact_relationship: String,
    id_type: String,
    id_number_sealed: Option<Vec<u8>>,
    status: String,
}

async fn fetch(
    conn: &mut PgConnection,
    key: &SecretKey,
    id: Uuid,
) -> Result<Option<PatientDetails>, sqlx::Error> {
    let row = sqlx::query_as!(
        DetailsRow,
        r#"
        select id, patient_number, given_name, family_name, date_of_birth, sex, phone, email,
               address, city, blood_group, emergency_contact_name, emergency_contact_phone,
               registered_at as "registered_at: DateTime<Utc>", state, postal_code,
               preferred_language, emergency_contact_relationship, id_type, id_number_sealed,
               status, updated_at as "updated_at: DateTime<Utc>"
        from patients where id = $1 and clinic_id = app_clinic_id()
        "#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        let id_number_masked = r.id_number_sealed.as_deref().map(|sealed| {
            registration::open_id_number(key, r.id, sealed).map_or_else(
                // Sealed under another key (a restored copy): say so, not fail.
                || "Not readable with this server's key".to_string(),
                |n| mask_id_number(&n),
            )
        });
        PatientDetails {
            id: r.id,
            patient_number: r.patient_number,
            given_name: r.given_name,
            family_name: r.family_name,
            date_of_birth: r.date_of_birth,
            sex: r.sex,
            phone: r.phone,
            email: r.email,
            address: r.address,
            city: r.city,
            blood_group: r.blood_group,
            emergency_contact_name: r.emergency_contact_name,
            emergency_contact_phone: r.emergency_contact_phone,
            registered_at: r.registered_at,
            state: r.state,
            postal_code: r.postal_code,
            preferred_language: r.preferred_language,
            emergency_contact_relationship: r.emergency_contact_relationship,
            id_type: r.id_type,
            id_number_masked,
            status: r.status,
            updated_at: r.updated_at,
        }
    }))
}

/// Whether `id` is one of this clinic's patients (a request naming
/// another clinic's is answered as not found).
pub async fn is_ours(conn: &mut PgConnection, id: PatientId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from patients where id = $1 and clinic_id = app_clinic_id())
           as "known!""#,
        id.as_uuid()
    )
    .fetch_one(conn)
    .await
}

/// How many patients the clinic has registered.
pub async fn count(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select coalesce((select patients from clinic_patient_counts
                            where clinic_id = app_clinic_id()), 0) as "n!""#
    )
    .fetch_one(conn)
    .await
}

/// Patients the person acting opened lately (a dashboard card's worth, ten),
/// newest first, each once.
///
/// No parameters, so PostgreSQL plans it once per connection: with the
/// person as a parameter it judged its generic plan dearer than one made for
/// each call, and made one each time (0.55 ms, to run a 0.03 ms query).
pub async fn recently_viewed(conn: &mut PgConnection) -> Result<Vec<PatientSummary>, sqlx::Error> {
    sqlx::query_as!(
        PatientSummary,
        r#"
        select p.id, p.patient_number, p.given_name, p.family_name, p.date_of_birth, p.sex, p.phone
        from (
            -- The record's id from the text the event keeps, for the ten
            -- shown only (the check that it is an id costs microseconds a
            -- row). `offset 0` keeps this a step of its own: merged into
            -- the join, the conversion would be a join condition, which
            -- row-level security may not use to look a patient up.
            select audit_patient_id('patient', entity_id) as patient_id, last_seen
            from (
                select entity_id, max(occurred_at) as last_seen
                from (
                    -- The newest 200 in the actor index's order, read from
                    -- the index alone (see its migration).
                    select entity_id, occurred_at from audit_events
                    where clinic_id = app_clinic_id() and actor_user_id = app_user_id()
                      and action = 'VIEW' and entity_type = 'patient'
                    order by occurred_at desc
                    limit 200
                ) recent
                group by entity_id
                order by last_seen desc
                limit 10
            ) latest
            offset 0
        ) v
        -- by uuid: see audit_patient_id in the migrations
        join patients p on p.id = v.patient_id
        order by v.last_seen desc
        "#,
    )
    .fetch_all(conn)
    .await
}
