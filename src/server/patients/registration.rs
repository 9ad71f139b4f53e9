//! Registering a patient: the duplicate check, the insert (the database
//! gives the number), the identity document sealed and hashed, and the
//! CREATE event, all in the request's clinic transaction.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::PatientId;
use crate::domain::patients::identity_document::{IdType, mask_id_number};
use crate::domain::patients::registration::{DuplicateReason, NewPatient, similar_given_names};
use crate::domain::patients::{PatientSummary, PossibleDuplicate};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::SecretKey;

/// The purpose the document hashes' key is derived for.
const HASH_PURPOSE: &str = "patient identity document lookup";

/// The clinic's date now, in its time zone.
pub async fn clinic_today(conn: &mut PgConnection) -> Result<NaiveDate, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select (now() at time zone timezone)::date as "today!" from clinics where id = app_clinic_id()"#
    )
    .fetch_one(conn)
    .await
}

/// The keyed hash that finds a document again: the same document gives the
/// same hash in one clinic, and a different one in another.
pub fn id_number_hash(key: &SecretKey, clinic_id: Uuid, kind: IdType, number: &str) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key.derive(HASH_PURPOSE))
        .expect("HMAC takes a key of any length");
    mac.update(clinic_id.as_bytes());
    mac.update(kind.as_str().as_bytes());
    mac.update(b":");
    mac.update(number.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The sealed number belongs to the patient's row: it opens for no other.
pub fn seal_id_number(key: &SecretKey, patient_id: Uuid, number: &str) -> Vec<u8> {
    key.seal(patient_id.as_bytes(), number.as_bytes())
}

/// The number sealed on the patient's row, if it opens.
pub fn open_id_number(key: &SecretKey, patient_id: Uuid, sealed: &[u8]) -> Option<String> {
    key.open(patient_id.as_bytes(), sealed)
        .and_then(|b| String::from_utf8(b).ok())
}

struct Candidate {
    id: Uuid,
    patient_number: String,
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    sex: String,
    phone: String,
    same_phone: bool,
    same_document: bool,
    same_name_and_birth: bool,
}

/// Registered patients who may be the one at the desk: the same phone, the
/// same document, or the same family name and date of birth with a similar
/// given name. At most 20, strongest reasons first.
pub async fn find_duplicates(
    conn: &mut PgConnection,
    key: &SecretKey,
    clinic_id: Uuid,
    p: &NewPatient,
) -> Result<Vec<PossibleDuplicate>, sqlx::Error> {
    // The number's last ten digits, which "+91 98450 12345" and
    // "098450 12345" share; shorter numbers are not compared.
    let digits: String = p.phone.chars().filter(char::is_ascii_digit).collect();
    let phone_key: String = if digits.len() >= 7 {
        digits.chars().rev().take(10).collect()
    } else {
        String::new()
    };
    // `^@` becomes an index range only in a plan made for the actual prefix.
    sqlx::query!("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *conn)
        .await?;
    let hash = p
        .id_number
        .as_deref()
        .map(|n| id_number_hash(key, clinic_id, p.id_type, n));
    // Each branch is an indexed key compared with a leakproof operator, so
    // it uses its index under row-level security. The reasons are coalesced:
    // a candidate found by one key may lack another (no phone, no document),
    // and a comparison with null is null, not false.
    let rows = sqlx::query_as!(
        Candidate,
        r#"
        select id, patient_number, given_name, family_name, date_of_birth, sex, phone,
               coalesce($1 <> '' and phone_key ^@ $1, false) as "same_phone!",
               coalesce(id_number_hash = $2, false) as "same_document!",
               coalesce(family_key = $3 and date_of_birth = $4, false)
                 as "same_name_and_birth!"
        from patients
        where clinic_id = app_clinic_id()
          and (($1 <> '' and phone_key ^@ $1)
               or id_number_hash = $2
               or (family_key = $3 and date_of_birth = $4))
        order by registered_at desc
        limit 100
        "#,
        phone_key,
        hash,
        p.family_name.to_lowercase(),
        p.date_of_birth,
    )
    .fetch_all(conn)
    .await?;
    let mut found: Vec<PossibleDuplicate> = rows
        .into_iter()
        .filter_map(|r| {
            let mut reasons = Vec::new();
            if r.same_document {
                reasons.push(DuplicateReason::SameIdNumber);
            }
            if r.same_phone {
                reasons.push(DuplicateReason::SamePhone);
            }
            if r.same_name_and_birth && similar_given_names(&r.given_name, &p.given_name) {
                reasons.push(DuplicateReason::SameNameAndBirth);
            }
            (!reasons.is_empty()).then_some(PossibleDuplicate {
                patient: PatientSummary {
                    id: r.id,
                    patient_number: r.patient_number,
                    given_name: r.given_name,
                    family_name: r.family_name,
                    date_of_birth: r.date_of_birth,
                    sex: r.sex,
                    phone: r.phone,
                },
                reasons,
            })
        })
        .collect();
    // More reasons first; then a shared document before a shared phone
    // (families share phones).
    found.sort_by_key(|d| (std::cmp::Reverse(d.reasons.len()), d.reasons[0]));
    found.truncate(20);
    Ok(found)
}

/// When the receptionist registers despite possible duplicates: why, and
/// which records they were shown.
pub struct Override<'a> {
    pub reason: &'a str,
    pub shown: &'a [Uuid],
}

/// Registers the patient; returns the new record's id and its number.
pub async fn register(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    key: &SecretKey,
    p: &NewPatient,
    overridden: Option<Override<'_>>,
) -> Result<(PatientId, String), sqlx::Error> {
    let id = Uuid::now_v7();
    let clinic_id = access.membership.clinic_id;
    let sealed = p.id_number.as_deref().map(|n| seal_id_number(key, id, n));
    let hash = p
        .id_number
        .as_deref()
        .map(|n| id_number_hash(key, clinic_id, p.id_type, n));
    let number = sqlx::query_scalar!(
        r#"
        insert into patients (id, clinic_id, given_name, family_name, date_of_birth, sex, phone,
                              email, address, city, state, postal_code, blood_group,
                              preferred_language, emergency_contact_name, emergency_contact_phone,
                              emergency_contact_relationship, id_type, id_number_sealed, id_number_hash)
        values ($1, app_clinic_id(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                $16, $17, $18, $19)
        returning patient_number
        "#,
        id,
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
    .fetch_one(&mut *conn)
    .await?;
    let mut after = audit_view(p);
    after["patient_number"] = json!(number);
    if let Some(o) = overridden {
        after["registered_despite_duplicates"] = json!({ "reason": o.reason, "shown": o.shown });
    }
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::Patient, id);
    event.after = Some(after);
    audit::record(conn, &event).await?;
    Ok((PatientId::from(id), number))
}

/// The demographics as the audit trail keeps them: the document's number
/// masked, as everywhere but the form.
pub fn audit_view(p: &NewPatient) -> serde_json::Value {
    json!({
        "given_name": p.given_name,
        "family_name": p.family_name,
        "date_of_birth": p.date_of_birth,
        "sex": p.sex,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "city": p.city,
        "state": p.state,
        "postal_code": p.postal_code,
        "blood_group": p.blood_group,
        "preferred_language": p.preferred_language,
        "emergency_contact_name": p.emergency_contact_name,
        "emergency_contact_phone": p.emergency_contact_phone,
        "emergency_contact_relationship": p.emergency_contact_relationship,
        "id_type": p.id_type.as_str(),
        "id_number": p.id_number.as_deref().map(mask_id_number),
    })
}
