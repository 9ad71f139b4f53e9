//! The clinic admin's staff invitations. Each authorises with
//! `ManageClinic` in the clinic of `slug` first.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::invitation::{InvitationInput, InvitationsOverview};

#[server(endpoint = "clinic_invitations")]
pub async fn clinic_invitations(slug: String, page: u32) -> Result<InvitationsOverview, AppError> {
    use crate::domain::paging::{DEFAULT_PER_PAGE, PageRequest};
    use crate::domain::permission::Permission;
    use crate::server::{access, invitations, staff};
    let (mut tx, _access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let open = invitations::list_open(&mut tx, PageRequest::new(page, DEFAULT_PER_PAGE)).await?;
    let departments = staff::departments(&mut tx).await?;
    tx.commit().await?;
    Ok(InvitationsOverview { open, departments })
}

/// Invites someone; the email goes out with the commit.
#[server(endpoint = "invite_staff")]
pub async fn invite_staff(slug: String, invitation: InvitationInput) -> Result<(), AppError> {
    use crate::domain::invitation::parse_invitation;
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, invitations};
    let new = parse_invitation(&invitation)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let state = AppState::from_context()?;
    invitations::invite(&mut tx, &access, &new, &state.config.base_url).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/invitations?sent=1", access.membership.slug));
    Ok(())
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, invitations};
    let id = access::parse_id(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let state = AppState::from_context()?;
    invitations::resend(
        &mut tx,
        &access,
        id,
        invitations::Kind::Staff,
        &state.config.base_url,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, invitations};
    let id = access::parse_id(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    invitations::revoke(&mut tx, &access, id, invitations::Kind::Staff).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "staff_member")]
pub async fn staff_member(
    slug: String,
    id: String,
) -> Result<crate::domain::membership::MemberDetails, AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, memberships};
    let id = access::parse_id(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    let details = memberships::details(&mut tx, &access, id).await?;
    tx.commit().await?;
    Ok(details)
}

/// A new role or department for a member of staff.
#[server(endpoint = "change_member")]
pub async fn change_member(
    slug: String,
    id: String,
    change: crate::domain::membership::MemberChangeInput,
) -> Result<(), AppError> {
    use crate::domain::membership::parse_member_change;
    use crate::domain::permission::Permission;
    use crate::server::{access, memberships};
    let id = access::parse_id(&id)?;
    let (role, department) = parse_member_change(&change)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    memberships::change(&mut tx, &access, id, role, department).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}

/// Deactivates (ending their sessions) or reactivates a member of staff.
#[server(endpoint = "set_member_active")]
pub async fn set_member_active(slug: String, id: String, active: bool) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, memberships};
    let id = access::parse_id(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    memberships::set_active(&mut tx, &access, id, active).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}

/// A doctor's profile in this clinic: specialty, licence, experience, fee,
/// availability.
#[server(endpoint = "save_doctor_profile")]
pub async fn save_doctor_profile(
    slug: String,
    id: String,
    profile: crate::domain::doctor_profile::DoctorProfileInput,
) -> Result<(), AppError> {
    use crate::domain::doctor_profile::parse_doctor_profile;
    use crate::domain::permission::Permission;
    use crate::server::{access, memberships};
    let id = access::parse_id(&id)?;
    let profile = parse_doctor_profile(&profile)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    memberships::save_doctor_profile(&mut tx, &access, id, &profile).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/c/{}/staff/{id}?saved=1", access.membership.slug));
    Ok(())
}
