//! Patient searches remembered in the person's own server-side session, so
//! that the search page's address carries an opaque handle and never the
//! name typed: addresses end up in browser history, proxy logs and
//! referrers (issue 14, finding 8). A handle means something only to the
//! session that made it, and is gone when that session ends.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::AppError;
use crate::domain::patients::{SearchFrom, SearchHandle};

const KEY: &str = "hms.patient_searches";
/// Searches kept per session: enough for going back through a morning's
/// searches, few enough to keep the session small.
const KEEP: usize = 20;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Remembered {
    /// Newest last.
    searches: Vec<(String, String)>,
}

/// A handle no one can guess: 128 random bits.
fn fresh() -> SearchHandle {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    SearchHandle::parse(&crate::server::crypto::hex(&bytes)).expect("32 hexadecimal digits")
}

fn unavailable(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(cause = %e, "the session store failed");
    AppError::Unavailable
}

/// Remembers `query` (already checked) and returns its handle. The same
/// query again gets its old handle, so going back and forth keeps one entry.
pub async fn remember(session: &Session, query: &str) -> Result<SearchHandle, AppError> {
    let mut kept: Remembered = session
        .get(KEY)
        .await
        .map_err(unavailable)?
        .unwrap_or_default();
    let handle = match kept.searches.iter().position(|(_, q)| q == query) {
        Some(i) => SearchHandle::parse(&kept.searches.remove(i).0).unwrap_or_else(fresh),
        None => fresh(),
    };
    kept.searches
        .push((handle.as_str().to_owned(), query.to_owned()));
    let excess = kept.searches.len().saturating_sub(KEEP);
    kept.searches.drain(..excess);
    session.insert(KEY, kept).await.map_err(unavailable)?;
    Ok(handle)
}

/// The query behind a handle this session made, if it still has it.
pub async fn recall(session: &Session, handle: &SearchHandle) -> Result<Option<String>, AppError> {
    let kept: Option<Remembered> = session.get(KEY).await.map_err(unavailable)?;
    Ok(kept.and_then(|k| {
        k.searches
            .into_iter()
            .find(|(h, _)| h == handle.as_str())
            .map(|(_, q)| q)
    }))
}

/// Remembers a search typed on `from` in the clinic `slug` and returns the
/// address of its results (the page itself when nothing was typed), with
/// `keep`'s pairs (the booking page's choices) after the handle.
pub async fn start(
    slug: &str,
    from: SearchFrom,
    query: &str,
    keep: &[(&str, String)],
) -> Result<String, AppError> {
    let page = format!("/c/{slug}/{}", from.path());
    let handle = if query.trim().is_empty() {
        String::new()
    } else {
        let session = crate::server::auth::cookie_session()?;
        remember(&session, query).await?.as_str().to_owned()
    };
    let mut pairs = vec![("s", handle.as_str())];
    pairs.extend(keep.iter().map(|(k, v)| (*k, v.as_str())));
    Ok(crate::domain::url::with_query(&page, &pairs))
}

/// The query behind `raw` as the address gave it: empty for no handle; a
/// handle this session does not have (expired with an old session, or
/// someone else's) is `Conflict`, asking for the search again.
pub async fn recall_raw(raw: &str) -> Result<String, AppError> {
    if raw.is_empty() {
        return Ok(String::new());
    }
    let gone = || AppError::Conflict(SEARCH_GONE.into());
    let handle = SearchHandle::parse(raw).ok_or_else(gone)?;
    recall(&crate::server::auth::cookie_session()?, &handle)
        .await?
        .ok_or_else(gone)
}

const SEARCH_GONE: &str = "This search is no longer available (searches last as long as you stay signed in). Search again.";
