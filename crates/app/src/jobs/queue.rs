//! Scheduling jobs: a typed job becomes a stored one, sealed when it should be.

use std::sync::Arc;

use haven_crypto::Vault;
use haven_store::NewJob;
use jiff::Timestamp;
use tokio::sync::Notify;
use uuid::Uuid;

use super::job::Job;
use crate::error::{Error, Result};

/// Turns a typed job into a stored one and wakes this instance's runner when something is
/// due now. Cheap to clone.
#[derive(Clone)]
pub struct Queue {
    vault: Arc<Vault>,
    wake: Arc<Notify>,
}

impl Queue {
    #[must_use]
    pub fn new(vault: Arc<Vault>) -> Self {
        Self { vault, wake: Arc::new(Notify::new()) }
    }

    /// `job` as a row for the queue, due at `run_at`; write it with the change that causes
    /// it (`Effects::jobs`), then [`Queue::kick`].
    pub fn job<J: Job>(&self, job: &J, run_at: Timestamp) -> Result<NewJob> {
        let id = Uuid::now_v7();
        let plain = serde_json::to_vec(job).map_err(|e| Error::internal("a job could not be written down", e))?;
        let payload = if J::SEALED { self.vault.seal(&payload_aad(id), &plain) } else { plain };
        Ok(NewJob {
            id,
            kind: J::KIND.to_owned(),
            unique_key: job.unique_key().unwrap_or_else(|| format!("{}:{id}", J::KIND)),
            subject: job.subject(),
            payload,
            sealed: J::SEALED,
            run_at,
        })
    }

    /// Wakes this instance's runner (after a commit that scheduled something due now).
    pub fn kick(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn wake(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    pub(crate) fn open(&self, id: Uuid, sealed: &[u8]) -> Result<Vec<u8>> {
        Ok(self.vault.open(&payload_aad(id), sealed)?)
    }
}

fn payload_aad(id: Uuid) -> String {
    format!("jobs.payload:{id}")
}
