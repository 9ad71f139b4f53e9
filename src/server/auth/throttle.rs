//! Limits on guessing: sign-in, second-factor codes, current passwords,
//! invitation passwords, reset and registration requests. Kept in
//! PostgreSQL (`rate_limit_hits`), so they hold across server processes.
//!
//! Two counts, over a sliding window (HMS_SIGN_IN_WINDOW_SECS):
//! - attempts per key (an account, or the thing guessed at), whatever the
//!   outcome: one account cannot be tried faster than this from anywhere;
//! - failures per client address: a hospital's staff behind one NAT or
//!   proxy share an address, so their successful sign-ins must not count,
//!   while a guessing run from that address still meets a limit.
//!
//! Consecutive-failure lockout per account stays the main defence (users).

use std::net::IpAddr;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// Buckets per window: the window slides in steps of a tenth.
const BUCKETS: u32 = 10;

#[derive(Clone, Debug)]
pub struct SignInThrottle {
    failures_per_address: u32,
    attempts_per_key: u32,
    window: Duration,
}

fn hashed(kind: &str, value: &str) -> Vec<u8> {
    Sha256::digest(format!("{kind}:{value}").as_bytes()).to_vec()
}

fn address_key(addr: IpAddr) -> Vec<u8> {
    hashed("address-failures", &addr.to_string())
}

impl SignInThrottle {
    pub fn new(failures_per_address: u32, attempts_per_key: u32, window: Duration) -> Self {
        Self {
            failures_per_address,
            attempts_per_key,
            window,
        }
    }

    fn bucket_secs(&self) -> f64 {
        (self.window.as_secs_f64() / f64::from(BUCKETS)).max(1.0)
    }

    /// Counts an attempt on `key`; `false` (and nothing counted) when the
    /// key is at its limit or the address has failed too often.
    pub async fn allow(
        &self,
        pool: &PgPool,
        addr: Option<IpAddr>,
        key: &str,
    ) -> Result<bool, sqlx::Error> {
        let key = hashed("attempts", key);
        let address = addr.map(address_key);
        let counts = sqlx::query!(
            r#"
            select coalesce(sum(hits) filter (where key_hash = $1), 0)::bigint as "key_hits!",
                   coalesce(sum(hits) filter (where key_hash = $2), 0)::bigint as "address_failures!"
            from rate_limit_hits
            where key_hash in ($1, $2) and bucket > now() - make_interval(secs => $3)
            "#,
            key,
            address,
            self.window.as_secs_f64(),
        )
        .fetch_one(pool)
        .await?;
        if counts.key_hits >= i64::from(self.attempts_per_key)
            || counts.address_failures >= i64::from(self.failures_per_address)
        {
            return Ok(false);
        }
        self.hit(pool, &key).await?;
        Ok(true)
    }

    /// Counts a failed attempt (or, for requests that cannot fail, such as
    /// reset and registration requests, each one) against the address.
    pub async fn failed(&self, pool: &PgPool, addr: Option<IpAddr>) -> Result<(), sqlx::Error> {
        match addr {
            Some(addr) => self.hit(pool, &address_key(addr)).await,
            None => Ok(()),
        }
    }

    async fn hit(&self, pool: &PgPool, key: &[u8]) -> Result<(), sqlx::Error> {
        sqlx::query!(
            r#"
            insert into rate_limit_hits (key_hash, bucket, hits)
            values ($1, date_bin(make_interval(secs => $2), now(), timestamptz 'epoch'), 1)
            on conflict (key_hash, bucket) do update set hits = rate_limit_hits.hits + 1
            "#,
            key,
            self.bucket_secs(),
        )
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Removes buckets older than the window, and than `keep` (other
    /// limits' windows in the same table). Returns how many.
    pub async fn delete_expired(&self, pool: &PgPool, keep: Duration) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query!(
            "delete from rate_limit_hits where bucket < now() - make_interval(secs => $1)",
            (self.window.as_secs_f64() + self.bucket_secs()).max(keep.as_secs_f64())
        )
        .execute(pool)
        .await?
        .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hashed_and_kinds_kept_apart() {
        let addr: IpAddr = "192.0.2.9".parse().unwrap();
        assert_eq!(address_key(addr).len(), 32);
        assert_ne!(address_key(addr), hashed("attempts", "192.0.2.9"));
        assert_ne!(
            hashed("attempts", "a@b.example"),
            hashed("attempts", "c@b.example")
        );
    }

    #[test]
    fn the_window_slides_in_tenths_of_at_least_a_second() {
        let t = SignInThrottle::new(1, 1, Duration::from_secs(300));
        assert_eq!(t.bucket_secs(), 30.0);
        let short = SignInThrottle::new(1, 1, Duration::from_secs(3));
        assert_eq!(short.bucket_secs(), 1.0);
    }
}
