//! How long the client waits, and how it retries.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Timeouts and the retry policy of a [`crate::client::Client`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Longest wait for a TCP (and TLS) connection to the server.
    pub connect_timeout: Duration,
    /// Longest wait for one whole request, from sending it to the end of the answer.
    pub request_timeout: Duration,
    /// Which failures are retried, how often and how long apart.
    pub retry: RetryPolicy,
}

impl Default for ClientConfig {
    /// 10 s to connect, 30 s per request, [`RetryPolicy::default`].
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// How a failed request is sent again: up to `attempts` times in all, `base_delay` doubling per retry up
/// to `max_delay`, each delay jittered to between half and all of it. A `429` or `503` naming a wait
/// (`retry_after_s`, `Retry-After`) is retried after exactly that wait if it is at most
/// `max_retry_after`, and given up at once otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1; 0 counts as 1).
    pub attempts: u32,
    /// Backoff before the first retry (before jitter).
    pub base_delay: Duration,
    /// Longest backoff between two attempts (before jitter).
    pub max_delay: Duration,
    /// Longest wait the server may ask for that the client will sit through.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, 0.5 s doubling up to 8 s, waiting at most 30 s when the server asks.
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self { attempts: 1, ..Self::default() }
    }

    /// The backoff before retry number `retry` (1 for the first retry), for a `jitter` in `[0, 1]`:
    /// between half of the exponential delay (`jitter` 0) and all of it (`jitter` 1).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let full = self.base_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// The backoff before retry number `retry`, with a fresh jitter.
    pub(crate) fn jittered_backoff(&self, retry: u32) -> Duration {
        self.backoff(retry, jitter())
    }
}

/// A number in `[0, 1]` that differs from call to call: the standard library's randomly keyed hasher is
/// enough to spread retries of many phones apart (nothing secret depends on it).
fn jitter() -> f64 {
    let bits = std::collections::hash_map::RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            max_retry_after: Duration::from_secs(1),
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let full: Vec<_> = (1..=4).map(|retry| policy().backoff(retry, 1.0)).collect();
        assert_eq!(full, [100, 200, 350, 350].map(Duration::from_millis));
    }

    #[test]
    fn jitter_keeps_at_least_half_of_the_delay() {
        assert_eq!(policy().backoff(2, 0.0), Duration::from_millis(100));
        assert_eq!(policy().backoff(2, 0.5), Duration::from_millis(150));
        assert_eq!(policy().backoff(2, 7.0), Duration::from_millis(200));
    }

    #[test]
    fn huge_retry_numbers_do_not_overflow() {
        assert_eq!(policy().backoff(u32::MAX, 1.0), Duration::from_millis(350));
    }

    #[test]
    fn fresh_jitter_stays_in_range_and_varies() {
        let delays: Vec<_> = (0..32).map(|_| policy().jittered_backoff(1)).collect();
        assert!(delays.iter().all(|d| (Duration::from_millis(50)..=Duration::from_millis(100)).contains(d)));
        assert!(delays.iter().any(|d| *d != delays[0]));
    }
}
