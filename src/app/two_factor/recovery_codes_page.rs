//! `/account/recovery-codes`: the ten recovery codes just made, shown once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::fresh_recovery_codes;
use crate::app::frame::AccessError;
use crate::app::frame::SignedInFrame;
use crate::components::button::LinkButton;
use crate::components::card::Card;
use crate::components::notice::{Notice, NoticeTone};
use crate::domain::auth::safe_return_path;

#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let q = use_query_map();
    let next = move || {
        q.with(|m| m.get("next"))
            .as_deref()
            .and_then(safe_return_path)
            .unwrap_or("/account")
            .to_owned()
    };
    let codes = Resource::new(|| (), |_| fresh_recovery_codes());
    view! {
        <Title text="Your recovery codes" />
        <SignedInFrame>
            <h1 class="text-3xl font-bold text-slate-900">"Your recovery codes"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match codes.await {
                        Ok(codes) if codes.is_empty() => {
                            view! {
                                <Notice tone=NoticeTone::Warning>
                                    "Recovery codes are shown only once, and these were shown already. You can make new ones on your account page."
                                </Notice>
                            }
                                .into_any()
                        }
                        Ok(codes) => {
                            view! {
                                <Notice>"Two-factor sign-in is on."</Notice>
                                <Card title="Keep these somewhere safe" class="mt-6">
                                    <p class="text-slate-700">
                                        "If you lose your phone, each code signs you in once instead of a code from the app. Print them or keep them in a password manager: they are shown only now."
                                    </p>
                                    <ol
                                        aria-label="Your recovery codes"
                                        class="mt-4 grid grid-cols-2 gap-2 font-mono text-lg text-slate-900"
                                    >
                                        {codes
                                            .into_iter()
                                            .map(|c| {
                                                view! {
                                                    <li class="rounded-lg bg-slate-100 px-3 py-2 text-center tracking-wide">
                                                        {c}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                </Card>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <AccessError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <div class="mt-6">
                <LinkButton href=next()>"I have saved them — continue"</LinkButton>
            </div>
        </SignedInFrame>
    }
}
