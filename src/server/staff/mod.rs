//! Staff of a clinic: the directory, departments and colleagues. Every query
//! runs in a clinic transaction, so row-level security keeps it to that clinic.

pub mod members;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::local_time::LocalTime;
use crate::domain::paging::{Page, PageRequest};
use crate::domain::role::Role;
use crate::domain::staff::{COLLEAGUES_SHOWN, Department, MyDepartment, StaffMember};
use crate::server::access::ClinicAccess;

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "memberships_department_same_clinic",
        field: "department",
        message: "Choose a department of this clinic.",
    },
    ConstraintField {
        constraint: "doctor_profiles_licence_unique",
        field: "licence_number",
        message: "Another doctor in this clinic has this licence number.",
    },
    ConstraintField {
        constraint: "clinic_doctor_limit",
        field: "role",
        message: "The clinic's plan allows no more doctors. Deactivate a doctor first, or ask HMS to upgrade the plan.",
    },
];

struct StaffRow {
    membership_id: Uuid,
    user_id: Uuid,
    display_name: String,
    email: String,
    role: String,
    department: Option<String>,
    active: bool,
    account_active: bool,
    last_login_at: Option<DateTime<Utc>>,
    timezone: String,
    offset_secs: Option<f64>,
    total: i64,
}

fn to_member(r: StaffRow) -> Option<StaffMember> {
    Some(StaffMember {
        membership_id: r.membership_id,
        user_id: r.user_id,
        display_name: r.display_name,
        email: r.email,
        role: Role::parse(&r.role)?,
        department: r.department,
        active: r.active,
        account_active: r.account_active,
        last_login: r
            .last_login_at
            .map(|at| LocalTime::in_zone(at, r.offset_secs, Some(r.timezone))),
    })
}

/// Everyone working in the clinic (patients are not staff), by name.
pub async fn directory(
    conn: &mut PgConnection,
    page: PageRequest,
) -> Result<Page<StaffMember>, sqlx::Error> {
    let rows = sqlx::query_as!(
        StaffRow,
        r#"
        select m.id as membership_id, u.id as user_id, u.display_name, u.email, m.role,
               d.name as "department?",
               m.active, u.status = 'active' as "account_active!",
               u.last_login_at as "last_login_at: DateTime<Utc>", c.timezone,
               extract(epoch from (u.last_login_at at time zone c.timezone)
                                - (u.last_login_at at time zone 'UTC'))::float8 as "offset_secs?",
               count(*) over () as "total!"
        from memberships m
        join users u on u.id = m.user_id
        join clinics c on c.id = m.clinic_id
        left join departments d on d.id = m.department_id
        where m.clinic_id = app_clinic_id() and m.role <> 'patient'
        order by lower(u.display_name), m.role
        limit $1 offset $2
        "#,
        page.limit(),
        page.offset(),
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Page::exact(
        rows.into_iter().filter_map(to_member).collect(),
        page,
        total,
    ))
}

/// The signed-in member's department and colleagues.
pub async fn my_department(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<MyDepartment, sqlx::Error> {
    let Some(id) = access.membership.department_id else {
        return Ok(MyDepartment {
            department: None,
            colleagues: Vec::new(),
            colleagues_total: 0,
        });
    };
    let (colleagues, colleagues_total) = colleagues(conn, id, access.user.user_id).await?;
    Ok(MyDepartment {
        department: department(conn, id).await?,
        colleagues,
        colleagues_total,
    })
}

/// The department a member belongs to, if any.
pub async fn department(
    conn: &mut PgConnection,
    department_id: Uuid,
) -> Result<Option<Department>, sqlx::Error> {
    sqlx::query_as!(
        Department,
        r#"
        -- The overrides: sqlx reads nullability from the plan, which with
        -- data can turn this outer join around.
        select d.id as "id!", d.name as "name!", d.code as "code!", u.display_name as "head?"
        from departments d left join users u on u.id = d.head_user_id
        where d.id = $1
        "#,
        department_id
    )
    .fetch_optional(conn)
    .await
}

/// The other active staff of a department, the first
/// [`COLLEAGUES_SHOWN`] by name, and how many there are in all.
pub async fn colleagues(
    conn: &mut PgConnection,
    department_id: Uuid,
    except_user: Uuid,
) -> Result<(Vec<StaffMember>, i64), sqlx::Error> {
    let rows = sqlx::query_as!(
        StaffRow,
        r#"
        select m.id as membership_id, u.id as user_id, u.display_name, u.email, m.role,
               d.name as "department?",
               m.active, u.status = 'active' as "account_active!",
               u.last_login_at as "last_login_at: DateTime<Utc>", c.timezone,
               extract(epoch from (u.last_login_at at time zone c.timezone)
                                - (u.last_login_at at time zone 'UTC'))::float8 as "offset_secs?",
               count(*) over () as "total!"
        from memberships m
        join users u on u.id = m.user_id
        join clinics c on c.id = m.clinic_id
        join departments d on d.id = m.department_id
        where m.department_id = $1 and m.user_id <> $2 and m.active
        order by lower(u.display_name)
        limit $3
        "#,
        department_id,
        except_user,
        COLLEAGUES_SHOWN,
    )
    .fetch_all(conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok((rows.into_iter().filter_map(to_member).collect(), total))
}

/// How many memberships the clinic's staff hold (patients are not staff).
pub async fn count_members(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from memberships
           where clinic_id = app_clinic_id() and role <> 'patient'"#
    )
    .fetch_one(conn)
    .await
}

/// The clinic's departments by name (a clinic has a handful, not pages).
pub async fn departments(conn: &mut PgConnection) -> Result<Vec<Department>, sqlx::Error> {
    sqlx::query_as!(
        Department,
        r#"
        select d.id, d.name, d.code, u.display_name as "head?"
        from departments d left join users u on u.id = d.head_user_id
        where d.clinic_id = app_clinic_id()
        order by lower(d.name)
        limit 200
        "#
    )
    .fetch_all(conn)
    .await
}
