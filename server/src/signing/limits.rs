//! Rate limits of new signing requests, per relying party and per citizen, so that nobody can bomb a
//! phone. Kept in memory (sliding windows): a restart forgets them, and several server processes each
//! count alone; that is acceptable for a reference service and documented.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use qoltanba_protocol::ApiError;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How many new requests are allowed per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// New requests one relying party may make per window.
    pub per_relying_party: usize,
    /// New requests one citizen may receive per window.
    pub per_citizen: usize,
    /// The window.
    pub window: Duration,
}

impl Default for Limits {
    /// 60 per relying party and 5 per citizen, per minute.
    fn default() -> Self {
        Self { per_relying_party: 60, per_citizen: 5, window: Duration::minutes(1) }
    }
}

/// Sliding-window counters.
#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    limits: Limits,
    hits: Mutex<HashMap<String, VecDeque<OffsetDateTime>>>,
}

impl RateLimits {
    pub(crate) fn new(limits: Limits) -> Self {
        Self { limits, hits: Mutex::default() }
    }

    /// Counts a new request of `relying_party` to `iin` at `now`, or says when to retry
    /// (`rate_limited`); a refused request is not counted.
    pub(crate) fn admit(&self, relying_party: Uuid, iin: &str, now: OffsetDateTime) -> Result<(), ApiError> {
        let mut hits = self.hits.lock().unwrap_or_else(PoisonError::into_inner);
        let keys = [
            (format!("rp:{relying_party}"), self.limits.per_relying_party),
            (format!("iin:{iin}"), self.limits.per_citizen),
        ];
        let window = self.limits.window;
        for (key, max) in &keys {
            let times = hits.entry(key.clone()).or_default();
            while times.front().is_some_and(|t| *t + window <= now) {
                times.pop_front();
            }
            if let Some(oldest) = times.front().filter(|_| times.len() >= *max) {
                let wait = (*oldest + window - now).whole_seconds().max(1);
                return Err(ApiError::rate_limited(u32::try_from(wait).unwrap_or(u32::MAX)));
            }
        }
        for (key, _) in keys {
            hits.entry(key).or_default().push_back(now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sixth_request_to_a_citizen_within_a_minute_waits_for_the_oldest() {
        let limits = RateLimits::new(Limits::default());
        let rp = Uuid::new_v4();
        let start = datetime!(2025-03-01 10:00:00 UTC);
        for i in 0..5 {
            limits.admit(rp, "900101300255", start + Duration::seconds(i * 10)).unwrap();
        }
        let refused = limits.admit(rp, "900101300255", start + Duration::seconds(45)).unwrap_err();
        assert_eq!(refused.retry_after_s, Some(15));
        limits.admit(rp, "850503400126", start + Duration::seconds(45)).unwrap();
        limits.admit(rp, "900101300255", start + Duration::seconds(60)).unwrap();
    }

    #[test]
    fn relying_party_limit_counts_across_citizens() {
        let limits = RateLimits::new(Limits { per_relying_party: 2, ..Limits::default() });
        let rp = Uuid::new_v4();
        let now = datetime!(2025-03-01 10:00:00 UTC);
        limits.admit(rp, "a", now).unwrap();
        limits.admit(rp, "b", now).unwrap();
        assert!(limits.admit(rp, "c", now).is_err());
        limits.admit(Uuid::new_v4(), "c", now).unwrap();
    }
}
