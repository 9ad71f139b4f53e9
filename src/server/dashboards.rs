//! Dashboard data that combines several areas.

use sqlx::PgConnection;

use crate::domain::AppError;
use crate::domain::dashboards::TeamView;
use crate::server::access::ClinicAccess;
use crate::server::{patients, staff};

const RECENTLY_VIEWED: i64 = 10;

pub async fn team_view(
    conn: &mut PgConnection,
    access: &ClinicAccess,
) -> Result<TeamView, AppError> {
    let (department, colleagues) = match access.membership.department_id {
        Some(id) => (
            staff::department(conn, id).await?,
            staff::colleagues(conn, id, access.user.user_id).await?,
        ),
        None => (None, Vec::new()),
    };
    let recently_viewed =
        patients::recently_viewed(conn, access.user.user_id, RECENTLY_VIEWED).await?;
    Ok(TeamView {
        display_name: access.user.display_name.clone(),
        email: access.user.email.clone(),
        role: access.role(),
        clinic_name: access.membership.clinic_name.clone(),
        department,
        colleagues,
        recently_viewed,
    })
}
