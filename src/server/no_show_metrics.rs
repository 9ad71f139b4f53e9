//! No-show metrics: over a period of the clinic's local days, the
//! appointments due and missed for the clinic, per doctor (every doctor
//! with any due, most missed first) and per patient (those with any missed,
//! most first, counted to a cap). Read from `appointments` by its (clinic,
//! start) index, on the stored `starts_at` (an index condition on
//! `lower(during)` is not allowed under row-level security: the function
//! is not leakproof). Cancelled and still-booked appointments are not due.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::no_show_metrics::{DoctorNoShows, NoShowRate, PatientNoShows, Period};
use crate::domain::paging::{Page, PageRequest, capped_total, count_window};
use crate::domain::schedules::day_span;
use crate::server::schedules::clinic_zone;

/// The period's instants: from the start of its first day to the start of
/// the day after its last, in the clinic's zone.
async fn instants(
    conn: &mut PgConnection,
    period: Period,
) -> Result<(DateTime<Utc>, DateTime<Utc>, String), sqlx::Error> {
    let (tz, zone) = clinic_zone(conn).await?;
    Ok((
        day_span(&tz, period.from).starts,
        day_span(&tz, period.to).ends,
        zone,
    ))
}

/// The clinic's appointments due and missed in the period.
pub async fn clinic_rate(
    conn: &mut PgConnection,
    period: Period,
) -> Result<NoShowRate, sqlx::Error> {
    let (from, to, _) = instants(conn, period).await?;
    let r = sqlx::query!(
        r#"select count(*) filter (where status in ('checked_in', 'completed', 'no_show')) as "due!",
                  count(*) filter (where status = 'no_show') as "missed!"
           from appointments
           where clinic_id = app_clinic_id() and starts_at >= $1 and starts_at < $2"#,
        from,
        to,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(NoShowRate {
        due: r.due,
        missed: r.missed,
    })
}

/// One page of the doctors with appointments due in the period, most
/// missed first (then most due, then by name). A clinic has at most a few
/// hundred doctors, so they are counted exactly.
pub async fn per_doctor(
    conn: &mut PgConnection,
    period: Period,
    page: PageRequest,
) -> Result<Page<DoctorNoShows>, sqlx::Error> {
    let (from, to, _) = instants(conn, period).await?;
    let total = sqlx::query_scalar!(
        r#"select count(distinct doctor_user_id) as "n!" from appointments
           where clinic_id = app_clinic_id() and starts_at >= $1 and starts_at < $2
             and status in ('checked_in', 'completed', 'no_show')"#,
        from,
        to,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select d.doctor_user_id, coalesce(clinic_member_name(d.doctor_user_id), '') as "doctor!",
                  d.due as "due!", d.missed as "missed!"
           from (select doctor_user_id, count(*) as due,
                        count(*) filter (where status = 'no_show') as missed
                 from appointments
                 where clinic_id = app_clinic_id() and starts_at >= $1 and starts_at < $2
                   and status in ('checked_in', 'completed', 'no_show')
                 group by doctor_user_id) d
           order by d.missed desc, d.due desc, lower(clinic_member_name(d.doctor_user_id)),
                    d.doctor_user_id
           limit $3 offset $4"#,
        from,
        to,
        page.limit(),
        page.offset(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .into_iter()
        .map(|r| DoctorNoShows {
            doctor_user_id: r.doctor_user_id,
            doctor: r.doctor,
            rate: NoShowRate {
                due: r.due,
                missed: r.missed,
            },
        })
        .collect();
    Ok(Page::exact(items, page, total))
}

/// One page of the patients who missed appointments in the period, most
/// missed first (then the most recent), with whether booking online is
/// paused for them now. Counted only to 1,000 or just past the page.
pub async fn per_patient(
    conn: &mut PgConnection,
    period: Period,
    page: PageRequest,
) -> Result<Page<PatientNoShows>, sqlx::Error> {
    let (from, to, zone) = instants(conn, period).await?;
    let window = count_window(page);
    let counted = sqlx::query_scalar!(
        r#"select count(*) as "n!" from (
               select 1 from appointments
               where clinic_id = app_clinic_id() and status = 'no_show'
                 and starts_at >= $1 and starts_at < $2
               group by patient_id
               limit $3) p"#,
        from,
        to,
        window,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select m.patient_id, p.given_name, p.family_name, p.patient_number,
                  m.missed as "missed!", (m.last at time zone $5)::date as "last_missed!",
                  exists (select 1 from self_booking_suspensions s
                          where s.patient_id = m.patient_id and s.lifted_at is null)
                      as "booking_paused!"
           from (select patient_id, count(*) as missed, max(starts_at) as last
                 from appointments
                 where clinic_id = app_clinic_id() and status = 'no_show'
                   and starts_at >= $1 and starts_at < $2
                 group by patient_id) m
           join patients p on p.id = m.patient_id
           order by m.missed desc, m.last desc, m.patient_id
           limit $3 offset $4"#,
        from,
        to,
        page.limit(),
        page.offset(),
        zone,
    )
    .fetch_all(&mut *conn)
    .await?;
    let (total, capped) = capped_total(counted, window);
    let items = rows
        .into_iter()
        .map(|r| PatientNoShows {
            patient_id: r.patient_id,
            patient_name: format!("{} {}", r.given_name, r.family_name),
            patient_number: r.patient_number,
            missed: r.missed,
            last_missed: r.last_missed,
            booking_paused: r.booking_paused,
        })
        .collect();
    Ok(Page::new(items, page, total, capped))
}
