//! Fixed-window rate limits. Counts live in the database so that they hold across every
//! Haven instance; the arithmetic lives here.

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// How many events a window allows.
    pub max: i64,
    pub window: SignedDuration,
}

impl RateLimit {
    #[must_use]
    pub const fn new(max: i64, window_secs: i64) -> Self {
        Self { max, window: SignedDuration::from_secs(window_secs) }
    }

    /// The start of the window `now` falls in, in microseconds since the epoch.
    #[must_use]
    pub fn window_start(&self, now: Timestamp) -> i64 {
        let width = self.window.as_micros().max(1) as i64;
        now.as_microsecond().div_euclid(width) * width
    }

    /// Whole seconds until the current window ends (at least 1), for `Retry-After`.
    #[must_use]
    pub fn retry_after_secs(&self, now: Timestamp) -> u64 {
        let end = self.window_start(now) + self.window.as_micros() as i64;
        let micros = (end - now.as_microsecond()).max(0);
        u64::try_from((micros + 999_999) / 1_000_000).unwrap_or(1).max(1)
    }

    #[must_use]
    pub fn exceeded(&self, count: i64) -> bool {
        count > self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_align_and_retry_after_counts_down() {
        let limit = RateLimit::new(10, 300);
        let now: Timestamp = "2026-06-01T10:02:30Z".parse().unwrap();
        let start: Timestamp = "2026-06-01T10:00:00Z".parse().unwrap();
        assert_eq!(limit.window_start(now), start.as_microsecond());
        assert_eq!(limit.retry_after_secs(now), 150);
        assert_eq!(limit.retry_after_secs(start), 300);
        assert!(!limit.exceeded(10) && limit.exceeded(11));
    }
}
