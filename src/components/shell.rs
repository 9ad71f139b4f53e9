//! The frame around every page: a sidebar on wide screens, a drawer behind a
//! Menu button on tablets and phones. The drawer is a `<details>` element, so
//! it opens and closes without JavaScript too.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::icons::{LogoMark, MenuIcon};

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NavItem {
    pub href: String,
    pub label: String,
}

impl NavItem {
    pub fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            label: label.into(),
        }
    }
}

#[component]
fn NavLinks(items: Vec<NavItem>) -> impl IntoView {
    let location = use_location();
    view! {
        <ul class="flex flex-col gap-1">
            {items
                .into_iter()
                .map(|item| {
                    let href = item.href.clone();
                    let current = move || {
                        let path = location.pathname.get();
                        (path == href || (href != "/" && path.starts_with(&format!("{href}/"))))
                            .then_some("page")
                    };
                    view! {
                        <li>
                            <a
                                href=item.href
                                aria-current=current
                                class=format!(
                                    "flex min-h-11 items-center rounded-lg px-3 font-medium text-slate-800 hover:bg-teal-50 aria-[current=page]:bg-teal-700 aria-[current=page]:text-white {}",
                                    super::FOCUS_RING,
                                )
                            >
                                {item.label}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The sidebar (wide screens) and the header with its drawer (tablets): the
/// part of the frame that depends on who is signed in. `context_name` is the
/// clinic's name inside a clinic, "HMS" outside one.
#[component]
pub fn ShellChrome(
    #[prop(into)] context_name: String,
    nav: Vec<NavItem>,
    /// The account menu at the header's right (sign-in link when signed out).
    #[prop(into)]
    user_menu: ViewFn,
) -> impl IntoView {
    let location = use_location();
    let drawer_nav = nav.clone();
    view! {
        <aside class="hidden border-r border-slate-200 bg-white lg:col-start-1 lg:row-span-3 lg:row-start-1 lg:flex lg:flex-col lg:gap-6 lg:p-4">
            <a href="/" class="flex min-h-11 items-center gap-2 text-lg font-bold text-slate-900">
                <LogoMark />
                "HMS"
            </a>
            <nav aria-label="Main">
                <NavLinks items=nav />
            </nav>
        </aside>
        <header class="sticky top-0 z-30 flex h-16 items-center gap-3 border-b border-slate-200 bg-white px-4 lg:col-start-2 lg:row-start-1">
            // Re-created on each navigation so the drawer closes after a link is followed.
            {move || {
                let _ = location.pathname.get();
                let items = drawer_nav.clone();
                view! {
                    <details class="group relative lg:hidden">
                        <summary class=format!(
                            "flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg border border-slate-300 px-3 font-semibold text-slate-900 [&::-webkit-details-marker]:hidden {}",
                            super::FOCUS_RING,
                        )>
                            <MenuIcon />
                            "Menu"
                        </summary>
                        <nav
                            aria-label="Main"
                            class="absolute left-0 top-14 z-40 w-72 rounded-xl border border-slate-200 bg-white p-3 shadow-xl"
                        >
                            <NavLinks items=items />
                        </nav>
                    </details>
                }
            }} <a href="/" class="flex min-h-11 items-center lg:hidden" aria-label="HMS home">
                <LogoMark />
            </a> <p class="truncate text-lg font-semibold text-slate-900">{context_name}</p>
            <div class="ml-auto flex items-center gap-2">{user_menu.run()}</div>
        </header>
    }
}

/// The page frame. `chrome` renders a [`ShellChrome`]; it is a sibling of the
/// page, not its parent, so a frame that waits for data (inside a
/// `<Suspense>`) never re-creates the page, and the page's own data loads once.
#[component]
pub fn AppShell(#[prop(into)] chrome: ViewFn, children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-dvh flex-col bg-slate-50 text-slate-900 lg:grid lg:grid-cols-[16rem_1fr] lg:grid-rows-[auto_1fr_auto]">
            <a
                href="#main"
                class="sr-only z-50 rounded-lg bg-white font-semibold focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:px-4 focus:py-3"
            >
                "Skip to content"
            </a>
            {chrome.run()}
            <main
                id="main"
                tabindex="-1"
                class="mx-auto w-full max-w-6xl flex-1 p-4 md:p-6 lg:col-start-2 lg:row-start-2"
            >
                {children()}
            </main>
            <footer class="border-t border-slate-200 px-4 py-3 text-sm text-slate-700 lg:col-start-2 lg:row-start-3">
                "HMS · hospital and clinic management"
            </footer>
        </div>
    }
    .into_any()
}
