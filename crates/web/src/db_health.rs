//! Whether the database answers, as last seen: read on every request (pages answer with a
//! friendly 503 at once while it is away), written by the health monitor and by any
//! request that found it unavailable.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug)]
pub struct Health {
    db_up: AtomicBool,
}

impl Default for Health {
    fn default() -> Self {
        Self { db_up: AtomicBool::new(true) }
    }
}

impl Health {
    #[must_use]
    pub fn db_up(&self) -> bool {
        self.db_up.load(Ordering::Relaxed)
    }

    pub fn set_db_up(&self, up: bool) {
        let was = self.db_up.swap(up, Ordering::Relaxed);
        if was && !up {
            tracing::warn!("database unreachable: answering 503 until it is back");
        } else if !was && up {
            tracing::info!("database reachable again");
        }
    }
}
