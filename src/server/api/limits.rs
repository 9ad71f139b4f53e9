//! The API's request limits: per token family and per client address, over
//! fixed windows (HMS_API_LIMIT_WINDOW_SECS), answered with 429 and
//! `Retry-After`.
//!
//! They hold across server processes without a database write per request
//! (the API's reads must stay cheap): each process counts in memory and
//! every half second adds its counts to the shared `rate_limit_hits` rows in
//! one statement, which answer with every process's total. A request is
//! refused when the last known total and this process's unflushed count
//! reach the limit. So several processes together can overshoot a limit
//! only by what the others let through in the last half second.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::server::config::ApiLimits;

/// How often counts are added to the shared rows.
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// What is counted.
#[derive(Clone, Copy, Debug)]
pub enum Counted {
    /// A token family (the session behind the access token).
    Token(Uuid),
    Address(IpAddr),
}

#[derive(Debug, Default)]
struct Count {
    /// The window counted: its start, in whole windows since the epoch.
    window: i64,
    /// This process's requests not yet added to the shared row.
    pending: u32,
    /// Being added by a flush now.
    flushing: u32,
    /// Every process's total, as the last flush saw it.
    known: u32,
}

pub struct ApiLimiter {
    limits: ApiLimits,
    counts: Mutex<HashMap<[u8; 32], Count>>,
}

/// Refused: try again after this many seconds.
#[derive(Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl ApiLimiter {
    pub fn new(limits: ApiLimits) -> Self {
        Self {
            limits,
            counts: Mutex::new(HashMap::new()),
        }
    }

    fn window_secs(&self) -> i64 {
        self.limits.window.as_secs().max(1) as i64
    }

    /// Counts a request, unless what is counted is at its limit.
    pub fn allow(&self, what: Counted, now: DateTime<Utc>) -> Result<(), RetryAfter> {
        let (key, limit) = match what {
            Counted::Token(family) => (
                hashed("api-token", &family.to_string()),
                self.limits.per_token,
            ),
            Counted::Address(addr) => (
                hashed("api-address", &addr.to_string()),
                self.limits.per_address,
            ),
        };
        let secs = self.window_secs();
        let window = now.timestamp().div_euclid(secs);
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let count = counts.entry(key).or_default();
        if count.window != window {
            *count = Count {
                window,
                ..Count::default()
            };
        }
        if count
            .known
            .saturating_add(count.pending)
            .saturating_add(count.flushing)
            >= limit
        {
            let ends = (window + 1) * secs;
            return Err(RetryAfter((ends - now.timestamp()).max(1) as u64));
        }
        count.pending += 1;
        Ok(())
    }

    /// Adds this process's counts to the shared rows and learns every
    /// process's totals; forgets windows that have ended.
    pub async fn flush(&self, pool: &PgPool) -> Result<(), sqlx::Error> {
        let secs = self.window_secs();
        let now = Utc::now().timestamp().div_euclid(secs);
        let (mut keys, mut buckets, mut hits) = (Vec::new(), Vec::new(), Vec::new());
        {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            counts.retain(|_, c| c.window >= now - 1);
            for (key, c) in counts.iter_mut().filter(|(_, c)| c.pending > 0) {
                c.flushing = c.pending;
                c.pending = 0;
                keys.push(key.to_vec());
                buckets.push(DateTime::from_timestamp(c.window * secs, 0).unwrap_or_default());
                hits.push(c.flushing as i32);
            }
        }
        if keys.is_empty() {
            return Ok(());
        }
        let totals = sqlx::query!(
            r#"insert into rate_limit_hits (key_hash, bucket, hits)
               select * from unnest($1::bytea[], $2::timestamptz[], $3::int[])
               on conflict (key_hash, bucket) do update
                   set hits = rate_limit_hits.hits + excluded.hits
               returning key_hash, bucket as "bucket: DateTime<Utc>", hits"#,
            &keys,
            &buckets,
            &hits,
        )
        .fetch_all(pool)
        .await;
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        match totals {
            Ok(rows) => {
                for r in rows {
                    let Ok(key) = <[u8; 32]>::try_from(r.key_hash.as_slice()) else {
                        continue;
                    };
                    if let Some(c) = counts.get_mut(&key)
                        && c.window * secs == r.bucket.timestamp()
                    {
                        c.flushing = 0;
                        c.known = u32::try_from(r.hits).unwrap_or(u32::MAX);
                    }
                }
                Ok(())
            }
            Err(e) => {
                // Counted again at the next flush.
                for c in counts.values_mut() {
                    c.pending += std::mem::take(&mut c.flushing);
                }
                Err(e)
            }
        }
    }

    /// Flushes every [`FLUSH_EVERY`] for as long as the server runs.
    pub fn spawn_flusher(self: Arc<Self>, pool: PgPool) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.flush(&pool).await {
                    tracing::warn!(cause = %e, "API request counts not shared; will retry");
                }
            }
        })
    }
}

/// The key kept in the shared table: a hash, so the table names nobody.
fn hashed(kind: &str, value: &str) -> [u8; 32] {
    Sha256::digest(format!("{kind}:{value}").as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_token: u32, per_address: u32) -> ApiLimiter {
        ApiLimiter::new(ApiLimits {
            per_token,
            per_address,
            window: Duration::from_secs(60),
        })
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn a_token_gets_its_limit_then_waits_for_the_next_window() {
        let l = limiter(3, 100);
        let t = Counted::Token(Uuid::nil());
        for _ in 0..3 {
            assert_eq!(l.allow(t, at(6_000_010)), Ok(()));
        }
        // The window of 60 s began at 6,000,000: 50 s to go.
        assert_eq!(l.allow(t, at(6_000_010)), Err(RetryAfter(50)));
        assert_eq!(l.allow(t, at(6_000_060)), Ok(()));
    }

    #[test]
    fn tokens_and_addresses_are_counted_apart() {
        let l = limiter(1, 2);
        let addr = Counted::Address("192.0.2.7".parse().unwrap());
        assert!(l.allow(Counted::Token(Uuid::nil()), at(0)).is_ok());
        assert!(l.allow(Counted::Token(Uuid::max()), at(0)).is_ok());
        assert!(l.allow(Counted::Token(Uuid::nil()), at(0)).is_err());
        assert!(l.allow(addr, at(0)).is_ok());
        assert!(l.allow(addr, at(0)).is_ok());
        assert!(l.allow(addr, at(0)).is_err());
    }
}
