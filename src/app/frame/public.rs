//! The shell as people see it before they sign in.

use leptos::prelude::*;

use crate::components::button::{ButtonVariant, LinkButton};
use crate::components::shell::{AppShell, NavItem, ShellChrome};

#[component]
pub fn PublicFrame(children: Children) -> impl IntoView {
    let chrome = || {
        let nav = vec![
            NavItem::new("/", "Home"),
            NavItem::new("/clinics", "Find a clinic"),
        ];
        view! {
            <ShellChrome
                context_name="Hospital Management System"
                nav=nav
                user_menu=|| {
                    view! {
                        <LinkButton href="/login" variant=ButtonVariant::Secondary>
                            "Sign in"
                        </LinkButton>
                    }
                }
            />
        }
    };
    view! { <AppShell chrome=chrome>{children()}</AppShell> }
}
