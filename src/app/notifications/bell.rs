//! The header's bell: a link to the notification centre saying how many
//! are unread. An island listening to the person's own stream reads the
//! page again when one arrives or is read elsewhere, and swaps in the new
//! count; the count is in a polite live region, so a screen reader says
//! the new one.
//! Without JavaScript the count is as of the page's load.

use leptos::prelude::*;

use crate::app::frame::LiveRegions;
use crate::app::frame::signed_in::Bell;
use crate::domain::notifications::unread_label;

/// The element the stream keeps current.
pub const BELL_ID: &str = "notification-bell";

#[component]
pub fn NotificationBell(bell: Bell) -> impl IntoView {
    let label = match bell.unread {
        0 => "Notifications, none unread".to_string(),
        1 => "Notifications, 1 unread".to_string(),
        n => format!("Notifications, {} unread", unread_label(n)),
    };
    let count = (bell.unread > 0).then(|| unread_label(bell.unread));
    view! {
        <span id=BELL_ID aria-live="polite" class="flex">
            <a
                href=bell.href
                class=format!(
                    "relative flex size-11 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 {}",
                    crate::components::FOCUS_RING,
                )
            >
                <svg
                    aria-hidden="true"
                    viewBox="0 0 24 24"
                    class="size-6"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                >
                    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                </svg>
                <span class="sr-only">{label}</span>
                {count
                    .map(|c| {
                        view! {
                            <span
                                aria-hidden="true"
                                class="absolute -right-1 -top-1 min-w-6 rounded-full bg-red-700 px-1.5 text-center text-xs font-bold leading-6 text-white"
                            >
                                {c}
                            </span>
                        }
                    })}
            </a>
        </span>
        // The notification centre's list too, when it is the page open.
        <LiveRegions
            source=bell.live
            targets=vec![BELL_ID.to_string(), super::notifications_page::LIST_ID.to_string()]
        />
    }
}
