//! Where a person goes after signing in, and the clinics they can choose from.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::role::Role;
use crate::domain::session::MembershipChoice;
use crate::server::tenancy;

pub struct Landing {
    pub path: String,
    pub clinic_id: Option<Uuid>,
    pub role: Option<Role>,
}

/// Platform admins land on the platform; people with one membership on its
/// dashboard; people with several choose.
pub async fn landing_path(
    pool: &PgPool,
    user_id: Uuid,
    is_platform_admin: bool,
) -> Result<Landing, AppError> {
    let none = |path: &str| Landing {
        path: path.into(),
        clinic_id: None,
        role: None,
    };
    if is_platform_admin {
        return Ok(none("/platform"));
    }
    let mut tx = tenancy::begin_personal(pool, user_id).await?;
    let rows = sqlx::query!(
        r#"select c.id, c.slug, m.role from memberships m join clinics c on c.id = m.clinic_id
           where m.user_id = $1 and m.active and c.status = 'active' limit 2"#,
        user_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    match rows.as_slice() {
        [only] => {
            let role = Role::parse(&only.role).ok_or(AppError::Internal)?;
            Ok(Landing {
                path: role.dashboard_path(&only.slug),
                clinic_id: Some(only.id),
                role: Some(role),
            })
        }
        _ => Ok(none("/choose-clinic")),
    }
}

pub async fn memberships(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<MembershipChoice>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select c.slug, c.name, m.role, d.name as "department?"
        from memberships m
        join clinics c on c.id = m.clinic_id
        left join departments d on d.id = m.department_id
        where m.user_id = $1 and m.active and c.status = 'active'
        order by lower(c.name), m.role
        limit 100
        "#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(MembershipChoice {
                slug: r.slug,
                clinic_name: r.name,
                role: Role::parse(&r.role)?,
                department: r.department,
            })
        })
        .collect())
}

/// Lands in `clinic_id` (where the person just signed in through single
/// sign-on) as their first role there, else as [`landing_path`] would.
pub async fn landing_in(
    pool: &PgPool,
    user_id: Uuid,
    is_platform_admin: bool,
    clinic_id: Uuid,
) -> Result<Landing, AppError> {
    let mut tx = tenancy::begin_personal(pool, user_id).await?;
    let rows = sqlx::query!(
        r#"select c.slug, m.role from memberships m join clinics c on c.id = m.clinic_id
           where m.user_id = $1 and m.clinic_id = $2 and m.active and c.status = 'active'"#,
        user_id,
        clinic_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let first = rows
        .iter()
        .filter_map(|r| Some((Role::parse(&r.role)?, r.slug.as_str())))
        .min_by_key(|(role, _)| Role::ALL.iter().position(|r| r == role));
    match first {
        Some((role, slug)) => Ok(Landing {
            path: role.dashboard_path(slug),
            clinic_id: Some(clinic_id),
            role: Some(role),
        }),
        None => landing_path(pool, user_id, is_platform_admin).await,
    }
}
