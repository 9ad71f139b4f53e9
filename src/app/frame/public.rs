//! The shell as people see it before they sign in. Someone already signed
//! in who comes back to a public page (the home page, sign-in, the clinic
//! directory) is offered their dashboard instead of "Sign in".

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::shell::{AppShell, NavItem, ShellChrome};
use crate::domain::AppError;

/// Where the person on a public page works, when they are signed in. Asked
/// once by the frame and shared with the page inside it (the sign-in page
/// forwards, the home page offers the dashboard).
#[derive(Clone, Copy)]
pub struct SignedInPlace(pub Resource<Result<Option<String>, AppError>>);

#[component]
pub fn PublicFrame(
    /// Rendered by the router's fallback (the public 404).
    #[prop(optional)]
    outside_routes: bool,
    children: Children,
) -> impl IntoView {
    let home = Resource::new(|| (), |_| signed_in_home());
    provide_context(SignedInPlace(home));
    let chrome = move || {
        let nav = vec![
            NavItem::new("/", "Home"),
            NavItem::new("/clinics", "Find a clinic"),
        ];
        view! {
            <ShellChrome
                context_name="Hospital Management System"
                nav=nav
                outside_routes=outside_routes
                user_menu=move || view! { <DashboardOrSignIn home=home secondary=true /> }
            />
        }
    };
    view! { <AppShell chrome=chrome>{children()}</AppShell> }
}

/// "Go to your dashboard" for someone signed in, else "Sign in".
#[component]
pub fn DashboardOrSignIn(
    /// The frame's [`SignedInPlace`] when not given.
    #[prop(optional)]
    home: Option<Resource<Result<Option<String>, AppError>>>,
    #[prop(optional)] secondary: bool,
) -> impl IntoView {
    let home = home
        .or_else(|| use_context::<SignedInPlace>().map(|h| h.0))
        .unwrap_or_else(|| Resource::new(|| (), |_| signed_in_home()));
    let variant = if secondary {
        ButtonVariant::Secondary
    } else {
        ButtonVariant::Primary
    };
    let sign_in = move || {
        view! {
            <LinkButton href="/login" variant=variant>
                "Sign in"
            </LinkButton>
        }
    };
    view! {
        <Suspense fallback=sign_in>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(path)) => {
                        view! {
                            <LinkButton href=path variant=variant>
                                "Go to your dashboard"
                            </LinkButton>
                        }
                            .into_any()
                    }
                    _ => sign_in().into_any(),
                }
            })}
        </Suspense>
    }
}

/// Sends a signed-in person on to their dashboard (the sign-in page, and
/// `/home`, the installed app's start). `otherwise` is where a signed-out
/// person goes; without it they stay.
#[component]
pub fn ForwardSignedIn(#[prop(optional, into)] otherwise: Option<String>) -> impl IntoView {
    let home = use_context::<SignedInPlace>()
        .map(|h| h.0)
        .unwrap_or_else(|| Resource::new(|| (), |_| signed_in_home()));
    view! {
        <Suspense>
            {move || {
                let otherwise = otherwise.clone();
                Suspend::new(async move {
                    match (home.await, otherwise) {
                        (Ok(Some(path)), _) => view! { <Redirect path=path /> }.into_any(),
                        (_, Some(path)) => view! { <Redirect path=path /> }.into_any(),
                        _ => ().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/home`, where the installed app starts: the person's dashboard, or
/// sign-in.
#[component]
pub fn HomeRedirect() -> impl IntoView {
    view! { <ForwardSignedIn otherwise="/login" /> }
}

/// The signed-in person's dashboard, or None for someone signed out.
#[server(prefix = "/fn/frame", endpoint = "signed_in_home")]
pub async fn signed_in_home() -> Result<Option<String>, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, user) = match access::personal().await {
        Ok(signed_in) => signed_in,
        Err(AppError::Unauthenticated) => return Ok(None),
        Err(e) => return Err(e),
    };
    let memberships = landing::memberships(&mut tx, user.user_id).await?;
    tx.commit().await?;
    Ok(Some(
        crate::domain::session::personal_places(user.is_platform_admin, &memberships).home,
    ))
}
