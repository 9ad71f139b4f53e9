//! Vital signs: recording a set for a visit (audited), and the triage page's
//! view of the visit with what was taken already.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{PatientId, VisitId};
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::domain::patients::age_on;
use crate::domain::visits::token_label;
use crate::domain::vitals::{RecordedVitals, Vitals, VitalsEntry, VitalsPage};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::error::ConstraintField;

pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "vital_signs_possible",
        field: "form",
        message: "A value is outside what a patient can have: check the readings.",
    },
    ConstraintField {
        constraint: "vital_signs_blood_pressure_whole",
        field: "diastolic",
        message: "Enter both blood pressure values, the diastolic lower.",
    },
];

/// Whose vital signs: a visit's (the triage page: the visit's patient), or
/// a patient's, for one of their visits or none (the API).
#[derive(Clone, Copy, Debug)]
pub enum TakenFor {
    Visit(VisitId),
    Patient(PatientId, Option<VisitId>),
}

/// Records the set. `None` when the visit or patient is not this clinic's,
/// or the visit not the patient's.
pub async fn record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    taken_for: TakenFor,
    v: &Vitals,
) -> Result<Option<Uuid>, sqlx::Error> {
    let (patient_id, visit_id) = match taken_for {
        TakenFor::Visit(visit) => (None, Some(visit.as_uuid())),
        TakenFor::Patient(patient, visit) => (Some(patient.as_uuid()), visit.map(|v| v.as_uuid())),
    };
    let whole = |x: Option<f64>| x.map(|x| x.round() as i32);
    // The patient is the one named, else the visit's; a visit named must be
    // this clinic's and the patient's.
    let row = sqlx::query!(
        r#"insert into vital_signs (clinic_id, patient_id, visit_id, recorded_by, systolic_mmhg,
                                    diastolic_mmhg, heart_rate_per_min, temperature_c,
                                    respiratory_rate_per_min, spo2_percent, weight_kg, height_cm,
                                    pain_score)
           select app_clinic_id(), p.id, v.id, $3, $4, $5, $6, $7::float8::numeric,
                  $8, $9, $10::float8::numeric, $11::float8::numeric, $12
           from patients p
           left join patient_visits v on v.id = $2 and v.clinic_id = app_clinic_id()
           where p.clinic_id = app_clinic_id()
             and p.id = coalesce($1, v.patient_id)
             and ($2::uuid is null or v.patient_id = p.id)
           returning id, patient_id"#,
        patient_id,
        visit_id,
        access.user.user_id,
        whole(v.systolic),
        whole(v.diastolic),
        whole(v.heart_rate),
        v.temperature,
        whole(v.respiratory_rate),
        whole(v.spo2),
        v.weight,
        v.height,
        whole(v.pain),
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::VitalSigns, row.id);
    event.after = Some(json!({
        "patient_id": row.patient_id,
        "visit_id": visit_id,
        "vitals": v,
    }));
    audit::record(conn, &event).await?;
    Ok(Some(row.id))
}

/// One page of the patient's recorded sets, newest first (or only the set
/// `only`), and the read's VIEW event. `None` when the patient is not this
/// clinic's.
pub async fn of_patient(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    patient_id: PatientId,
    page: PageRequest,
    only: Option<Uuid>,
) -> Result<Option<Page<VitalsEntry>>, sqlx::Error> {
    let patient_id = patient_id.as_uuid();
    let Some(total) = sqlx::query_scalar!(
        r#"select (select count(*) from vital_signs s
                   where s.patient_id = p.id and s.clinic_id = app_clinic_id()
                     and ($2::uuid is null or s.id = $2)) as "total!"
           from patients p where p.id = $1 and p.clinic_id = app_clinic_id()"#,
        patient_id,
        only,
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let sets = sqlx::query_as!(
        SetRow,
        r#"select s.id, s.visit_id, s.systolic_mmhg, s.diastolic_mmhg, s.heart_rate_per_min,
                  s.temperature_c::float8 as "temperature_c?", s.respiratory_rate_per_min,
                  s.spo2_percent, s.weight_kg::float8 as "weight_kg?",
                  s.height_cm::float8 as "height_cm?", s.pain_score,
                  s.recorded_at as "recorded_at: DateTime<Utc>",
                  coalesce(u.display_name, 'someone') as "recorded_by!", c.timezone,
                  extract(epoch from (s.recorded_at at time zone c.timezone)
                                   - (s.recorded_at at time zone 'UTC'))::float8 as "offset_secs?"
           from vital_signs s
           join clinics c on c.id = s.clinic_id
           left join users u on u.id = s.recorded_by
           where s.patient_id = $1 and s.clinic_id = app_clinic_id()
             and ($4::uuid is null or s.id = $4)
           order by s.recorded_at desc
           limit $2 offset $3"#,
        patient_id,
        page.limit(),
        page.offset(),
        only,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut event = access
        .event(AuditAction::View)
        .about(AuditEntity::Patient, patient_id);
    event.after = Some(json!({ "purpose": "vital_signs" }));
    audit::record(conn, &event).await?;
    let items = sets
        .into_iter()
        .map(|s| VitalsEntry {
            id: s.id,
            visit_id: s.visit_id,
            set: recorded(s),
        })
        .collect();
    Ok(Some(Page::exact(items, page, total)))
}

struct SetRow {
    id: Uuid,
    visit_id: Option<Uuid>,
    systolic_mmhg: Option<i32>,
    diastolic_mmhg: Option<i32>,
    heart_rate_per_min: Option<i32>,
    temperature_c: Option<f64>,
    respiratory_rate_per_min: Option<i32>,
    spo2_percent: Option<i32>,
    weight_kg: Option<f64>,
    height_cm: Option<f64>,
    pain_score: Option<i32>,
    recorded_at: DateTime<Utc>,
    recorded_by: String,
    timezone: String,
    offset_secs: Option<f64>,
}

/// The triage page of a visit of this clinic: who, where, and the sets
/// taken for it so far (newest first).
pub async fn page(
    conn: &mut PgConnection,
    visit_id: VisitId,
    today: NaiveDate,
) -> Result<Option<VitalsPage>, sqlx::Error> {
    let Some(v) = sqlx::query!(
        r#"select v.id, v.token, v.status, d.name as department, p.given_name, p.family_name,
                  p.patient_number, p.date_of_birth
           from patient_visits v
           join patients p on p.id = v.patient_id
           join departments d on d.id = v.department_id
           where v.id = $1 and v.clinic_id = app_clinic_id()"#,
        visit_id.as_uuid()
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let sets = sqlx::query_as!(
        SetRow,
        r#"select s.id, s.visit_id, s.systolic_mmhg, s.diastolic_mmhg, s.heart_rate_per_min,
                  s.temperature_c::float8 as "temperature_c?", s.respiratory_rate_per_min,
                  s.spo2_percent, s.weight_kg::float8 as "weight_kg?",
                  s.height_cm::float8 as "height_cm?", s.pain_score,
                  s.recorded_at as "recorded_at: DateTime<Utc>",
                  coalesce(u.display_name, 'someone') as "recorded_by!", c.timezone,
                  extract(epoch from (s.recorded_at at time zone c.timezone)
                                   - (s.recorded_at at time zone 'UTC'))::float8 as "offset_secs?"
           from vital_signs s
           join clinics c on c.id = s.clinic_id
           left join users u on u.id = s.recorded_by
           where s.visit_id = $1 and s.clinic_id = app_clinic_id()
           order by s.recorded_at desc
           limit 20"#,
        visit_id.as_uuid()
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(VitalsPage {
        visit_id: v.id,
        token: token_label(v.token),
        department: v.department,
        status: v.status,
        patient_name: format!("{} {}", v.given_name, v.family_name),
        patient_number: v.patient_number,
        adult: age_on(v.date_of_birth, today) >= 18,
        recorded: sets.into_iter().map(recorded).collect(),
    }))
}

fn recorded(s: SetRow) -> RecordedVitals {
    RecordedVitals {
        vitals: Vitals {
            systolic: s.systolic_mmhg.map(f64::from),
            diastolic: s.diastolic_mmhg.map(f64::from),
            heart_rate: s.heart_rate_per_min.map(f64::from),
            temperature: s.temperature_c,
            respiratory_rate: s.respiratory_rate_per_min.map(f64::from),
            spo2: s.spo2_percent.map(f64::from),
            weight: s.weight_kg,
            height: s.height_cm,
            pain: s.pain_score.map(f64::from),
        },
        recorded_at: LocalTime::in_zone(s.recorded_at, s.offset_secs, Some(s.timezone)),
        recorded_by: s.recorded_by,
    }
}
