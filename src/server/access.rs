//! The guard every server function calls first: who is asking, inside which
//! clinic, with which permission. It returns the transaction to work in,
//! already carrying the tenant context, so nothing can run unguarded.

use sqlx::{Postgres, Transaction};

use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::server::audit::{self, NewAuditEvent, RequestOrigin};
use crate::server::auth::{self, CurrentUser};
use crate::server::page_transaction::{self, ClinicTx};
use crate::server::state::AppState;
use crate::server::tenancy::{self, ClinicMembership, ClinicScope};

pub type Tx = Transaction<'static, Postgres>;

/// A request allowed inside a clinic.
#[derive(Clone, Debug)]
pub struct ClinicAccess {
    pub user: CurrentUser,
    pub membership: ClinicMembership,
    /// Where the request came from, for its audit events.
    pub origin: RequestOrigin,
}

impl ClinicAccess {
    pub fn scope(&self) -> ClinicScope {
        ClinicScope {
            clinic_id: self.membership.clinic_id,
            user_id: self.user.user_id,
            role: self.membership.role,
        }
    }

    pub fn role(&self) -> Role {
        self.membership.role
    }

    /// An audit event by this person in this clinic, with the request's origin.
    pub fn event(&self, action: AuditAction) -> NewAuditEvent {
        let mut e = NewAuditEvent::new(Some(self.membership.clinic_id), action);
        e.actor_user_id = Some(self.user.user_id);
        e.actor_role = Some(self.membership.role.as_str().into());
        e.origin = self.origin.clone();
        e
    }
}

/// Signed in, a member of the clinic `slug`, and holding `permission` there.
/// A refusal for want of the permission is audited as ACCESS_DENIED.
pub async fn clinic(
    slug: &str,
    permission: Permission,
) -> Result<(ClinicTx, ClinicAccess), AppError> {
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    // Read before the first await: past it, a resource rendered on the
    // server may no longer see the request in its context.
    let origin = auth::request_origin();
    let (tx, membership) = enter(&state, &user, slug).await?;
    permitted(
        tx,
        ClinicAccess {
            user,
            membership,
            origin,
        },
        &[permission],
    )
    .await
}

/// [`clinic`] for a caller of the public API (the person behind its bearer
/// token), in a transaction of its own, holding any of `permissions`.
/// A call names no role: someone with several roles in the clinic makes it
/// in the first of theirs that may (`Role::preferring`), so one token works
/// for each of their jobs there.
pub async fn api_clinic(
    state: &AppState,
    user: CurrentUser,
    origin: RequestOrigin,
    slug: &str,
    permissions: &[Permission],
) -> Result<(ClinicTx, ClinicAccess), AppError> {
    let order = Role::preferring(permissions);
    let (tx, membership) =
        tenancy::enter_clinic_in_order(&state.pool, user.user_id, slug, user.role, &order).await?;
    let access = ClinicAccess {
        user,
        membership,
        origin,
    };
    permitted(ClinicTx::Own(tx), access, permissions).await
}

/// The access, if its role holds any of `permissions`; else the refusal,
/// audited as ACCESS_DENIED.
async fn permitted(
    mut tx: ClinicTx,
    access: ClinicAccess,
    permissions: &[Permission],
) -> Result<(ClinicTx, ClinicAccess), AppError> {
    if !permissions.iter().any(|p| access.role().can(*p)) {
        let mut event = access.event(AuditAction::AccessDenied);
        event.outcome = AuditOutcome::Denied;
        event.after = Some(match permissions {
            [one] => serde_json::json!({ "permission": format!("{one:?}") }),
            any => serde_json::json!({
                "permission_any_of": any.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>()
            }),
        });
        audit::record(&mut tx, &event).await?;
        tx.commit().await?;
        return Err(AppError::Forbidden);
    }
    Ok((tx, access))
}

/// Signed in and a member of the clinic `slug`, whatever the role: for the
/// frame around clinic pages, which shows only the person's own place there.
pub async fn member(slug: &str) -> Result<(ClinicTx, ClinicAccess), AppError> {
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    let origin = auth::request_origin();
    let (tx, membership) = enter(&state, &user, slug).await?;
    Ok((
        tx,
        ClinicAccess {
            user,
            membership,
            origin,
        },
    ))
}

/// Inside the clinic: in the page's transaction while a page renders (see
/// `page_transaction`), else in a transaction of the caller's own.
async fn enter(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> Result<(ClinicTx, ClinicMembership), AppError> {
    if let Some(page) = page_transaction::of_request()
        && let Some(entered) = page
            .enter(&state.pool, user.user_id, slug, user.role)
            .await?
    {
        return Ok(entered);
    }
    let (tx, membership) =
        tenancy::enter_clinic(&state.pool, user.user_id, slug, user.role).await?;
    Ok((ClinicTx::Own(tx), membership))
}

/// The platform admin's path across clinics, audited when refused.
pub async fn platform() -> Result<(Tx, CurrentUser), AppError> {
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    if !user.is_platform_admin {
        let mut tx = tenancy::begin_personal(&state.pool, user.user_id).await?;
        let mut event = NewAuditEvent::new(None, AuditAction::AccessDenied);
        event.actor_user_id = Some(user.user_id);
        event.outcome = AuditOutcome::Denied;
        event.after = Some(serde_json::json!({ "permission": "ViewAllClinics" }));
        event.origin = auth::request_origin();
        audit::record(&mut tx, &event).await?;
        tx.commit().await?;
        return Err(AppError::Forbidden);
    }
    let mut tx = tenancy::begin_platform(&state.pool, &state.scope, user.user_id).await?;
    // Every look across clinics leaves a trace in the platform chain.
    let mut event = NewAuditEvent::new(None, AuditAction::View);
    event.actor_user_id = Some(user.user_id);
    event.actor_role = Some(Role::PlatformAdmin.as_str().into());
    event.entity_type = Some(AuditEntity::Platform);
    event.origin = auth::request_origin();
    audit::record(&mut tx, &event).await?;
    Ok((tx, user))
}

/// Signed in, outside any clinic: sees only the person's own memberships.
pub async fn personal() -> Result<(Tx, CurrentUser), AppError> {
    let user = auth::current_user()?;
    let state = AppState::from_context()?;
    let tx = tenancy::begin_personal(&state.pool, user.user_id).await?;
    Ok((tx, user))
}
