//! `/display?key=…`: a waiting-room screen. No sign-in: the key opens this
//! board and nothing else. "Now serving" shows the tokens called or with a
//! doctor and where to go, then the next tokens; never a name. With
//! JavaScript the board follows the clinic's changes (`LiveRegions` on the
//! screen's own stream); without it the page reloads itself every 20
//! seconds.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::display_board;
use crate::app::frame::LiveRegions;
use crate::domain::displays::{Board, BoardLine};
use crate::domain::visits::token_label;

#[component]
pub fn DisplayBoardPage() -> impl IntoView {
    let q = use_query_map();
    let key = Memo::new(move |_| q.with(|m| m.get("key").unwrap_or_default()));
    let board = Resource::new(move || key.get(), display_board);
    view! {
        <Title text="Queue" />
        <main id="main" class="min-h-dvh bg-slate-900 p-6 text-white md:p-10">
            <Suspense fallback=|| {
                view! { <p class="text-2xl">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(b) => {
                            let source = format!("/display/live?key={}", key.get_untracked());
                            view! {
                                <noscript>
                                    <meta http-equiv="refresh" content="20" />
                                </noscript>
                                <div id="board">
                                    <BoardView board=b />
                                </div>
                                <LiveRegions source=source targets=vec!["board".to_string()] />
                            }
                                .into_any()
                        }
                        Err(e) => {
                            crate::app::errors::set_error_status(&e);
                            view! {
                                <h1 class="text-3xl font-bold">
                                    "This display link does not work"
                                </h1>
                                <p class="mt-4 text-xl">
                                    "It may have been revoked. Ask the clinic's administrator for a new one."
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

fn line(l: BoardLine, big: bool) -> impl IntoView {
    let place = match l.doctor {
        Some(d) => format!("{} · {d}", l.department),
        None => l.department,
    };
    let token_class = if big {
        "text-6xl font-bold tabular-nums text-amber-300"
    } else {
        "text-4xl font-bold tabular-nums"
    };
    view! {
        <li class="flex flex-wrap items-baseline justify-between gap-4 border-b border-slate-700 py-3">
            <span class=token_class>{token_label(l.token)}</span>
            <span class="text-2xl">{place}</span>
        </li>
    }
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    view! {
        <header class="flex flex-wrap items-baseline justify-between gap-4">
            <h1 class="text-3xl font-bold">{board.clinic_name}</h1>
            <p class="text-xl text-slate-300">{board.display_name}</p>
        </header>
        <div class="mt-8 grid gap-10 lg:grid-cols-2">
            <section aria-labelledby="serving-title">
                <h2
                    id="serving-title"
                    class="text-2xl font-semibold uppercase tracking-wide text-slate-300"
                >
                    "Now serving"
                </h2>
                {if board.serving.is_empty() {
                    view! { <p class="mt-4 text-2xl text-slate-300">"No one is being called."</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="mt-4">
                            {board.serving.into_iter().map(|l| line(l, true)).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section aria-labelledby="next-title">
                <h2
                    id="next-title"
                    class="text-2xl font-semibold uppercase tracking-wide text-slate-300"
                >
                    "Next"
                </h2>
                {if board.next.is_empty() {
                    view! { <p class="mt-4 text-2xl text-slate-300">"No one is waiting."</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="mt-4">
                            {board.next.into_iter().map(|l| line(l, false)).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </div>
    }
}
