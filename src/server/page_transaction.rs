//! One transaction for everything a clinic page reads while it renders.
//!
//! A clinic page rendered on the server calls several server functions (the
//! frame, the page's lists, its cards), each behind `access::clinic` or
//! `access::member`. Each used to begin its own transaction and enter the
//! clinic again: about five per page, whose round trips and clinic entries
//! cost the database more than the page's own statements. While a page
//! renders, the guards now share one transaction, entered once; the
//! middleware here commits it after the render and before the answer leaves,
//! so the audit events of what the page shows are saved before anyone sees
//! it, or the page is not shown.
//!
//! Only pages (GET under `/c/`) share. Server functions called over HTTP,
//! forms and the API keep a transaction each, committed by the function.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};
use uuid::Uuid;

use crate::domain::AppError;
use crate::domain::role::Role;
use crate::server::tenancy::{self, ClinicMembership};

/// How long a guard waits for the page's transaction while another part of
/// the page uses it. Parts take milliseconds, but a slow database (a cold
/// start, a busy machine) can stretch one to seconds, and the waiting part
/// must not give up and work alone: its audit event would wait for the
/// clinic's audit lock, which the page's transaction holds until the render
/// is over, and the render waits for that part, a deadlock the database
/// cannot see. Only a guard taken inside another (a fault: it would wait for
/// itself) waits this long, and it then fails, well before the request's
/// own time limit.
const WAIT: Duration = Duration::from_secs(10);

/// How long the render's end waits for a part still holding the transaction.
const FINISH_WAIT: Duration = Duration::from_secs(1);

/// The page's transaction, shared by the guards of one page render (a
/// request extension, so the guards find it in the request's parts).
#[derive(Clone)]
pub struct PageTransaction {
    slot: Arc<Mutex<Slot>>,
    /// How long a part waits for another ([`WAIT`]).
    wait: Duration,
    /// A part of the page stopped without committing (it failed): the
    /// transaction is checked before it is committed.
    spoiled: Arc<AtomicBool>,
}

#[derive(Default)]
enum Slot {
    #[default]
    Unused,
    Entered(Entered),
    /// The render is over: late guards work alone.
    Finished,
}

struct Entered {
    tx: Transaction<'static, Postgres>,
    who: (Uuid, String, Option<Role>),
    membership: ClinicMembership,
}

impl Default for PageTransaction {
    fn default() -> Self {
        Self::waiting_at_most(WAIT)
    }
}

impl PageTransaction {
    /// A page whose parts wait `wait` for one another before failing (tests
    /// shorten it; pages use [`WAIT`]).
    pub fn waiting_at_most(wait: Duration) -> Self {
        Self {
            slot: Arc::default(),
            wait,
            spoiled: Arc::default(),
        }
    }

    /// The page's transaction inside the clinic `slug` for this person:
    /// entered by the first guard, shared by the rest. `None` when it cannot
    /// be shared (the render is over, or another clinic or person): the
    /// guard then begins its own. A part that waited too long for another
    /// fails with `Unavailable` rather than work alone beside it.
    pub async fn enter(
        &self,
        pool: &PgPool,
        user_id: Uuid,
        slug: &str,
        preferred: Option<Role>,
    ) -> Result<Option<(ClinicTx, ClinicMembership)>, AppError> {
        let Ok(mut slot) = tokio::time::timeout(self.wait, self.slot.clone().lock_owned()).await
        else {
            tracing::error!("a page's guard waited too long for the page's transaction");
            return Err(AppError::Unavailable);
        };
        let who = (user_id, slug.to_owned(), preferred);
        match &*slot {
            Slot::Finished => return Ok(None),
            Slot::Entered(e) if e.who != who => return Ok(None),
            Slot::Entered(_) => {}
            Slot::Unused => {
                let (tx, membership) =
                    tenancy::enter_clinic(pool, user_id, slug, preferred).await?;
                *slot = Slot::Entered(Entered {
                    tx,
                    who,
                    membership,
                });
            }
        }
        let membership = match &*slot {
            Slot::Entered(e) => e.membership.clone(),
            _ => return Ok(None),
        };
        let Ok(tx) = OwnedMutexGuard::try_map(slot, |s| match s {
            Slot::Entered(e) => Some(&mut e.tx),
            _ => None,
        }) else {
            return Ok(None);
        };
        Ok(Some((
            ClinicTx::Page(PageGuard {
                tx,
                spoiled: self.spoiled.clone(),
                committed: false,
            }),
            membership,
        )))
    }

    /// Ends the render's transaction: committed, unless a part of the page
    /// left it broken. Guards after this work alone.
    pub async fn finish(&self) -> Result<(), AppError> {
        // Every part has finished once the page has rendered; one still
        // holding the transaction then is a fault, and the page is not sent
        // rather than kept waiting.
        let Ok(mut slot) = tokio::time::timeout(FINISH_WAIT, self.slot.lock()).await else {
            tracing::error!("a part still held the page's transaction after the render");
            return Err(AppError::Internal);
        };
        let entered = std::mem::replace(&mut *slot, Slot::Finished);
        drop(slot);
        let Slot::Entered(Entered { mut tx, .. }) = entered else {
            return Ok(());
        };
        // PostgreSQL answers COMMIT in a failed transaction by rolling it
        // back without an error, so a failed part is found by asking.
        if self.spoiled.load(Ordering::Acquire) {
            sqlx::query("select 1").execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The transaction a clinic guard hands its server function: its own, or
/// its part of the page's. Either way the function works in it and commits.
pub enum ClinicTx {
    Own(Transaction<'static, Postgres>),
    Page(PageGuard),
}

/// A part of a page holding the page's transaction.
pub struct PageGuard {
    tx: OwnedMappedMutexGuard<Slot, Transaction<'static, Postgres>>,
    spoiled: Arc<AtomicBool>,
    committed: bool,
}

impl Drop for PageGuard {
    fn drop(&mut self) {
        if !self.committed {
            self.spoiled.store(true, Ordering::Release);
        }
    }
}

impl ClinicTx {
    /// Commits the function's work: its own transaction now, or its part of
    /// the page's when the page has rendered.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            ClinicTx::Own(tx) => tx.commit().await,
            ClinicTx::Page(mut part) => {
                part.committed = true;
                Ok(())
            }
        }
    }
}

impl std::ops::Deref for ClinicTx {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        match self {
            ClinicTx::Own(tx) => tx,
            ClinicTx::Page(part) => &part.tx,
        }
    }
}

impl std::ops::DerefMut for ClinicTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            ClinicTx::Own(tx) => tx,
            ClinicTx::Page(part) => &mut part.tx,
        }
    }
}

/// The page's transaction of this request, if it has one.
pub fn of_request() -> Option<PageTransaction> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<PageTransaction>()
        .cloned()
}

/// Middleware: clinic pages render in one transaction, committed before
/// the page is sent. A page whose transaction cannot be committed is not
/// sent: what it showed would have gone unaudited.
pub async fn around_pages(mut req: Request, next: Next) -> Response {
    let is_page =
        matches!(*req.method(), Method::GET | Method::HEAD) && req.uri().path().starts_with("/c/");
    if !is_page {
        return next.run(req).await;
    }
    let page = PageTransaction::default();
    req.extensions_mut().insert(page.clone());
    let res = next.run(req).await;
    match page.finish().await {
        Ok(()) => res,
        Err(_) => crate::server::http::plain_error_page(),
    }
}
