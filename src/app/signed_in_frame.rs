//! The shell for signed-in people: their navigation, the account menu with
//! sign-out, and the idle-timeout warning.

use leptos::prelude::*;

use crate::app::auth::SignOut;
use crate::app::idle_warning::IdleWarning;
use crate::components::button::{Button, ButtonVariant};
use crate::components::shell::{AppShell, NavItem};

/// Who is signed in, for the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub display_name: String,
    pub role_label: String,
    pub idle_timeout_secs: u64,
    pub can_switch: bool,
}

#[component]
pub fn SignedInFrame(
    #[prop(into)] context_name: String,
    #[prop(optional)] nav: Vec<NavItem>,
    #[prop(optional)] account: Option<Account>,
    children: Children,
) -> impl IntoView {
    let idle = account.as_ref().map(|a| a.idle_timeout_secs);
    let menu = account.clone();
    view! {
        <AppShell context_name=context_name nav=nav user_menu=move || view! { <AccountMenu account=menu.clone()/> }>
            {children()}
        </AppShell>
        {idle.map(|secs| view! { <IdleWarning idle_timeout_secs=secs/> })}
    }
}

#[component]
fn AccountMenu(account: Option<Account>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        {account
            .map(|a| {
                view! {
                    <p class="hidden text-right text-sm leading-tight md:block">
                        <span class="block font-semibold text-slate-900">{a.display_name}</span>
                        <span class="block text-slate-700">{a.role_label}</span>
                    </p>
                    {a.can_switch.then(|| view! {
                        <a href="/choose-clinic" class=format!("inline-flex min-h-11 items-center rounded-lg px-3 font-semibold text-teal-800 hover:bg-teal-50 {}", crate::components::FOCUS_RING)>
                            "Switch clinic"
                        </a>
                    })}
                }
            })}
        <ActionForm action=sign_out>
            <Button r#type="submit" variant=ButtonVariant::Secondary loading=sign_out.pending()>"Sign out"</Button>
        </ActionForm>
    }
}
