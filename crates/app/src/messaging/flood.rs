//! How many messages one person may send a minute, counted across all their sockets and
//! pages. With PostgreSQL (several instances) the count is the database's rate-limit
//! counter, shared by every instance; on SQLite there is exactly one instance, so the same
//! fixed-window count is kept in its memory and a message costs no extra disk sync.

use std::collections::HashMap;
use std::sync::Mutex;

use haven_domain::UserId;
use haven_domain::rate_limit::RateLimit;
use haven_store::Backend;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::identity::throttle;

pub struct Flood {
    cx: Ctx,
    per_minute: i64,
    /// Window start and count, per person (SQLite only).
    counts: Mutex<HashMap<UserId, (i64, i64)>>,
}

impl Flood {
    #[must_use]
    pub fn new(cx: Ctx, per_minute: i64) -> Self {
        Self { cx, per_minute: per_minute.max(1), counts: Mutex::default() }
    }

    /// Counts one message; `Err(TooManyRequests)` past the allowance (nothing is stored then).
    pub async fn allow(&self, user: UserId) -> Result<()> {
        if self.cx.store.backend() == Backend::Postgres {
            return throttle::message_sent(&self.cx, user, self.per_minute).await;
        }
        let limit = RateLimit::new(self.per_minute, 60);
        let now = self.cx.now();
        let window = limit.window_start(now);
        let mut counts = self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Old windows limit nothing: drop them now and then.
        if counts.len() > 10_000 {
            counts.retain(|_, (start, _)| *start == window);
        }
        let entry = counts.entry(user).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        if limit.exceeded(entry.1) {
            return Err(Error::TooManyRequests(limit.retry_after_secs(now)));
        }
        Ok(())
    }
}
