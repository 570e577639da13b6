//! Removes sessions that ended (absolute limit or idle timeout) and spent rate-limit
//! counters. Expired sessions are already refused at every request; this is tidying.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::Clock;
use haven_store::Store;
use jiff::SignedDuration;
use tokio::task::JoinHandle;

const EVERY: Duration = Duration::from_secs(300);

/// `longest_idle` is the longest idle timeout of any role: a session quiet for longer is
/// over whoever owns it.
pub fn spawn_session_sweeper(store: Store, clock: Arc<dyn Clock>, longest_idle: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let idle = SignedDuration::try_from(longest_idle).unwrap_or(SignedDuration::from_hours(1));
        loop {
            tokio::time::sleep(EVERY).await;
            let now = clock.now();
            let Ok(idle_before) = now.checked_sub(idle) else { continue };
            match store.purge_sessions(now, idle_before).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "purged ended sessions"),
                Err(e) if e.is_unavailable() => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
            // Rate-limit windows are minutes long; a day-old counter limits nothing.
            let day_ago = now.as_microsecond() - SignedDuration::from_hours(24).as_micros() as i64;
            if let Err(e) = store.purge_rate_limits(day_ago).await
                && !e.is_unavailable()
            {
                tracing::warn!(error = %e, "rate-limit purge failed");
            }
        }
    })
}
