//! Password hashing: argon2id with the OWASP-recommended parameters
//! (19 MiB, 2 passes, 1 lane). Hashing is CPU-bound, so it runs off the
//! async worker threads, and only as many at once as there are cores: 50
//! people signing in together at a shift change would otherwise take 19 MiB
//! each at the same moment (about 1 GiB) and finish no sooner.

use std::sync::LazyLock;

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

static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Runs one hash or check on the blocking pool once a core is free.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _turn = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
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
    async fn missing_or_broken_hashes_never_verify() {
        assert!(!verify("no account has this password".into(), None).await);
        assert!(!verify("x".into(), Some("not a hash".into())).await);
    }
}
