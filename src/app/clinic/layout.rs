use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use super::{clinic_context, use_slug};
use crate::app::access_error::AccessError;
use crate::app::signed_in_frame::{Account, SignedInFrame};
use crate::components::shell::NavItem;
use crate::components::skeleton::Skeleton;
use crate::domain::session::ClinicFrame;

/// The frame of every clinic page: checks membership (404 otherwise), shows
/// the role's navigation, and hands the context to the page inside.
#[component]
pub fn ClinicLayout() -> impl IntoView {
    let slug = use_slug();
    let context = Resource::new(move || slug.get(), clinic_context);
    view! {
        <Suspense fallback=|| view! { <Skeleton rows=4 label="Loading…"/> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(ctx) => {
                        let nav = ctx
                            .role
                            .clinic_nav(&ctx.slug)
                            .into_iter()
                            .map(|(href, label)| NavItem::new(href, label))
                            .collect();
                        let account = Account {
                            display_name: ctx.display_name.clone(),
                            role_label: ctx.role.label().into(),
                            idle_timeout_secs: ctx.idle_timeout_secs,
                            can_switch: ctx.has_other_memberships,
                        };
                        let name = ctx.clinic_name.clone();
                        provide_context(ctx);
                        view! {
                            <SignedInFrame context_name=name nav=nav account=account>
                                <Outlet/>
                            </SignedInFrame>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <AccessError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/c/{slug}`: on to the role's dashboard.
#[component]
pub fn ClinicHome() -> impl IntoView {
    let ctx = use_context::<ClinicFrame>();
    ctx.map(|c| view! { <Redirect path=c.role.dashboard_path(&c.slug)/> })
}
