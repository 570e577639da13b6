//! Live events between instances that share PostgreSQL: what a wake-up can't carry (a
//! visit's signaling between a patient on one instance and a clinician on another) is
//! stored sealed, named by the `NOTIFY` that wakes the others, read by them at once and
//! deleted within a minute. The wake-up is the signal; the row is the truth.

use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Pools, Store, on_pool};
use crate::error::StoreResult;
use crate::time;

/// A stored live event, as another instance reads it.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub topic: String,
    /// The instance that published it.
    pub instance: Uuid,
    /// Sealed by the publisher with associated data `live_events.payload:<id>`.
    pub payload: Vec<u8>,
}

impl Store {
    /// Stores an event and tells every instance (`ev:<id>`) in one transaction; PostgreSQL
    /// only (one SQLite instance has nobody to tell).
    pub async fn publish_event(&self, id: Uuid, topic: &str, instance: Uuid, payload: &[u8], now: Timestamp) -> StoreResult<()> {
        if let Pools::Postgres(pool) = self.pools() {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO live_events (id, topic, instance, payload, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(topic)
                .bind(instance)
                .bind(payload)
                .bind(time::to_db(now))
                .execute(&mut *tx)
                .await?;
            // Delivered to listeners when the transaction commits, so the row is there.
            sqlx::query("SELECT pg_notify($1, $2)").bind(crate::events::CHANNEL).bind(format!("ev:{id}")).execute(&mut *tx).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    pub async fn live_event(&self, id: Uuid) -> StoreResult<Option<LiveEvent>> {
        let row: Option<(String, Uuid, Vec<u8>)> = on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT topic, instance, payload FROM live_events WHERE id = $1").bind(id).fetch_optional(pool).await
        })?;
        Ok(row.map(|(topic, instance, payload)| LiveEvent { topic, instance, payload }))
    }

    /// Deletes events older than `before`: every instance has read them by then.
    pub async fn purge_live_events(&self, before: Timestamp) -> StoreResult<u64> {
        Ok(on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM live_events WHERE created_at < $1").bind(time::to_db(before)).execute(pool).await.map(|r| r.rows_affected())
        })?)
    }
}
