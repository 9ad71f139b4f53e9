//! Server-sent events for the pages: `/live/{slug}`, a signed-in member's
//! stream of the clinic's changes. An event says only which topic changed
//! (`queue:{department}`), or `resync`; the page then reads what it shows
//! through its own server function, so row-level security and the
//! person's permissions decide what anyone sees. A stream ends after a few
//! minutes and the browser reconnects, so a session that ended or a
//! membership that was removed stops receiving soon after.

use std::convert::Infallible;
use std::time::Duration;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt, stream};
use tokio::sync::broadcast::{Receiver, error::RecvError};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::role::Role;
use crate::server::auth::CurrentUser;
use crate::server::events::Heard;
use crate::server::state::AppState;
use crate::server::tenancy;

/// The prefix of a person's own topics (`notifications:{user}`).
const PERSONAL: &str = "notifications:";

/// How long one stream lasts before the browser reconnects (and is checked again).
const LIFETIME: Duration = Duration::from_secs(300);
/// How soon the browser reconnects after a stream ends or breaks.
const RETRY: Duration = Duration::from_secs(2);

pub async fn clinic_stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    let membership = match member(&state, user, &slug).await {
        Ok((_, membership)) => membership,
        Err(refused) => return refused,
    };
    // Patients have no queue pages; the streams are the staff's.
    if membership.role == Role::Patient {
        return AppError::Forbidden.into_response();
    }
    changes(state.events.subscribe(), membership.clinic_id, None).into_response()
}

/// The signed-in person and their place in the clinic `slug`, or the
/// refusal to answer with (401 signed out, 404 not theirs).
async fn member(
    state: &AppState,
    user: Option<Extension<CurrentUser>>,
    slug: &str,
) -> Result<(CurrentUser, tenancy::ClinicMembership), Response> {
    let Some(Extension(user)) = user else {
        return Err(AppError::Unauthenticated.into_response());
    };
    match tenancy::enter_clinic(&state.pool, user.user_id, slug, user.role).await {
        Ok((tx, membership)) => {
            let _ = tx.rollback().await;
            Ok((user, membership))
        }
        Err(e) => Err(e.into_response()),
    }
}

/// `/live/{slug}/notifications`: a signed-in member's own notifications
/// as they arrive or are read (on any of their pages), for the header's
/// bell. Only the topic is sent; the page reads the count itself.
pub async fn notification_stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    match member(&state, user, &slug).await {
        Ok((user, membership)) => changes(
            state.events.subscribe(),
            membership.clinic_id,
            Some(format!("{PERSONAL}{}", user.user_id)),
        )
        .into_response(),
        Err(refused) => refused,
    }
}

/// The stream of `clinic`'s changes (of one topic, or all), as events.
pub fn changes(
    rx: Receiver<Heard>,
    clinic: Uuid,
    topic: Option<String>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let heard = stream::unfold(rx, move |mut rx| {
        let topic = topic.clone();
        async move {
            loop {
                let data = match rx.recv().await {
                    Ok(Heard::Change(c)) if c.clinic == clinic => {
                        let wanted = match &topic {
                            Some(t) => *t == c.topic,
                            // A person's own topics go to their own stream only.
                            None => !c.topic.starts_with(PERSONAL),
                        };
                        if !wanted {
                            continue;
                        }
                        c.topic
                    }
                    Ok(Heard::Change(_)) => continue,
                    // Missed changes (a slow stream, a reconnected listener).
                    Ok(Heard::Resync) | Err(RecvError::Lagged(_)) => "resync".to_string(),
                    Err(RecvError::Closed) => return None,
                };
                return Some((Ok(Event::default().data(data)), rx));
            }
        }
    });
    let hello = stream::once(async { Ok(Event::default().retry(RETRY).comment("listening")) });
    Sse::new(hello.chain(heard).take_until(tokio::time::sleep(LIFETIME)))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[derive(serde::Deserialize)]
pub struct DisplayKey {
    #[serde(default)]
    key: String,
}

/// `/display/live?key=…`: a waiting-room screen's stream, opened by its
/// link alone (the key stays out of the logged path). It hears its clinic's
/// changes, of its department when it has one; the screen then reads its
/// board again through the same key.
pub async fn display_stream(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<DisplayKey>,
) -> Response {
    let opened = async {
        let mut tx = tenancy::begin_anonymous(&state.pool).await?;
        let scope = crate::server::displays::scope(&mut tx, &q.key).await?;
        tx.rollback().await?;
        Ok::<_, sqlx::Error>(scope)
    }
    .await;
    match opened {
        Ok(Some((clinic, department))) => changes(
            state.events.subscribe(),
            clinic,
            department.map(|d| format!("queue:{d}")),
        )
        .into_response(),
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
