//! Wake-ups between Haven instances sharing a PostgreSQL database: `NOTIFY` carries a short
//! signal (never patient data); the tables stay the truth. On SQLite there is one instance
//! and nothing to tell.

use sqlx::postgres::PgListener;

use crate::db::{Pools, Store};
use crate::error::StoreResult;

pub(crate) const CHANNEL: &str = "haven_events";

/// Signals from other instances (and this one's own, which are harmless to repeat).
pub struct Subscription {
    listener: PgListener,
}

impl Subscription {
    /// The next signal. After a lost connection it reconnects and carries on; anything
    /// missed meanwhile is caught by the periodic checks the signals only speed up.
    pub async fn next(&mut self) -> StoreResult<String> {
        loop {
            if let Some(notification) = self.listener.try_recv().await? {
                return Ok(notification.payload().to_owned());
            }
        }
    }
}

impl Store {
    /// Tells every instance `payload` (at most a few ids; PostgreSQL caps it at 8000 bytes).
    pub async fn publish(&self, payload: &str) -> StoreResult<()> {
        if let Pools::Postgres(pool) = self.pools() {
            sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await?;
        }
        Ok(())
    }

    /// Listens for other instances' signals; `None` on SQLite.
    pub async fn subscribe(&self) -> StoreResult<Option<Subscription>> {
        match self.pools() {
            Pools::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok(Some(Subscription { listener }))
            }
            Pools::Sqlite { .. } => Ok(None),
        }
    }
}
