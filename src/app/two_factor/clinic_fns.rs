//! A clinic admin's two-factor decisions (each authorises with
//! `ManageClinic` first).

use leptos::prelude::*;

use crate::domain::AppError;

/// Whether the clinic requires two-factor sign-in of all its staff.
#[server(prefix = "/fn/two_factor", endpoint = "clinic_two_factor")]
pub async fn clinic_two_factor(slug: String) -> Result<bool, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, two_factor::clinic};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let required = clinic::required(&mut tx, access.membership.clinic_id).await?;
    tx.commit().await?;
    Ok(required)
}

#[server(prefix = "/fn/two_factor", endpoint = "set_clinic_two_factor")]
pub async fn set_clinic_two_factor(slug: String, required: Option<String>) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, two_factor::clinic};
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    clinic::set_required(&mut tx, &access, required.is_some()).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/admin?saved=two_factor",
        access.membership.slug
    ));
    Ok(())
}

/// For a member who lost their phone.
#[server(prefix = "/fn/two_factor", endpoint = "reset_member_two_factor")]
pub async fn reset_member_two_factor(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, two_factor::clinic};
    let id = crate::domain::ids::MemberId::parse(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    clinic::reset_member(&mut tx, &access, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/c/{}/staff/{id}?saved=two_factor",
        access.membership.slug
    ));
    Ok(())
}
