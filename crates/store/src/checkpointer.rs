//! SQLite's WAL checkpoints, mostly off the writer's path.
//!
//! SQLite's own checkpoint runs inside the commit that takes the WAL past 1,000 pages: that
//! commit copies the WAL into the database file and syncs it, and under steady writing (a
//! thousand messages a second) one commit in a few dozen waited tens of milliseconds for
//! it. Here a connection of its own checkpoints every `EVERY` in PASSIVE mode, which never
//! blocks the writer or readers, so the copying and the database file's sync happen
//! beside the writer. The writer keeps its automatic checkpoint: by then nearly everything
//! is copied already, so it is short, and it is what lets the WAL start over from the
//! beginning (a WAL that is rewritten in place, not grown, keeps each commit's sync cheap).

use std::time::Duration;

use sqlx::SqlitePool;

/// How often the WAL is copied back.
const EVERY: Duration = Duration::from_millis(100);

/// The writer's own checkpoint threshold, in pages: SQLite's default, stated.
pub(crate) const WRITER_PAGES: &str = "1000";

/// Checkpoints until `pool` is closed.
pub(crate) fn start(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                if pool.is_closed() {
                    return;
                }
                // The writer's own checkpoint still runs, so nothing is lost but time.
                tracing::debug!(error = %e, "a background WAL checkpoint failed; the writer's own checkpoint covers it");
            }
        }
    });
}
