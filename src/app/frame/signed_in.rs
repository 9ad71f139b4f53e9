//! The shell for signed-in people: their navigation, the account menu with
//! sign-out, and the idle-timeout warning.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::idle_warning::IdleWarning;
use crate::app::auth::SignOut;
use crate::components::button::{Button, ButtonVariant};
use crate::components::shell::{AppShell, NavItem, ShellChrome};
use crate::domain::AppError;

/// Who is signed in, for the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub display_name: String,
    pub role_label: String,
    pub idle_timeout_secs: u64,
    pub can_switch: bool,
}

/// What the frame shows around a signed-in page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameInfo {
    pub context_name: String,
    pub nav: Vec<NavItem>,
    pub account: Account,
}

/// The frame's data, loaded once by a layout route.
pub type FrameResource = Resource<Result<FrameInfo, AppError>>;

/// `info` is None outside any clinic (choosing one). When it fails (no such
/// clinic for this person), the frame shows no navigation; the page inside
/// asks the server itself and shows the refusal.
#[component]
pub fn SignedInFrame(
    #[prop(optional)] info: Option<FrameResource>,
    children: Children,
) -> impl IntoView {
    let chrome = move || {
        let plain = || {
            view! {
                <ShellChrome
                    context_name="HMS"
                    nav=vec![]
                    user_menu=|| view! { <AccountMenu account=None /> }
                />
            }
        };
        match info {
            None => plain().into_any(),
            Some(info) => view! {
                // The page is not inside this Suspense: a Suspense re-renders
                // its children while it waits, and the page would load twice.
                <Suspense fallback=plain>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(i) => {
                                let idle = i.account.idle_timeout_secs;
                                let account = i.account.clone();
                                view! {
                                    <ShellChrome
                                        context_name=i.context_name
                                        nav=i.nav
                                        user_menu=move || {
                                            view! { <AccountMenu account=Some(account.clone()) /> }
                                        }
                                    />
                                    <IdleWarning idle_timeout_secs=idle />
                                }
                                    .into_any()
                            }
                            Err(_) => plain().into_any(),
                        }
                    })}
                </Suspense>
            }
            .into_any(),
        }
    };
    view! { <AppShell chrome=chrome>{children()}</AppShell> }
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
                    <a
                        href="/account"
                        class=format!(
                            "inline-flex min-h-11 items-center rounded-lg px-3 font-semibold text-teal-800 hover:bg-teal-50 {}",
                            crate::components::FOCUS_RING,
                        )
                    >
                        "Account"
                    </a>
                    {a
                        .can_switch
                        .then(|| {
                            view! {
                                <a
                                    href="/choose-clinic"
                                    class=format!(
                                        "inline-flex min-h-11 items-center rounded-lg px-3 font-semibold text-teal-800 hover:bg-teal-50 {}",
                                        crate::components::FOCUS_RING,
                                    )
                                >
                                    "Switch clinic"
                                </a>
                            }
                        })}
                }
            })}
        <ActionForm action=sign_out>
            <Button r#type="submit" variant=ButtonVariant::Secondary loading=sign_out.pending()>
                "Sign out"
            </Button>
        </ActionForm>
    }
}
