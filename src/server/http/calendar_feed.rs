//! `/calendar/feed.ics?key=…`: a doctor's calendar feed, opened by its link
//! alone (calendar apps have no session). The key stays in the query, out
//! of the logged path. A key that opens nothing is a plain 404.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::AppError;
use crate::server::state::AppState;
use crate::server::{calendar_feeds, tenancy};

#[derive(Deserialize)]
pub struct FeedKey {
    #[serde(default)]
    key: String,
}

pub async fn calendar_feed(State(state): State<AppState>, Query(q): Query<FeedKey>) -> Response {
    let read = async {
        let mut tx = tenancy::begin_anonymous(&state.pool).await?;
        let feed = calendar_feeds::feed(&mut tx, &q.key, chrono::Utc::now()).await?;
        tx.rollback().await?;
        Ok::<_, sqlx::Error>(feed)
    }
    .await;
    match read {
        Ok(Some(text)) => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            text,
        )
            .into_response(),
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
