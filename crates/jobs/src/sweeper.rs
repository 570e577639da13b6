//! Housekeeping: removes sessions that ended (absolute limit or idle timeout), spent
//! rate-limit counters, finished jobs past a week, and live events every instance has read.
//! Expired sessions are already refused at every request; this is tidying.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::Clock;
use haven_store::Store;
use jiff::SignedDuration;
use tokio::task::JoinHandle;

const EVERY: Duration = Duration::from_secs(60);

/// `longest_idle` is the longest idle timeout of any role: a session quiet for longer is
/// over whoever owns it.
pub fn spawn_sweeper(store: Store, clock: Arc<dyn Clock>, longest_idle: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let idle = SignedDuration::try_from(longest_idle).unwrap_or(SignedDuration::from_hours(1));
        loop {
            tokio::time::sleep(EVERY).await;
            sweep(&store, clock.as_ref(), idle).await;
        }
    })
}

async fn sweep(store: &Store, clock: &dyn Clock, idle: SignedDuration) {
    let now = clock.now();
    let quietly = |what: &str, result: Result<u64, haven_store::StoreError>| match result {
        Ok(0) => {}
        Ok(n) => tracing::debug!(removed = n, "purged {what}"),
        Err(e) if e.is_unavailable() => {}
        Err(e) => tracing::warn!(error = %e, "purging {what} failed"),
    };
    if let Ok(idle_before) = now.checked_sub(idle) {
        quietly("ended sessions", store.purge_sessions(now, idle_before).await);
    }
    // Rate-limit windows are minutes long; a day-old counter limits nothing.
    let day_ago = now.as_microsecond() - i64::try_from(SignedDuration::from_hours(24).as_micros()).unwrap_or(i64::MAX);
    quietly("rate-limit counters", store.purge_rate_limits(day_ago).await);
    if let Ok(week_ago) = now.checked_sub(SignedDuration::from_hours(24 * 7)) {
        quietly("finished jobs", store.purge_done_jobs(week_ago).await);
    }
    if let Ok(minute_ago) = now.checked_sub(SignedDuration::from_mins(1)) {
        quietly("live events", store.purge_live_events(minute_ago).await);
    }
}
