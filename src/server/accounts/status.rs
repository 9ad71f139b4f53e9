//! Account status: disabling an account (a struck-off doctor, a leaver) stops
//! sign-in and ends every open session in the same transaction.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::server::auth::sessions::{self, EndReason};

/// Returns the number of sessions ended.
pub async fn disable(conn: &mut PgConnection, user_id: Uuid) -> Result<u64, sqlx::Error> {
    sqlx::query!(
        "update users set status = 'disabled' where id = $1",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    sessions::end_all_for_user(conn, user_id, EndReason::AccountDisabled).await
}

pub async fn enable(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("update users set status = 'active' where id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}
