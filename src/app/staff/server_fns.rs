//! Staff of a clinic: the directory and a member's page, which the clinic
//! admin manages (`ManageClinic`), and one's own department on the team
//! dashboards (`ViewTeam`). Each authorises in the clinic of `slug` first.

use leptos::prelude::*;

use crate::domain::AppError;

/// One page of the staff directory, by name.
#[server(prefix = "/fn/staff", endpoint = "staff_directory")]
pub async fn staff_directory(
    slug: String,
    page: u32,
) -> Result<crate::domain::paging::Page<crate::domain::staff::StaffMember>, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let page = staff::directory(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    tx.commit().await?;
    Ok(page)
}

/// How many staff memberships the clinic has.
#[server(prefix = "/fn/staff", endpoint = "staff_count")]
pub async fn staff_count(slug: String) -> Result<i64, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let n = staff::count_members(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// The signed-in member's department and colleagues.
#[server(prefix = "/fn/staff", endpoint = "my_department")]
pub async fn my_department(slug: String) -> Result<crate::domain::staff::MyDepartment, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, staff};
    let (mut tx, access) = access::clinic(&slug, Permission::ViewTeam).await?;
    let mine = staff::my_department(&mut tx, &access).await?;
    tx.commit().await?;
    Ok(mine)
}

#[server(prefix = "/fn/staff", endpoint = "staff_member")]
pub async fn staff_member(
    slug: String,
    id: String,
) -> Result<crate::domain::staff::membership::MemberDetails, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, staff};
    let id = crate::domain::ids::MemberId::parse(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let details = staff::members::details(&mut tx, &access, id).await?;
    tx.commit().await?;
    Ok(details)
}

/// A new role or department for a member of staff.
#[server(prefix = "/fn/staff", endpoint = "change_member")]
pub async fn change_member(
    slug: String,
    id: String,
    change: crate::domain::staff::membership::MemberChangeInput,
) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::staff::membership::parse_member_change;
    use crate::server::{access, staff};
    let id = crate::domain::ids::MemberId::parse(&id)?;
    let (role, department) = parse_member_change(&change)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    staff::members::change(&mut tx, &access, id, role, department).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}

/// Deactivates (ending their sessions) or reactivates a member of staff.
#[server(prefix = "/fn/staff", endpoint = "set_member_active")]
pub async fn set_member_active(slug: String, id: String, active: bool) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, staff};
    let id = crate::domain::ids::MemberId::parse(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    staff::members::set_active(&mut tx, &access, id, active).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}

/// A doctor's profile in this clinic: specialty, licence, experience, fee,
/// availability.
#[server(prefix = "/fn/staff", endpoint = "save_doctor_profile")]
pub async fn save_doctor_profile(
    slug: String,
    id: String,
    profile: crate::domain::staff::doctor_profile::DoctorProfileInput,
) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::domain::staff::doctor_profile::parse_doctor_profile;
    use crate::server::{access, staff};
    let id = crate::domain::ids::MemberId::parse(&id)?;
    let profile = parse_doctor_profile(&profile)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    staff::members::save_doctor_profile(&mut tx, &access, id, &profile).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}
