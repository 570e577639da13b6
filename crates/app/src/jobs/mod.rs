//! Typed background jobs over one durable queue (the store's `jobs` table).
//!
//! A feature defines a job as a small serde type that implements [`Job`]: its kind, how it
//! is keyed for idempotency, and what it does when it runs, with the whole [`App`] at hand
//! (so it renders its text then, in the recipient's language). It is scheduled by turning it
//! into a stored job ([`Queue::job`]) that goes into the transaction of whatever caused it,
//! and registered once in a [`Registry`] that the [`Runner`] consults. The runner knows no
//! kind by name: adding a kind touches neither it nor any other kind.
//!
//! Delivery is at least once (a worker can die mid-job; the job is then claimed again when
//! its lease runs out). A job's own effects — audit entries, further jobs, mail — are
//! written in the transaction that marks it done, and only by the claim that still holds
//! it, so they happen exactly once. A handler that also acts outside Haven (SMTP) must be
//! safe to repeat.

pub mod registry;
pub mod runner;

use std::future::Future;
use std::sync::Arc;

use haven_crypto::Vault;
use haven_store::{Effects, NewJob};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::App;
use crate::error::{Error, Result};

pub use registry::Registry;
pub use runner::{Runner, RunnerOptions};

/// A kind of background work.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The kind's name in the queue. Never change it once jobs of the kind may be stored.
    const KIND: &'static str;
    /// Payloads that name people or carry secret links are sealed at rest.
    const SEALED: bool = true;

    /// Jobs with the same key are one job: scheduling twice schedules once. `None`: every
    /// scheduling is a job of its own.
    fn unique_key(&self) -> Option<String> {
        None
    }

    /// What the job is about (an appointment): its pending jobs are dropped when that
    /// changes (a moved visit's old reminders).
    fn subject(&self) -> Option<Uuid> {
        None
    }

    /// Does the work. What it returns in [`Done`] is written with the job's completion.
    fn run(&self, app: &App) -> impl Future<Output = Result<Done, JobError>> + Send;
}

/// A job's effects, committed with its completion.
#[derive(Debug, Default)]
pub struct Done {
    pub effects: Effects,
}

impl Done {
    #[must_use]
    pub fn nothing() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn with(effects: Effects) -> Self {
        Self { effects }
    }
}

/// Why a run didn't finish. Reasons are fixed texts that name no person: they are logged
/// and kept in the job's row.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (the database or the mail server was away).
    #[error("{0}")]
    Retry(&'static str),
    /// Can never succeed (a payload no handler can read): kept, counted, not retried.
    #[error("{0}")]
    Permanent(&'static str),
}

impl From<Error> for JobError {
    fn from(error: Error) -> Self {
        match error {
            Error::Unavailable(_) => JobError::Retry("the database is unavailable"),
            Error::NotFound => JobError::Permanent("what the job is about no longer exists"),
            Error::Internal { what, source } => {
                tracing::debug!(%what, error = %source, "a job's step failed");
                JobError::Retry(what)
            }
            Error::Forbidden | Error::TooManyRequests(_) | Error::BadRequest => JobError::Retry("the job was refused"),
        }
    }
}

/// Scheduling jobs: turns a typed job into a stored one (sealed when it should be) and wakes
/// this instance's runner when something is due now. Cheap to clone.
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
