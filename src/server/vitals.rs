//! Vital signs: recording a set for a visit (audited), and the triage page's
//! view of the visit with what was taken already.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::VisitId;
use crate::domain::local_time::LocalTime;
use crate::domain::patients::age_on;
use crate::domain::visits::token_label;
use crate::domain::vitals::{RecordedVitals, Vitals, VitalsPage};
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

/// Records the set for the visit (and its patient). `None` when the visit
/// is not this clinic's.
pub async fn record(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    visit_id: VisitId,
    v: &Vitals,
) -> Result<Option<Uuid>, sqlx::Error> {
    let whole = |x: Option<f64>| x.map(|x| x.round() as i32);
    let id = sqlx::query_scalar!(
        r#"insert into vital_signs (clinic_id, patient_id, visit_id, recorded_by, systolic_mmhg,
                                    diastolic_mmhg, heart_rate_per_min, temperature_c,
                                    respiratory_rate_per_min, spo2_percent, weight_kg, height_cm,
                                    pain_score)
           select app_clinic_id(), v.patient_id, v.id, $2, $3, $4, $5, $6::float8::numeric,
                  $7, $8, $9::float8::numeric, $10::float8::numeric, $11
           from patient_visits v where v.id = $1 and v.clinic_id = app_clinic_id()
           returning id"#,
        visit_id.as_uuid(),
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
    let Some(id) = id else {
        return Ok(None);
    };
    let mut event = access
        .event(AuditAction::Create)
        .about(AuditEntity::VitalSigns, id);
    event.after = Some(json!({ "visit_id": visit_id.as_uuid(), "vitals": v }));
    audit::record(conn, &event).await?;
    Ok(Some(id))
}

struct SetRow {
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
        r#"select s.systolic_mmhg, s.diastolic_mmhg, s.heart_rate_per_min,
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
        recorded: sets
            .into_iter()
            .map(|s| RecordedVitals {
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
            })
            .collect(),
    }))
}
