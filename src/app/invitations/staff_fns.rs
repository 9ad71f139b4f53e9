//! The clinic admin's staff invitations: list, invite, send again, withdraw.

use leptos::prelude::*;

use crate::domain::AppError;
use crate::domain::invitations::{InvitationInput, InvitationsOverview};

#[server(prefix = "/fn/invitations", endpoint = "clinic_invitations")]
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
#[server(prefix = "/fn/invitations", endpoint = "invite_staff")]
pub async fn invite_staff(slug: String, invitation: InvitationInput) -> Result<(), AppError> {
    use crate::domain::invitations::parse_invitation;
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

#[server(prefix = "/fn/invitations", endpoint = "resend_invitation")]
pub async fn resend_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::state::AppState;
    use crate::server::{access, invitations};
    let id = crate::domain::ids::InvitationId::parse(&id)?;
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

#[server(prefix = "/fn/invitations", endpoint = "revoke_invitation")]
pub async fn revoke_invitation(slug: String, id: String) -> Result<(), AppError> {
    use crate::domain::permission::Permission;
    use crate::server::{access, invitations};
    let id = crate::domain::ids::InvitationId::parse(&id)?;
    let (mut tx, access) = access::clinic(&slug, Permission::ManageClinic).await?;
    invitations::revoke(&mut tx, &access, id, invitations::Kind::Staff).await?;
    tx.commit().await?;
    Ok(())
}
