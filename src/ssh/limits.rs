//! Bounds for a server exposed to a network: how many connections at once, and how many
//! failed logins per source address. A whole workshop room usually reaches the server from
//! one NAT address, so only *failures* count, and generously: 200 people logging in at once
//! never trip it, a password-guessing script does.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Failed logins allowed per address per `WINDOW`.
pub const MAX_FAILURES: u32 = 60;
pub const WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered at most (old windows are dropped first).
const MAX_ADDRESSES: usize = 10_000;

#[derive(Debug, Default)]
pub struct AuthLimiter {
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl AuthLimiter {
    /// True when this address has failed too often in the current window.
    pub fn blocked(&self, ip: IpAddr) -> bool {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(&ip)
            .is_some_and(|(start, n)| start.elapsed() < WINDOW && *n >= MAX_FAILURES)
    }

    pub fn failed(&self, ip: IpAddr) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_ADDRESSES {
            seen.retain(|_, (start, _)| start.elapsed() < WINDOW);
        }
        let e = seen.entry(ip).or_insert((Instant::now(), 0));
        if e.0.elapsed() >= WINDOW {
            *e = (Instant::now(), 0);
        }
        e.1 = e.1.saturating_add(1);
    }
}

/// Counts open connections; a `Slot` gives its place back when dropped, however the
/// connection ends.
#[derive(Debug, Clone)]
pub struct Connections {
    open: Arc<AtomicUsize>,
    pub max: usize,
}

pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Connections {
    pub fn new(max: usize) -> Self {
        Connections {
            open: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    pub fn try_take(&self) -> Option<Slot> {
        let mut cur = self.open.load(Ordering::SeqCst);
        loop {
            if cur >= self.max {
                return None;
            }
            match self
                .open
                .compare_exchange(cur, cur + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Some(Slot(self.open.clone())),
                Err(now) => cur = now,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_block_one_address_only() {
        let l = AuthLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            l.failed(a);
        }
        assert!(!l.blocked(a));
        l.failed(a);
        assert!(l.blocked(a));
        assert!(!l.blocked(b));
    }

    #[test]
    fn slots_are_returned() {
        let c = Connections::new(2);
        let s1 = c.try_take().unwrap();
        let _s2 = c.try_take().unwrap();
        assert!(c.try_take().is_none());
        drop(s1);
        assert!(c.try_take().is_some());
    }
}
