//! What a kind of job is, as the queue sees it: a name, a serde payload, how it is keyed.

use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A kind of background work, as scheduled. How it runs is [`super::Run`] (or a
/// [`super::Handler`] registered for its kind).
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
}
