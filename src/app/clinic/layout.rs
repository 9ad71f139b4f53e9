use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use super::{clinic_context, use_slug};
use crate::app::access_error::AccessError;
use crate::app::signed_in_frame::{Account, FrameInfo, SignedInFrame};
use crate::components::shell::NavItem;
use crate::components::skeleton::Skeleton;
use crate::domain::session::ClinicFrame;

/// The frame of every clinic page: the clinic's name, the role's navigation
/// and the account menu. Membership is checked by each page's own server
/// call too (404 for a clinic the person is not in), so the frame never holds
/// back the page.
#[component]
pub fn ClinicLayout() -> impl IntoView {
    let slug = use_slug();
    let info = Resource::new(
        move || slug.get(),
        |slug| async move { clinic_context(slug).await.map(frame_info) },
    );
    view! {
        <SignedInFrame info=info>
            <Outlet/>
        </SignedInFrame>
    }
}

fn frame_info(ctx: ClinicFrame) -> FrameInfo {
    FrameInfo {
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
        context_name: ctx.clinic_name,
    }
}

/// `/c/{slug}`: on to the role's dashboard.
#[component]
pub fn ClinicHome() -> impl IntoView {
    let slug = use_slug();
    let context = Resource::new(move || slug.get(), clinic_context);
    view! {
        <Suspense fallback=|| view! { <Skeleton rows=2 label="Opening your dashboard…"/> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(c) => view! { <Redirect path=c.role.dashboard_path(&c.slug)/> }.into_any(),
                    Err(e) => view! { <AccessError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
