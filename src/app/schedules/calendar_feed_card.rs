//! On the schedule page, for doctors: "Your calendar feed", a private link
//! their calendar app subscribes to. It shows busy times only, and the
//! page says so; the link is shown once, and "Revoke link" stops it.

use leptos::prelude::*;

use super::{FeedCard, MakeCalendarFeed, RevokeCalendarFeed, my_calendar_feed};
use crate::app::frame::use_slug;
use crate::components::action_errors::{FormAlert, form_error};
use crate::components::button::{Button, ButtonVariant};
use crate::components::card::Card;
use crate::components::notice::Notice;

/// Placed on the page itself, not inside another Suspense (such as
/// `WhenAllowed`): one that re-renders would read the feed twice, and the
/// first read takes the link that is shown once.
#[component]
pub fn CalendarFeedCard() -> impl IntoView {
    let slug = use_slug();
    let data = Resource::new(move || slug.get(), my_calendar_feed);
    let make = ServerAction::<MakeCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await
                    .ok()
                    .flatten()
                    .map(|card| view! { <FeedView card=card make=make revoke=revoke /> })
            })}
        </Suspense>
    }
}

#[component]
fn FeedView(
    card: FeedCard,
    make: ServerAction<MakeCalendarFeed>,
    revoke: ServerAction<RevokeCalendarFeed>,
) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let revoke_slug = slug.clone();
    let live = card.live_since.is_some();
    view! {
        <Card title="Your calendar feed" class="mt-6">
            <p class="text-slate-700">
                "Subscribe to your appointments from your phone's or computer's calendar. The feed shows each appointment as \"Appointment\" with its time and the clinic, never the patient, and covers the past 30 days and the next 180. Anyone with the link can see those times: keep it to yourself, and revoke it if it is shared."
            </p>
            {card
                .new_link
                .map(|link| {
                    view! {
                        <Notice>
                            "Your calendar link is ready. Add it to your calendar app as a subscription; it is shown only now: "
                            <a href=link.clone() class="break-all font-semibold underline">
                                {link.clone()}
                            </a>
                        </Notice>
                    }
                })}
            <p class="mt-3 font-semibold text-slate-900">
                {match &card.live_since {
                    Some(t) => format!("A link is active, made {}.", t.compact()),
                    None => "You have no calendar link.".to_string(),
                }}
            </p>
            <div class="mt-3 flex flex-wrap gap-3">
                <ActionForm action=make>
                    <FormAlert message=form_error(make) />
                    <input type="hidden" name="slug" value=slug.clone() />
                    <Button r#type="submit" variant=ButtonVariant::Secondary>
                        {if live { "Make a new link" } else { "Make calendar link" }}
                    </Button>
                </ActionForm>
                {live
                    .then(|| {
                        view! {
                            <ActionForm action=revoke>
                                <FormAlert message=form_error(revoke) />
                                <input type="hidden" name="slug" value=revoke_slug.clone() />
                                <Button r#type="submit" variant=ButtonVariant::Danger>
                                    "Revoke link"
                                </Button>
                            </ActionForm>
                        }
                    })}
            </div>
        </Card>
    }
}
