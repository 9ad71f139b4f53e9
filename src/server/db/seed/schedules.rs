//! The demo doctors' weekly hours, so that a fresh `make run` has free
//! appointment slots to book: mornings Monday to Saturday, afternoons
//! Monday to Friday, each doctor in a room of their own.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// (ISO weekdays, starts, ends) of every demo doctor's week.
const DEMO_SESSIONS: &[(&[i16], &str, &str)] = &[
    (&[1, 2, 3, 4, 5, 6], "09:00", "13:00"),
    (&[1, 2, 3, 4, 5], "14:00", "17:00"),
];

/// Gives each doctor of the clinic who has no weekly hours the demo week.
pub async fn add_office_hours(
    tx: &mut Transaction<'_, Postgres>,
    clinic_id: Uuid,
) -> Result<(), sqlx::Error> {
    let mut weekdays = Vec::new();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (days, from, to) in DEMO_SESSIONS {
        for d in *days {
            weekdays.push(*d);
            starts.push(*from);
            ends.push(*to);
        }
    }
    sqlx::query!(
        r#"
        insert into doctor_office_hours (clinic_id, doctor_user_id, weekday, starts, ends, room)
        select $1, m.user_id, s.weekday, s.starts::time, s.ends::time,
               'Room ' || (row_number() over (partition by s.weekday, s.starts order by m.user_id))
        from memberships m
        cross join unnest($2::smallint[], $3::text[], $4::text[]) as s (weekday, starts, ends)
        where m.clinic_id = $1 and m.active and m.role in ('doctor', 'head_of_department')
          and not exists (select 1 from doctor_office_hours o
                          where o.clinic_id = $1 and o.doctor_user_id = m.user_id)
        "#,
        clinic_id,
        &weekdays,
        &starts as &[&str],
        &ends as &[&str],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
