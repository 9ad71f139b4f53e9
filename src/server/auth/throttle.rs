//! Sign-in attempt limits per client address and per account, kept in memory:
//! a sliding window of attempt times per key. (Consecutive-failure lockout is
//! in the database, so it holds across restarts and server instances.)

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept before stale ones are swept, so a flood of addresses cannot grow memory without bound.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct SignInThrottle {
    per_address: u32,
    per_account: u32,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl SignInThrottle {
    pub fn new(per_address: u32, per_account: u32, window: Duration) -> Self {
        Self {
            per_address,
            per_account,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `false` when the address or the account is over its limit.
    pub fn allow(&self, addr: Option<IpAddr>, account: &str, now: Instant) -> bool {
        let Ok(mut map) = self.attempts.lock() else {
            return false;
        };
        if map.len() > SWEEP_ABOVE {
            let window = self.window;
            map.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let mut keys = vec![(format!("account:{account}"), self.per_account)];
        if let Some(addr) = addr {
            keys.push((format!("addr:{addr}"), self.per_address));
        }
        let mut allowed = true;
        for (key, limit) in keys {
            let times = map.entry(key).or_default();
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            if times.len() >= limit as usize {
                allowed = false;
            } else {
                times.push_back(now);
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_window() {
        let t = SignInThrottle::new(3, 2, Duration::from_secs(60));
        let now = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(t.allow(Some(a), "x@e.org", now));
        assert!(t.allow(Some(a), "x@e.org", now));
        // The account is at its limit, whichever address asks.
        assert!(!t.allow(Some(b), "x@e.org", now));
        assert!(t.allow(Some(a), "y@e.org", now));
        // The address is at its limit for any account.
        assert!(!t.allow(Some(a), "z@e.org", now));
        assert!(t.allow(Some(b), "z@e.org", now));
        // After the window both recover.
        let later = now + Duration::from_secs(61);
        assert!(t.allow(Some(a), "x@e.org", later));
    }
}
