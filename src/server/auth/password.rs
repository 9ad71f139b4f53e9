//! Password hashing: argon2id with the OWASP-recommended parameters
//! (19 MiB, 2 passes, 1 lane). Hashing is CPU-bound, so it runs off the
//! async worker threads, and only as many at once as there are cores: 50
//! people signing in together at a shift change would otherwise take 19 MiB
//! each at the same moment (about 1 GiB) and finish no sooner.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::AppError;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$...`) for storing.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(cause = %e, "password hashing failed");
            AppError::Internal
        })
}

static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    ))
});

/// Runs one hash or check on the blocking pool once a core is free.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    in_turn(&HASHING, work).await
}

/// The turn goes into the blocking task and ends with the work, not with
/// the caller: a caller dropped mid-hash (the client hung up, the request
/// timed out) cannot leave its hash running outside the limit while the
/// next one starts, which would let hang-ups grow memory 19 MiB at a time.
async fn in_turn<T: Send + 'static>(
    turns: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let turn = Arc::clone(turns).acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(turn);
        out
    })
    .await
    .ok()
}

pub async fn hash(password: String) -> Result<String, AppError> {
    off_thread(move || hash_blocking(&password))
        .await
        .unwrap_or(Err(AppError::Internal))
}

/// Checks a password against a stored hash. With no hash (unknown account,
/// SSO-only account) a fixed dummy is checked instead, so every failure takes
/// as long as a real check and timing says nothing about which accounts exist.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    off_thread(move || {
        let (phc, real) = match stored.as_deref() {
            Some(s) => (s, true),
            None => (DUMMY_HASH.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(phc) else {
            tracing::error!("a stored password hash could not be parsed");
            return false;
        };
        // Verify with the parameters stored in the hash, not today's defaults.
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("no account has this password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("Correct horse battery".into(), Some(h)).await);
    }

    #[tokio::test]
    async fn a_dropped_caller_keeps_its_turn_until_the_work_ends() {
        let turns = Arc::new(Semaphore::new(1));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (finish_tx, finish_rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let caller = tokio::spawn({
            let turns = Arc::clone(&turns);
            async move {
                in_turn(&turns, move || {
                    started_tx.send(()).unwrap();
                    finish_rx.recv().unwrap();
                    done_tx.send(()).unwrap();
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        caller.abort();
        assert!(caller.await.unwrap_err().is_cancelled());
        assert_eq!(turns.available_permits(), 0, "the work still runs");
        finish_tx.send(()).unwrap();
        done_rx.await.unwrap();
        let freed = tokio::time::timeout(std::time::Duration::from_secs(5), turns.acquire()).await;
        assert!(freed.is_ok(), "the turn ends with the work");
    }

    #[tokio::test]
    async fn missing_or_broken_hashes_never_verify() {
        assert!(!verify("no account has this password".into(), None).await);
        assert!(!verify("x".into(), Some("not a hash".into())).await);
    }
}
