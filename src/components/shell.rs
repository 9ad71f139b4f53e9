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

/// Which of `hrefs` is the current page: the longest one that `path` is or
/// lies under, so "/platform" is not current beside "/platform/audit".
pub fn current_nav_href<'a>(
    hrefs: impl IntoIterator<Item = &'a str>,
    path: &str,
) -> Option<&'a str> {
    hrefs
        .into_iter()
        .filter(|href| {
            path == *href
                || (*href != "/" && path.starts_with(href) && path[href.len()..].starts_with('/'))
        })
        .max_by_key(|href| href.len())
}

/// The current path for the navigation. The router's fallback (the public
/// 404) is rendered outside the routes' context when it hydrates, where
/// `use_location` panics: it passes `outside_routes` and marks nothing.
fn current_path(outside_routes: bool) -> Signal<String> {
    if outside_routes {
        return Signal::stored(String::new());
    }
    let location = use_location();
    Signal::derive(move || location.pathname.get())
}

#[component]
fn NavLinks(items: Vec<NavItem>, path: Signal<String>) -> impl IntoView {
    let hrefs: Vec<String> = items.iter().map(|i| i.href.clone()).collect();
    let current = Memo::new(move |_| {
        path.with(|p| current_nav_href(hrefs.iter().map(String::as_str), p).map(str::to_owned))
    });
    view! {
        <ul class="flex flex-col gap-1">
            {items
                .into_iter()
                .map(|item| {
                    let href = item.href.clone();
                    let aria_current = move || {
                        current.with(|c| (c.as_deref() == Some(href.as_str())).then_some("page"))
                    };
                    view! {
                        <li>
                            <a
                                href=item.href
                                aria-current=aria_current
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
/// clinic's name inside a clinic, "HMS" outside one. The header keeps to one
/// row: the clinic's name wraps to two lines rather than being cut, and the
/// person sits behind their initials (the account menu).
#[component]
pub fn ShellChrome(
    #[prop(into)] context_name: String,
    nav: Vec<NavItem>,
    /// Where the logo leads: the person's dashboard when signed in.
    #[prop(into, default = "/".into())]
    home_href: String,
    /// The account menu at the header's right (sign-in link when signed out).
    #[prop(into)]
    user_menu: ViewFn,
    /// Rendered by the router's fallback (see [`current_path`]).
    #[prop(optional)]
    outside_routes: bool,
) -> impl IntoView {
    let path = current_path(outside_routes);
    let drawer_nav = nav.clone();
    let drawer_home = home_href.clone();
    let home_label = if home_href == "/" {
        "HMS home"
    } else {
        "HMS: your dashboard"
    };
    view! {
        <aside class="hidden print:hidden border-r border-slate-200 bg-white lg:col-start-1 lg:row-span-3 lg:row-start-1 lg:flex lg:flex-col lg:gap-6 lg:p-4">
            <a
                href=home_href
                aria-label=home_label
                class=format!(
                    "flex min-h-11 items-center gap-2 rounded-lg text-lg font-bold text-slate-900 {}",
                    super::FOCUS_RING,
                )
            >
                <LogoMark />
                <span aria-hidden="true">"HMS"</span>
            </a>
            <nav aria-label="Main">
                <NavLinks items=nav path=path />
            </nav>
        </aside>
        <header class="print:hidden sticky top-0 z-30 flex min-h-16 items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 md:gap-3 md:px-4 lg:col-start-2 lg:row-start-1">
            // Re-created on each navigation so the drawer closes after a link is followed.
            {move || {
                let _ = path.get();
                let items = drawer_nav.clone();
                view! {
                    <details class="group relative shrink-0 lg:hidden">
                        <summary class=format!(
                            "flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg border border-slate-300 px-3 font-semibold text-slate-900 [&::-webkit-details-marker]:hidden {}",
                            super::FOCUS_RING,
                        )>
                            <MenuIcon />
                            "Menu"
                        </summary>
                        <nav
                            aria-label="Main"
                            class="absolute left-0 top-14 z-40 w-72 max-w-[calc(100vw-1.5rem)] rounded-xl border border-slate-200 bg-white p-3 shadow-xl"
                        >
                            <NavLinks items=items path=path />
                        </nav>
                    </details>
                }
            }}
            <a
                href=drawer_home
                class=format!(
                    "flex min-h-11 min-w-11 shrink-0 items-center justify-center rounded-lg lg:hidden {}",
                    super::FOCUS_RING,
                )
                aria-label=home_label
            >
                <LogoMark />
            </a>
            <p class="line-clamp-2 min-w-0 flex-1 text-base font-semibold leading-tight text-slate-900 md:text-lg">
                {context_name}
            </p> <div class="ml-auto flex shrink-0 items-center gap-2">{user_menu.run()}</div>
        </header>
    }
}

/// The page frame. `chrome` renders a [`ShellChrome`]; it is a sibling of the
/// page, not its parent, so a frame that waits for data (inside a
/// `<Suspense>`) never re-creates the page, and the page's own data loads once.
#[component]
pub fn AppShell(#[prop(into)] chrome: ViewFn, children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-dvh flex-col bg-slate-50 text-slate-900 lg:grid lg:grid-cols-[16rem_minmax(0,1fr)] lg:grid-rows-[auto_1fr_auto]">
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
                class="mx-auto w-full min-w-0 max-w-6xl flex-1 p-4 md:p-6 lg:col-start-2 lg:row-start-2"
            >
                {children()}
            </main>
            <footer class="print:hidden border-t border-slate-200 px-4 py-3 text-sm text-slate-700 lg:col-start-2 lg:row-start-3">
                "HMS · hospital and clinic management"
            </footer>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::current_nav_href;

    #[test]
    fn the_longest_matching_item_is_current() {
        let hrefs = ["/platform", "/platform/audit", "/platform/outbox"];
        assert_eq!(current_nav_href(hrefs, "/platform"), Some("/platform"));
        assert_eq!(
            current_nav_href(hrefs, "/platform/audit"),
            Some("/platform/audit")
        );
        assert_eq!(
            current_nav_href(hrefs, "/platform/audit/x"),
            Some("/platform/audit")
        );
        assert_eq!(current_nav_href(hrefs, "/platformx"), None);
        assert_eq!(
            current_nav_href(["/", "/clinics"], "/clinics"),
            Some("/clinics")
        );
        assert_eq!(current_nav_href(["/", "/clinics"], "/login"), None);
    }
}
