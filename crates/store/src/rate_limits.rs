//! Rate-limit counters: one atomic upsert per event, the same statement on both databases.

use crate::db::{Store, on_pool};
use crate::error::StoreResult;

impl Store {
    /// Counts one event in `bucket`'s window starting at `window_start` (microseconds);
    /// returns the count including this one. A new window starts the count again.
    pub async fn rate_limit_hit(&self, bucket: &str, window_start: i64) -> StoreResult<i64> {
        Ok(on_pool!(self, write, |pool| {
            sqlx::query_scalar(
                "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
                 ON CONFLICT (bucket) DO UPDATE SET
                     count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
                     window_start = excluded.window_start
                 RETURNING count",
            )
            .bind(bucket)
            .bind(window_start)
            .fetch_one(pool)
            .await
        })?)
    }

    /// The count so far in the window starting at `window_start`, without adding to it.
    pub async fn rate_limit_count(&self, bucket: &str, window_start: i64) -> StoreResult<i64> {
        let count: Option<i64> = on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT count FROM rate_limits WHERE bucket = $1 AND window_start = $2")
                .bind(bucket)
                .bind(window_start)
                .fetch_optional(pool)
                .await
        })?;
        Ok(count.unwrap_or(0))
    }

    /// Forgets counters whose window began before `before` (microseconds).
    pub async fn purge_rate_limits(&self, before: i64) -> StoreResult<u64> {
        Ok(on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(before).execute(pool).await.map(|r| r.rows_affected())
        })?)
    }
}
