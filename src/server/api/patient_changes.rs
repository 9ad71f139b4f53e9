//! `/api/v1/clinics/{slug}/patients`: registering a patient (safe to retry
//! with `Idempotency-Key`) and changing a record's details (`If-Match`),
//! through the front desk's own rules (`domain::patients::registration`)
//! and functions (`server::patients`).

use axum::Json as JsonOut;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::caller::ApiCaller;
use super::errors::{ApiError, ErrorBody, rename_field};
use super::extract::Json;
use super::idempotency::{Claim, Retry};
use super::lists::Item;
use super::versions::{IfMatch, etag};
use crate::domain::AppError;
use crate::domain::ids::PatientId;
use crate::domain::patients::registration::{
    RegistrationInput, parse_override_reason, parse_registration,
};
use crate::domain::patients::{PatientDetails, PossibleDuplicate};
use crate::domain::permission::Permission;
use crate::server::access::ClinicAccess;
use crate::server::page_transaction::ClinicTx;
use crate::server::patients::{self, demographics, registration};
use crate::server::state::AppState;

/// A patient's details as a client sends them: the registration form's
/// fields, each a string as typed there and checked by the same rules.
/// Registering needs `given_name`, `family_name`, `date_of_birth`, `sex`
/// and `phone`; a change sends only the fields it changes.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientFields {
    #[schema(max_length = 100, example = "Asha")]
    pub given_name: Option<String>,
    #[schema(max_length = 100, example = "Rao")]
    pub family_name: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(example = "1990-04-12")]
    pub date_of_birth: Option<String>,
    /// `female`, `male`, `other` or `unknown`.
    #[schema(example = "female")]
    pub sex: Option<String>,
    #[schema(example = "+91 98450 12345")]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// `O+`, `O-`, `A+`, `A-`, `B+`, `B-`, `AB+`, `AB-`, or empty.
    pub blood_group: Option<String>,
    pub preferred_language: Option<String>,
    pub emergency_contact_name: Option<String>,
    pub emergency_contact_phone: Option<String>,
    pub emergency_contact_relationship: Option<String>,
    /// `aadhaar`, `pan`, `passport`, `driving_licence`, `national_id`,
    /// `other` or `none` (when registering, `none` if not given).
    pub id_type: Option<String>,
    /// The document's number, whole (answers show it masked).
    pub id_number: Option<String>,
    /// Registering only: when possible duplicates were found (409), why
    /// this is someone else. Kept in the audit trail with the records shown.
    #[schema(max_length = 500)]
    pub register_despite_duplicates: Option<String>,
}

impl PatientFields {
    /// `base` with the fields sent laid over it.
    fn over(&self, mut base: RegistrationInput) -> RegistrationInput {
        let fields = [
            (&self.given_name, &mut base.given_name),
            (&self.family_name, &mut base.family_name),
            (&self.date_of_birth, &mut base.date_of_birth),
            (&self.sex, &mut base.sex),
            (&self.phone, &mut base.phone),
            (&self.email, &mut base.email),
            (&self.address, &mut base.address),
            (&self.city, &mut base.city),
            (&self.state, &mut base.state),
            (&self.postal_code, &mut base.postal_code),
            (&self.blood_group, &mut base.blood_group),
            (&self.preferred_language, &mut base.preferred_language),
            (
                &self.emergency_contact_name,
                &mut base.emergency_contact_name,
            ),
            (
                &self.emergency_contact_phone,
                &mut base.emergency_contact_phone,
            ),
            (
                &self.emergency_contact_relationship,
                &mut base.emergency_contact_relationship,
            ),
            (&self.id_type, &mut base.id_type),
            (&self.id_number, &mut base.id_number),
        ];
        for (sent, field) in fields {
            if let Some(v) = sent {
                field.clone_from(v);
            }
        }
        base
    }
}

/// Register a patient.
///
/// By the registration page's rules. When the clinic already has patients
/// who may be this one (same phone, same document, or same family name and
/// date of birth), nothing is registered: the answer is 409 naming them in
/// `errors.possible_duplicates`; send again with
/// `register_despite_duplicates` to register anyway. With an
/// `Idempotency-Key`, sending the same request again answers with the
/// patient it registered (`Idempotent-Replayed: true`) and registers no one.
#[utoipa::path(
    post,
    path = "/clinics/{slug}/patients",
    tag = "patients",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Your name for this request (1 to 255 visible ASCII characters, e.g. a UUID), kept 24 hours"),
    ),
    request_body = PatientFields,
    responses(
        (status = 201, description = "Registered (or, replayed, registered before)", body = Item<PatientDetails>,
         headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not register patients", body = ErrorBody),
        (status = 404, description = "No such clinic, or not the caller's", body = ErrorBody),
        (status = 409, description = "Possible duplicates; nothing registered", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, or a key already used for another request", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
    retry: Retry,
    Json(body): Json<PatientFields>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::RegisterPatients)
        .await?;
    let key = state.secret_key()?;
    if let Claim::Replay(id) = retry.claim(&mut tx, &body).await? {
        return answer(
            tx,
            &access,
            key,
            PatientId::from(id),
            StatusCode::CREATED,
            true,
        )
        .await;
    }
    let input = body.over(RegistrationInput {
        id_type: "none".into(),
        ..Default::default()
    });
    let new = parse_registration(&input, access.membership.today)?;
    let reason = body
        .register_despite_duplicates
        .as_deref()
        .map(parse_override_reason)
        .transpose()
        .map_err(|e| rename_field(e, "reason", "register_despite_duplicates"))?;
    let clinic_id = access.membership.clinic_id;
    let duplicates = registration::find_duplicates(&mut tx, key, clinic_id, &new).await?;
    let shown: Vec<uuid::Uuid> = duplicates.iter().map(|d| d.patient.id).collect();
    let overridden = match (&reason, duplicates.is_empty()) {
        (_, true) => None,
        (None, false) => return Err(possible_duplicates(&duplicates)),
        (Some(reason), false) => Some(registration::Override {
            reason,
            shown: &shown,
        }),
    };
    let (id, _number) = registration::register(&mut tx, &access, key, &new, overridden).await?;
    retry.settle(&mut tx, id.as_uuid()).await?;
    answer(tx, &access, key, id, StatusCode::CREATED, false).await
}

/// Change a patient's details.
///
/// Send only the fields that change, and `If-Match` with the `ETag` the
/// record was read with: a change made from an older copy is refused with
/// 412 and saves nothing. The answer is the record as saved, with its new
/// `ETag`.
#[utoipa::path(
    patch,
    path = "/clinics/{slug}/patients/{id}",
    tag = "patients",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The clinic's slug"),
        ("id" = String, Path, description = "The patient's id (a UUID)"),
        ("If-Match" = String, Header, description = "The record's ETag, from reading it"),
    ),
    request_body = PatientFields,
    responses(
        (status = 200, description = "Saved", body = Item<PatientDetails>, headers(("ETag" = String))),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
        (status = 403, description = "The caller's role may not change records", body = ErrorBody),
        (status = 404, description = "No such patient in this clinic", body = ErrorBody),
        (status = 412, description = "The record changed since it was read; nothing saved", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
        (status = 428, description = "No If-Match sent", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, id)): Path<(String, String)>,
    if_match: IfMatch,
    Json(body): Json<PatientFields>,
) -> Result<Response, ApiError> {
    let (mut tx, access) = caller
        .clinic(&state, &slug, Permission::RegisterPatients)
        .await?;
    let id = PatientId::parse(&id)?;
    let version = if_match.version()?;
    if body.register_despite_duplicates.is_some() {
        return Err(AppError::validation(
            "register_despite_duplicates",
            "Only a registration may say this.",
        )
        .into());
    }
    let key = state.secret_key()?;
    let was = demographics::for_update(&mut tx, key, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if was.version != version {
        return Err(ApiError::precondition_failed());
    }
    let stored = RegistrationInput::from_record(
        &was.record,
        was.stored.id_number.clone().unwrap_or_default(),
    );
    let new = parse_registration(&body.over(stored), access.membership.today)?;
    demographics::update(&mut tx, &access, key, id, &new, version)
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) => ApiError::precondition_failed(),
            other => other.into(),
        })?;
    answer(tx, &access, key, id, StatusCode::OK, false).await
}

/// The record as it now is (its read audited), with its version; commits.
async fn answer(
    mut tx: ClinicTx,
    access: &ClinicAccess,
    key: &crate::server::crypto::SecretKey,
    id: PatientId,
    status: StatusCode,
    replayed: bool,
) -> Result<Response, ApiError> {
    let record = patients::open_record(&mut tx, access, key, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(record.updated_at));
    if status == StatusCode::CREATED {
        let at = format!(
            "/api/v1/clinics/{}/patients/{}",
            access.membership.slug, record.id
        );
        if let Ok(at) = HeaderValue::from_str(&at) {
            headers.insert(header::LOCATION, at);
        }
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((status, headers, JsonOut(Item { data: record })).into_response())
}

/// 409: who the patient may already be (ids and numbers only: the client
/// reads a record, audited, to compare).
fn possible_duplicates(found: &[PossibleDuplicate]) -> ApiError {
    let mut e = ApiError::from(AppError::Conflict(
        "This patient may already be registered: see errors.possible_duplicates. \
         Nothing was registered; to register anyway, send the request again with \
         register_despite_duplicates saying why this is someone else."
            .into(),
    ));
    for d in found {
        let reasons: Vec<&str> = d.reasons.iter().map(|r| r.label()).collect();
        e = e.with_field(
            "possible_duplicates",
            &format!(
                "{} {}: {}",
                d.patient.id,
                d.patient.patient_number,
                reasons.join(", ")
            ),
        );
    }
    e
}
