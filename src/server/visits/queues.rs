//! The day's queues as each role reads them, the token slip, and the wait
//! estimate. One statement per list. A list takes its page from the day's
//! active queue in that queue's own order (an index), then counts, for the
//! first waiting visit of each department on the page, those ahead of it
//! (another index; the rest follow from the page's order), and
//! joins the patient, the vitals and the department's pace for the page's
//! rows only: a busy day costs little more to show than a quiet one.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::ids::VisitId;
use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::domain::patients::age_on;
use crate::domain::visits::DepartmentDay;
use crate::domain::visits::{
    DayCounts, Priority, QueueEntry, Showing, TokenSlip, VisitStatus, VisitType,
    estimate_wait_minutes,
};
use crate::domain::vitals::Vitals;

/// A queue's filter: the day, a department, which visits; for a doctor's
/// queue, the doctor (their own and the department's unassigned visits).
#[derive(Clone, Copy, Debug)]
pub struct QueueFilter {
    pub day: NaiveDate,
    pub department_id: Option<Uuid>,
    pub showing: Showing,
    pub doctor_user_id: Option<Uuid>,
    /// Only visits waiting (or called) with no vital signs taken yet: the
    /// nurses' triage list.
    pub awaiting_vitals: bool,
}

struct Row {
    visit_id: Uuid,
    patient_id: Uuid,
    token: i32,
    given_name: String,
    family_name: String,
    patient_number: String,
    date_of_birth: NaiveDate,
    sex: String,
    department: String,
    doctor: Option<String>,
    visit_type: String,
    priority: String,
    status: String,
    reason: String,
    checked_in_at: DateTime<Utc>,
    timezone: String,
    offset_secs: Option<f64>,
    waited_minutes: i64,
    ahead: Option<i64>,
    average_minutes: Option<f64>,
    doctors: Option<i64>,
    systolic: Option<i32>,
    diastolic: Option<i32>,
    heart_rate: Option<i32>,
    temperature: Option<f64>,
    respiratory_rate: Option<i32>,
    spo2: Option<i32>,
    weight: Option<f64>,
    height: Option<f64>,
    pain: Option<i32>,
    total: i64,
}

/// One page of the day's visits: emergencies first, then urgent, then by
/// token; those done (completed, no show…) after the active ones.
pub async fn list(
    conn: &mut PgConnection,
    filter: QueueFilter,
    page: PageRequest,
) -> Result<Page<QueueEntry>, sqlx::Error> {
    plan_once(conn).await?;
    let visits = page_of(conn, filter, page).await?;
    plan_as_usual(conn).await?;
    Ok(visits)
}

/// The front desk's page of the queue and the day's counts, both planned
/// once per connection.
pub async fn desk_day(
    conn: &mut PgConnection,
    filter: QueueFilter,
    page: PageRequest,
) -> Result<(Page<QueueEntry>, DayCounts), sqlx::Error> {
    plan_once(conn).await?;
    let visits = page_of(conn, filter, page).await?;
    let counts = day_counts(conn, filter.day).await?;
    plan_as_usual(conn).await?;
    Ok((visits, counts))
}

/// Planning the queue costs more (about 5 ms, the row-level security of six
/// tables) than running it, and the counts' plan was made afresh on every
/// page too (0.45 ms to plan, 0.15 ms to run: the planner kept preferring a
/// plan for the day's own value). Neither plan depends on the values, so
/// each connection makes them once.
async fn plan_once(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("set local plan_cache_mode = force_generic_plan")
        .execute(conn)
        .await?;
    Ok(())
}

/// Back to the planner's own choice for the rest of the transaction.
async fn plan_as_usual(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("set local plan_cache_mode = auto")
        .execute(conn)
        .await?;
    Ok(())
}

async fn page_of(
    conn: &mut PgConnection,
    filter: QueueFilter,
    page: PageRequest,
) -> Result<Page<QueueEntry>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Row,
        r#"
        with shown as (
            -- The page first, from the day's active queue in its order (an
            -- index), or from all the day's visits when those are asked for.
            -- The branch not asked for does not run.
            (select v.id, v.department_id, v.status, v.token,
                    visit_priority_rank(v.priority) as rank
             from patient_visits v
             where not $3 and v.clinic_id = app_clinic_id() and v.visit_date = $1
               and v.status in ('waiting', 'called', 'in_consultation')
               and ($2::uuid is null or v.department_id = $2)
               and ($4::uuid is null or v.doctor_user_id is null or v.doctor_user_id = $4)
               and (not $7 or (v.status in ('waiting', 'called')
                               and not exists (select 1 from vital_signs s where s.visit_id = v.id)))
             order by visit_priority_rank(v.priority), v.token, v.id
             limit $5 offset $6)
            union all
            (select v.id, v.department_id, v.status, v.token, visit_priority_rank(v.priority)
             from patient_visits v
             where $3 and v.clinic_id = app_clinic_id() and v.visit_date = $1
               and ($2::uuid is null or v.department_id = $2)
               and ($4::uuid is null or v.doctor_user_id is null or v.doctor_user_id = $4)
               and (not $7 or (v.status in ('waiting', 'called')
                               and not exists (select 1 from vital_signs s where s.visit_id = v.id)))
             order by v.status not in ('waiting', 'called', 'in_consultation'),
                      visit_priority_rank(v.priority), v.token, v.id
             limit $5 offset $6)
        ), counted as materialized (
            -- As the page: each branch in its own index. Materialized, so
            -- it runs once rather than once per row of the page.
            select count(*) as total from (
                select 1 from patient_visits v
                where not $3 and v.clinic_id = app_clinic_id() and v.visit_date = $1
                  and v.status in ('waiting', 'called', 'in_consultation')
                  and ($2::uuid is null or v.department_id = $2)
                  and ($4::uuid is null or v.doctor_user_id is null or v.doctor_user_id = $4)
                  and (not $7 or (v.status in ('waiting', 'called')
                                  and not exists (select 1 from vital_signs s where s.visit_id = v.id)))
                union all
                select 1 from patient_visits v
                where $3 and v.clinic_id = app_clinic_id() and v.visit_date = $1
                  and ($2::uuid is null or v.department_id = $2)
                  and ($4::uuid is null or v.doctor_user_id is null or v.doctor_user_id = $4)
                  and (not $7 or (v.status in ('waiting', 'called')
                                  and not exists (select 1 from vital_signs s where s.visit_id = v.id)))
            ) listed
        ), firsts as (
            -- The first waiting visit of each department on the page.
            select distinct on (department_id) department_id, rank, token
            from shown where status = 'waiting'
            order by department_id, rank, token
        ), bases as (
            -- Those waiting before it in its department's queue (as the
            -- list filters it), counted in the waiting queue's index: once
            -- per department on the page, not once per row.
            select f.department_id, (
                select count(*) from patient_visits a
                where a.clinic_id = app_clinic_id() and a.visit_date = $1
                  and a.department_id = f.department_id and a.status = 'waiting'
                  and (visit_priority_rank(a.priority), a.token) < (f.rank, f.token)
                  and ($4::uuid is null or a.doctor_user_id is null or a.doctor_user_id = $4)
                  and (not $7 or not exists (
                           select 1 from vital_signs vs where vs.visit_id = a.id))
            ) as ahead
            from firsts f
        ), placed as (
            -- The page is a run of the list, in the list's order, and the
            -- list keeps every waiting visit its filter keeps: those of a
            -- department between its first waiting visit here and another
            -- are all on the page, so each waits behind the first's count
            -- plus the department's waiting visits above it here.
            select s.*,
                   case when s.status = 'waiting' then
                       b.ahead - 1 + row_number() over (
                           partition by s.department_id, s.status = 'waiting'
                           order by s.rank, s.token, s.id)
                   end as ahead
            from shown s
            left join bases b on b.department_id = s.department_id
        ), pace as materialized (
            select w.department_id, dp.average_minutes, dp.doctors
            from (select distinct department_id from shown where status = 'waiting') w
            cross join lateral department_pace(w.department_id, $1) dp
        )
        select v.id as visit_id, v.patient_id, v.token, p.given_name, p.family_name,
               p.patient_number, p.date_of_birth, p.sex, d.name as department,
               u.display_name as "doctor?", v.visit_type, v.priority, v.status, v.reason,
               v.checked_in_at as "checked_in_at: DateTime<Utc>", c.timezone,
               extract(epoch from (v.checked_in_at at time zone c.timezone)
                                - (v.checked_in_at at time zone 'UTC'))::float8 as "offset_secs?",
               (extract(epoch from coalesce(v.called_at, now()) - v.checked_in_at) / 60)::bigint
                   as "waited_minutes!",
               s.ahead as "ahead?",
               pace.average_minutes as "average_minutes?",
               pace.doctors as "doctors?",
               vs.systolic_mmhg as "systolic?", vs.diastolic_mmhg as "diastolic?",
               vs.heart_rate_per_min as "heart_rate?", vs.temperature_c::float8 as "temperature?",
               vs.respiratory_rate_per_min as "respiratory_rate?", vs.spo2_percent as "spo2?",
               vs.weight_kg::float8 as "weight?", vs.height_cm::float8 as "height?",
               vs.pain_score as "pain?",
               counted.total as "total!"
        from placed s
        join patient_visits v on v.id = s.id
        cross join counted
        join patients p on p.id = v.patient_id
        join departments d on d.id = v.department_id
        join clinics c on c.id = v.clinic_id
        left join users u on u.id = v.doctor_user_id
        left join pace on pace.department_id = v.department_id and v.status = 'waiting'
        left join lateral (
            select * from vital_signs s where s.visit_id = v.id
            order by s.recorded_at desc limit 1
        ) vs on true
        order by s.status not in ('waiting', 'called', 'in_consultation'), s.rank, s.token, s.id
        "#,
        filter.day,
        filter.department_id,
        filter.showing == Showing::All,
        filter.doctor_user_id,
        page.limit(),
        page.offset(),
        filter.awaiting_vitals,
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok(Page::exact(
        rows.into_iter()
            .filter_map(|r| entry(r, filter.day))
            .collect(),
        page,
        total,
    ))
}

fn entry(r: Row, today: NaiveDate) -> Option<QueueEntry> {
    let status = VisitStatus::parse(&r.status)?;
    let vitals = Vitals {
        systolic: r.systolic.map(f64::from),
        diastolic: r.diastolic.map(f64::from),
        heart_rate: r.heart_rate.map(f64::from),
        temperature: r.temperature,
        respiratory_rate: r.respiratory_rate.map(f64::from),
        spo2: r.spo2.map(f64::from),
        weight: r.weight,
        height: r.height,
        pain: r.pain.map(f64::from),
    };
    Some(QueueEntry {
        visit_id: r.visit_id,
        patient_id: r.patient_id,
        token: r.token,
        patient_name: format!("{} {}", r.given_name, r.family_name),
        patient_number: r.patient_number,
        age: age_on(r.date_of_birth, today),
        sex: r.sex,
        department: r.department,
        doctor: r.doctor,
        visit_type: VisitType::parse(&r.visit_type)?,
        priority: Priority::parse(&r.priority)?,
        status,
        reason: r.reason,
        checked_in_at: LocalTime::in_zone(r.checked_in_at, r.offset_secs, Some(r.timezone)),
        waited_minutes: r.waited_minutes.max(0),
        estimated_wait_minutes: r.ahead.map(|ahead| {
            estimate_wait_minutes(
                u32::try_from(ahead).unwrap_or(u32::MAX),
                r.average_minutes,
                u32::try_from(r.doctors.unwrap_or(1)).unwrap_or(1),
            )
        }),
        vitals: (vitals != Vitals::default()).then_some(vitals),
    })
}

/// The slip of one visit, with its wait estimate as of now: those waiting
/// before it in its department's queue, at the department's pace.
pub async fn slip(
    conn: &mut PgConnection,
    visit_id: VisitId,
) -> Result<Option<TokenSlip>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        select v.id, v.token, v.status, d.name as department, u.display_name as "doctor?",
               p.given_name, p.family_name, p.patient_number, c.name as clinic_name,
               v.checked_in_at as "checked_in_at: DateTime<Utc>", c.timezone,
               extract(epoch from (v.checked_in_at at time zone c.timezone)
                                - (v.checked_in_at at time zone 'UTC'))::float8 as "offset_secs?",
               (select count(*) from patient_visits w
                where w.clinic_id = app_clinic_id() and w.visit_date = v.visit_date
                  and w.department_id = v.department_id and w.status = 'waiting'
                  and (visit_priority_rank(w.priority), w.token)
                      < (visit_priority_rank(v.priority), v.token)) as "ahead!",
               pace.average_minutes as "average_minutes?", pace.doctors as "doctors!"
        from patient_visits v
        join patients p on p.id = v.patient_id
        join departments d on d.id = v.department_id
        join clinics c on c.id = v.clinic_id
        left join users u on u.id = v.doctor_user_id
        cross join lateral department_pace(v.department_id, v.visit_date) pace
        where v.id = $1 and v.clinic_id = app_clinic_id()
        "#,
        visit_id.as_uuid()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        let status = VisitStatus::parse(&r.status)?;
        Some(TokenSlip {
            visit_id: r.id,
            clinic_name: r.clinic_name,
            token: r.token,
            department: r.department,
            doctor: r.doctor,
            patient_name: format!("{} {}", r.given_name, r.family_name),
            patient_number: r.patient_number,
            checked_in_at: LocalTime::in_zone(r.checked_in_at, r.offset_secs, Some(r.timezone)),
            status,
            estimated_wait_minutes: if status == VisitStatus::Waiting {
                estimate_wait_minutes(
                    u32::try_from(r.ahead).unwrap_or(u32::MAX),
                    r.average_minutes,
                    u32::try_from(r.doctors).unwrap_or(1),
                )
            } else {
                0
            },
        })
    }))
}

async fn day_counts(conn: &mut PgConnection, day: NaiveDate) -> Result<DayCounts, sqlx::Error> {
    let r = sqlx::query!(
        r#"select count(*) as "checked_in!",
                  count(*) filter (where status in ('waiting', 'called')) as "waiting!",
                  count(*) filter (where status = 'in_consultation') as "in_consultation!",
                  count(*) filter (where status = 'completed') as "completed!"
           from patient_visits where clinic_id = app_clinic_id() and visit_date = $1"#,
        day
    )
    .fetch_one(conn)
    .await?;
    Ok(DayCounts {
        checked_in: r.checked_in,
        waiting: r.waiting,
        in_consultation: r.in_consultation,
        completed: r.completed,
    })
}

/// Each department's day: visits, waiting now, completed, and the average
/// wait from check-in to being called (departments without visits too).
pub async fn departments_today(
    conn: &mut PgConnection,
    day: NaiveDate,
) -> Result<Vec<DepartmentDay>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select d.name, count(v.id) as "visits!",
                  count(v.id) filter (where v.status in ('waiting', 'called')) as "waiting!",
                  count(v.id) filter (where v.status = 'completed') as "completed!",
                  (avg(extract(epoch from v.called_at - v.checked_in_at) / 60)
                      filter (where v.called_at is not null))::float8 as "average_wait?"
           from departments d
           left join patient_visits v on v.department_id = d.id and v.clinic_id = d.clinic_id
                and v.visit_date = $1
           where d.clinic_id = app_clinic_id()
           group by d.id, d.name
           order by lower(d.name)
           limit 200"#,
        day
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DepartmentDay {
            department: r.name,
            visits: r.visits,
            waiting: r.waiting,
            completed: r.completed,
            average_wait_minutes: r.average_wait,
        })
        .collect())
}
