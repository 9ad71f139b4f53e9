//! Changing a record after registration: the front desk's edit (the whole
//! of the demographics, the document's number shown whole to the one
//! editing it) and the patient's own contact details from the portal. Each
//! save writes an UPDATE event holding what changed, before and after.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::fetch;
use super::registration::{audit_view, id_number_hash, open_id_number, seal_id_number};
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, changed_fields};
use crate::domain::ids::PatientId;
use crate::domain::patients::PatientDetails;
use crate::domain::patients::contact_details::ContactDetails;
use crate::domain::patients::registration::NewPatient;
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::SecretKey;

/// A record opened for editing.
pub struct Editing {
    pub record: PatientDetails,
    /// What the record holds, the document's number unsealed.
    pub stored: NewPatient,
    /// When the record last changed: a save made from an older copy is
    /// refused rather than silently undoing someone else's edit.
    pub version: DateTime<Utc>,
}

struct Current {
    updated_at: DateTime<Utc>,
    id_number_sealed: Option<Vec<u8>>,
}

async fn current(
    conn: &mut PgConnection,
    key: &SecretKey,
    id: PatientId,
    lock: bool,
) -> Result<Option<Editing>, sqlx::Error> {
    let id = id.as_uuid();
    // The row is locked first when saving, so the version compared is the
    // one the update replaces.
    let row = if lock {
        sqlx::query_as!(
            Current,
            r#"select updated_at as "updated_at: DateTime<Utc>", id_number_sealed
               from patients where id = $1 and clinic_id = app_clinic_id() for update"#,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
    } else {
        sqlx::query_as!(
            Current,
            r#"select updated_at as "updated_at: DateTime<Utc>", id_number_sealed
               from patients where id = $1 and clinic_id = app_clinic_id()"#,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
    };
    let Some(row) = row else { return Ok(None) };
    let Some(record) = fetch(conn, key, id).await? else {
        return Ok(None);
    };
    let number = row
        .id_number_sealed
        .as_deref()
        .and_then(|sealed| open_id_number(key, id, sealed));
    Ok(Some(Editing {
        stored: NewPatient::from_record(&record, number),
        record,
        version: row.updated_at,
    }))
}

/// Opens the record for editing. The read is audited as any opening of
/// the record is, and says the document's number was shown whole.
pub async fn open_for_edit(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    key: &SecretKey,
    id: PatientId,
) -> Result<Option<Editing>, sqlx::Error> {
    let editing = current(conn, key, id, false).await?;
    if let Some(e) = &editing {
        let mut event = access
            .event(AuditAction::View)
            .about(AuditEntity::Patient, e.record.id);
        event.after = Some(json!({
            "purpose": "edit",
            "id_number_shown": e.stored.id_number.is_some(),
        }));
        audit::record(conn, &event).await?;
    }
    Ok(editing)
}

/// The record as it is, locked for a change made without a form (the
/// API's partial update, which starts from it). Nothing of it is shown, so
/// the read itself is not audited; the change is.
pub async fn for_update(
    conn: &mut PgConnection,
    key: &SecretKey,
    id: PatientId,
) -> Result<Option<Editing>, sqlx::Error> {
    current(conn, key, id, true).await
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    Changed,
    /// The form held what the record already did: nothing was written.
    Unchanged,
}

/// Saves the front desk's edit of the record, if the record is still as it
/// was at `version`.
pub async fn update(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    key: &SecretKey,
    id: PatientId,
    p: &NewPatient,
    version: DateTime<Utc>,
) -> Result<Saved, AppError> {
    let was = current(conn, key, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if was.version != version {
        return Err(AppError::Conflict(
            "Someone else changed this record after you opened it. Your changes were not saved: the form now shows the record as it is; make your changes again.".into(),
        ));
    }
    if was.stored == *p {
        return Ok(Saved::Unchanged);
    }
    let uuid = id.as_uuid();
    let clinic_id = access.membership.clinic_id;
    let sealed = p.id_number.as_deref().map(|n| seal_id_number(key, uuid, n));
    let hash = p
        .id_number
        .as_deref()
        .map(|n| id_number_hash(key, clinic_id, p.id_type, n));
    sqlx::query!(
        r#"
        update patients
        set given_name = $2, family_name = $3, date_of_birth = $4, sex = $5, phone = $6,
            email = $7, address = $8, city = $9, state = $10, postal_code = $11,
            blood_group = $12, preferred_language = $13, emergency_contact_name = $14,
            emergency_contact_phone = $15, emergency_contact_relationship = $16,
            id_type = $17, id_number_sealed = $18, id_number_hash = $19
        where id = $1 and clinic_id = app_clinic_id()
        "#,
        uuid,
        p.given_name,
        p.family_name,
        p.date_of_birth,
        p.sex,
        p.phone,
        p.email,
        p.address,
        p.city,
        p.state,
        p.postal_code,
        p.blood_group,
        p.preferred_language,
        p.emergency_contact_name,
        p.emergency_contact_phone,
        p.emergency_contact_relationship,
        p.id_type.as_str(),
        sealed,
        hash,
    )
    .execute(&mut *conn)
    .await?;
    let (mut before, mut after) = (audit_view(&was.stored), audit_view(p));
    // Two numbers may share their last four: a new document still shows.
    if was.stored.id_number != p.id_number {
        before["id_number_changed"] = json!(false);
        after["id_number_changed"] = json!(true);
    }
    record_update(conn, access, uuid, &before, &after).await?;
    Ok(Saved::Changed)
}

/// Saves the signed-in patient's own contact details (portal). Only the
/// database function `update_own_contact_details` may write them: the
/// patient cannot touch any other column, or anyone else's record. `None`
/// when no record is linked to the account.
pub async fn update_own_contact(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    c: &ContactDetails,
) -> Result<Option<Saved>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select patient_id as "patient_id!", before as "before!"
           from update_own_contact_details($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        c.phone,
        c.email,
        c.address,
        c.city,
        c.state,
        c.postal_code,
        c.emergency_contact_name,
        c.emergency_contact_phone,
        c.emergency_contact_relationship,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let changed = record_update(conn, access, row.patient_id, &row.before, &c.audit_view()).await?;
    Ok(Some(if changed {
        Saved::Changed
    } else {
        Saved::Unchanged
    }))
}

/// The UPDATE event, holding the fields that changed; nothing when none did.
async fn record_update(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: uuid::Uuid,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<bool, sqlx::Error> {
    let Some((before, after)) = changed_fields(before, after) else {
        return Ok(false);
    };
    let mut event = access
        .event(AuditAction::Update)
        .about(AuditEntity::Patient, patient_id);
    event.before = Some(before);
    event.after = Some(after);
    audit::record(conn, &event).await?;
    Ok(true)
}
