//! Warns before an idle sign-out and offers "Stay signed in": an island, as
//! its timers run in the browser. The server enforces the timeout either way,
//! so without JavaScript the next request after it goes to the sign-in page.

use leptos::prelude::*;

use crate::app::auth::KeepAlive;
use crate::components::button::Button;
use crate::domain::session::idle_warning_lead_secs;
use crate::domain::url::with_query;

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Quiet,
    Warning,
    Ended,
}

#[island]
pub fn IdleWarning(idle_timeout_secs: u64) -> impl IntoView {
    let phase = RwSignal::new(Phase::Quiet);
    // When the session ends if nothing happens (ms since the epoch). A clock
    // check each second, rather than one timer, stays right after a tablet sleeps.
    let deadline = StoredValue::new(f64::MAX);
    let lead_ms = idle_warning_lead_secs(idle_timeout_secs) as f64 * 1000.0;
    let keep_alive = ServerAction::<KeepAlive>::new();

    let arm = move |timeout: u64| {
        deadline.set_value(now_ms() + timeout as f64 * 1000.0);
        phase.set(Phase::Quiet);
    };
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let left = deadline.try_get_value().unwrap_or(f64::MAX) - now_ms();
                let next = if left <= 0.0 {
                    Phase::Ended
                } else if left <= lead_ms {
                    Phase::Warning
                } else {
                    Phase::Quiet
                };
                if phase.try_get_untracked() != Some(next) {
                    phase.set(next);
                }
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    // Every page load reaches the server, which renews the idle timer there.
    Effect::new(move |_| arm(idle_timeout_secs));
    Effect::new(move |_| {
        if let Some(result) = keep_alive.value().get() {
            match result {
                Ok(secs) => arm(secs),
                Err(_) => phase.set(Phase::Ended),
            }
        }
    });
    let sign_in_again = move || {
        let here = here();
        with_query("/login", &[("next", &here), ("reason", "idle")])
    };
    view! {
        <Show when=move || phase.get() != Phase::Quiet>
            <div class="fixed inset-x-0 bottom-0 z-50 flex justify-center p-4">
                <div
                    role="alertdialog"
                    aria-labelledby="idle-title"
                    aria-describedby="idle-text"
                    class="w-full max-w-lg rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 shadow-xl"
                >
                    {move || match phase.get() {
                        Phase::Ended => {
                            view! {
                                <h2 id="idle-title" class="text-lg font-semibold">
                                    "You have been signed out"
                                </h2>
                                <p id="idle-text" class="mt-1">
                                    "The session ended after a period without activity."
                                </p>
                                <a
                                    href=sign_in_again
                                    class="mt-3 inline-flex min-h-11 items-center font-semibold underline"
                                >
                                    "Sign in again"
                                </a>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <h2 id="idle-title" class="text-lg font-semibold">
                                    "Are you still there?"
                                </h2>
                                <p id="idle-text" class="mt-1">
                                    "You will be signed out soon to protect patient information."
                                </p>
                                <div class="mt-3">
                                    <Button
                                        loading=keep_alive.pending()
                                        on_click=Callback::new(move |()| {
                                            keep_alive.dispatch(KeepAlive {});
                                        })
                                    >
                                        "Stay signed in"
                                    </Button>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
        </Show>
    }
}

/// The page's own address, to come back to after signing in again.
fn here() -> String {
    #[cfg(feature = "hydrate")]
    {
        let l = web_sys::window().map(|w| w.location());
        l.map(|l| {
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
