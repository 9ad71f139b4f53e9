//! The shell for signed-in people: their navigation, the account menu with
//! sign-out, and the idle-timeout warning.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::idle_warning::IdleWarning;
use crate::app::auth::SignOut;
use crate::app::notifications::NotificationBell;
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
    /// The person's dashboard here, where the logo leads.
    pub home: String,
    pub account: Account,
    /// The notification bell, inside a clinic (staff only).
    pub bell: Option<Bell>,
}

/// The header's notification bell: where it leads, the stream that keeps
/// it current, and the unread count when the page was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bell {
    pub href: String,
    pub live: String,
    pub unread: i64,
}

/// The frame's data, loaded once by a layout route.
pub type FrameResource = Resource<Result<FrameInfo, AppError>>;

/// `info` is None outside any clinic (the account, choosing a clinic): the
/// frame then loads the person's own places ([`my_frame`]). When it fails
/// (no such clinic for this person), the frame shows no navigation; the page
/// inside asks the server itself and shows the refusal.
#[component]
pub fn SignedInFrame(
    #[prop(optional)] info: Option<FrameResource>,
    children: Children,
) -> impl IntoView {
    let info = info.unwrap_or_else(|| Resource::new(|| (), |_| my_frame()));
    let chrome = move || {
        let plain = || {
            view! {
                <ShellChrome
                    context_name="HMS"
                    nav=vec![]
                    home_href="/home"
                    user_menu=|| view! { <AccountMenu account=None /> }
                />
            }
        };
        view! {
            // The page is not inside this Suspense: a Suspense re-renders
            // its children while it waits, and the page would load twice.
            <Suspense fallback=plain>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) => {
                            let idle = i.account.idle_timeout_secs;
                            let account = i.account.clone();
                            let bell = i.bell.clone();
                            view! {
                                <ShellChrome
                                    context_name=i.context_name
                                    nav=i.nav
                                    home_href=i.home
                                    user_menu=move || {
                                        view! {
                                            {bell
                                                .clone()
                                                .map(|b| view! { <NotificationBell bell=b /> })}
                                            <AccountMenu account=Some(account.clone()) />
                                        }
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
    };
    view! { <AppShell chrome=chrome>{children()}</AppShell> }
}

/// The frame of a signed-in person's own pages, outside any clinic: their
/// way back into each clinic, and their account.
#[server(prefix = "/fn/frame", endpoint = "my_frame")]
pub async fn my_frame() -> Result<FrameInfo, AppError> {
    use crate::server::{access, auth::landing};
    let (mut tx, user) = access::personal().await?;
    let memberships = landing::memberships(&mut tx, user.user_id).await?;
    tx.commit().await?;
    let places = crate::domain::session::personal_places(user.is_platform_admin, &memberships);
    Ok(FrameInfo {
        context_name: "HMS".into(),
        bell: None,
        nav: places
            .nav
            .into_iter()
            .map(|(href, label)| NavItem::new(href, label))
            .collect(),
        home: places.home,
        account: Account {
            display_name: user.display_name,
            role_label: places.role_label,
            idle_timeout_secs: user.idle_timeout.as_secs(),
            can_switch: memberships.len() > 1,
        },
    })
}

/// Up to two initials of a name, for the account menu's badge.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The person, their account and sign-out, behind their initials: a
/// `<details>` menu, so it opens without JavaScript and keeps the tablet
/// header to one line.
#[component]
fn AccountMenu(account: Option<Account>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let item = format!(
        "flex min-h-11 items-center rounded-lg px-3 font-semibold text-teal-800 hover:bg-teal-50 {}",
        crate::components::FOCUS_RING,
    );
    let sign_out_form = move || {
        view! {
            <ActionForm action=sign_out>
                <Button r#type="submit" variant=ButtonVariant::Secondary loading=sign_out.pending()>
                    "Sign out"
                </Button>
            </ActionForm>
        }
    };
    match account {
        None => sign_out_form().into_any(),
        Some(a) => {
            let initials = initials(&a.display_name);
            view! {
                <details class="relative">
                    <summary class=format!(
                        "flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg px-1 text-left [&::-webkit-details-marker]:hidden {}",
                        crate::components::FOCUS_RING,
                    )>
                        <span
                            aria-hidden="true"
                            class="flex size-10 shrink-0 items-center justify-center rounded-full bg-teal-700 font-semibold text-white"
                        >
                            {initials}
                        </span>
                        <span class="sr-only">"Account menu for "</span>
                        <span class="hidden max-w-48 flex-col leading-tight lg:flex">
                            <span class="truncate font-semibold text-slate-900">
                                {a.display_name.clone()}
                            </span>
                            <span class="truncate text-sm text-slate-700">
                                {a.role_label.clone()}
                            </span>
                        </span>
                        <span class="sr-only lg:hidden">{a.display_name.clone()}</span>
                    </summary>
                    <div class="absolute right-0 top-14 z-40 flex w-72 max-w-[calc(100vw-1.5rem)] flex-col gap-1 rounded-xl border border-slate-200 bg-white p-3 shadow-xl">
                        <p class="border-b border-slate-200 px-3 pb-2 leading-tight">
                            <span class="block break-words font-semibold text-slate-900">
                                {a.display_name}
                            </span>
                            <span class="block text-sm text-slate-700">{a.role_label}</span>
                        </p>
                        <a href="/account" class=item.clone()>
                            "Your account"
                        </a>
                        {a
                            .can_switch
                            .then(|| {
                                view! {
                                    <a href="/choose-clinic" class=item.clone()>
                                        "Switch clinic"
                                    </a>
                                }
                            })}
                        {sign_out_form()}
                    </div>
                </details>
            }
                .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(super::initials("Asha Rao"), "AR");
        assert_eq!(super::initials("dr. anil  kumar singh"), "DA");
        assert_eq!(super::initials("Ünal"), "Ü");
        assert_eq!(super::initials("  "), "");
    }
}
