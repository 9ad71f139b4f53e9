//! The frame of every clinic page, `/c/{slug}/...`: the clinic, the
//! person's role there and the navigation it allows.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use super::access_error::AccessError;
use super::signed_in::{Account, Bell, FrameInfo, SignedInFrame};
use crate::app::errors::NotFoundInFrame;
use crate::components::shell::NavItem;
use crate::components::skeleton::Skeleton;
use crate::domain::AppError;
use crate::domain::permission::Permission;
use crate::domain::session::ClinicFrame;
use leptos_router::hooks::use_params_map;

/// The frame of every clinic page: the clinic's name, the role's navigation
/// and the account menu. Membership is checked by each page's own server
/// call too (404 for a clinic the person is not in), so the frame never holds
/// back the page.
#[component]
pub fn ClinicLayout() -> impl IntoView {
    let slug = use_slug();
    let context = Resource::new(move || slug.get(), clinic_context);
    // Pages of this clinic read the same answer (ClinicGate), rather than
    // asking again.
    provide_context(LayoutClinic(context));
    let info = Resource::new(
        move || slug.get(),
        move |_| async move { context.await.map(frame_info) },
    );
    view! {
        <SignedInFrame info=info>
            <Outlet />
        </SignedInFrame>
    }
}

/// The clinic frame's own [`clinic_context`], shared with the pages inside.
#[derive(Clone, Copy)]
pub struct LayoutClinic(pub Resource<Result<ClinicFrame, AppError>>);

/// The layout's clinic context, or a new call outside a clinic layout.
fn layout_clinic() -> Resource<Result<ClinicFrame, AppError>> {
    use_context::<LayoutClinic>()
        .map(|c| c.0)
        .unwrap_or_else(|| {
            let slug = use_slug();
            Resource::new(move || slug.get(), clinic_context)
        })
}

fn frame_info(ctx: ClinicFrame) -> FrameInfo {
    FrameInfo {
        home: ctx.role.dashboard_path(&ctx.slug),
        nav: ctx
            .role
            .clinic_nav(&ctx.slug)
            .into_iter()
            .map(|(href, label)| NavItem::new(href, label))
            .collect(),
        account: Account {
            display_name: ctx.display_name,
            role_label: ctx.role.label().into(),
            idle_timeout_secs: ctx.idle_timeout_secs,
            can_switch: ctx.has_other_memberships,
        },
        bell: ctx.unread_notifications.map(|unread| Bell {
            href: format!("/c/{}/notifications", ctx.slug),
            live: format!("/live/{}/notifications", ctx.slug),
            unread,
        }),
        context_name: ctx.clinic_name,
    }
}

/// `/c/{slug}`: on to the role's dashboard.
#[component]
pub fn ClinicHome() -> impl IntoView {
    let context = layout_clinic();
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=2 label="Opening your dashboard…" /> }
        }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(c) => view! { <Redirect path=c.role.dashboard_path(&c.slug) /> }.into_any(),
                    Err(e) => view! { <AccessError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/c/{slug}/<unknown>`: a 404 inside the clinic's frame; someone signed
/// out is sent to sign in first, as on any clinic page.
#[component]
pub fn ClinicNotFound() -> impl IntoView {
    let context = layout_clinic();
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=2 label="Loading…" /> }
        }>
            {move || Suspend::new(async move {
                match context.await {
                    Err(e @ AppError::Unauthenticated) => {
                        view! { <AccessError error=e /> }.into_any()
                    }
                    _ => view! { <NotFoundInFrame /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A clinic page of the roles that have `permission`, such as a dashboard
/// made of cards that load on their own: the role is checked once for the
/// whole page, so a refusal shows once and with its status rather than in
/// every card or beside a filter form the role cannot use. Each server
/// function still checks for itself. The check reads the layout's context
/// (no call of its own); a page that loads data creates its resource before
/// the gate, so the data loads beside the check, not after it.
#[component]
pub fn ClinicGate<P, V>(
    permission: Permission,
    /// The page, given the person's place in the clinic.
    page: P,
) -> impl IntoView
where
    P: Fn(ClinicFrame) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let context = layout_clinic();
    view! {
        <Suspense fallback=|| {
            view! { <Skeleton rows=6 label="Loading…" /> }
        }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match context.await {
                        Ok(c) if c.role.can(permission) => page(c).into_any(),
                        Ok(_) => view! { <AccessError error=AppError::Forbidden /> }.into_any(),
                        Err(e) => view! { <AccessError error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Its children only for the roles with `permission`: a link or button the
/// others could not use (their server functions refuse them regardless).
#[component]
pub fn WhenAllowed(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let context = layout_clinic();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let allowed = matches!(context.await, Ok(c) if c.role.can(permission));
                    allowed.then(|| children())
                })
            }}
        </Suspense>
    }
}

/// The clinic slug of the current URL.
pub fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()))
}

/// The frame of clinic pages: the clinic, the person's role there.
#[server(prefix = "/fn/frame", endpoint = "clinic_context")]
pub async fn clinic_context(slug: String) -> Result<ClinicFrame, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, access) = access::member(&slug).await?;
    let others = landing::memberships(&mut tx, access.user.user_id)
        .await?
        .len()
        > 1;
    let unread = match access.role() {
        crate::domain::role::Role::Patient => None,
        _ => Some(crate::server::notifications::unread(&mut tx, &access.scope()).await?),
    };
    tx.commit().await?;
    Ok(ClinicFrame {
        clinic_id: access.membership.clinic_id,
        slug: access.membership.slug.clone(),
        clinic_name: access.membership.clinic_name.clone(),
        role: access.role(),
        display_name: access.user.display_name.clone(),
        email: access.user.email.clone(),
        idle_timeout_secs: access.user.idle_timeout.as_secs(),
        has_other_memberships: others,
        unread_notifications: unread,
    })
}
