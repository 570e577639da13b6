//! Typed background jobs over one durable queue (the store's `jobs` table).
//!
//! A feature defines a job as a small serde type that implements [`Job`] (its kind, how it
//! is keyed for idempotency) and [`Run`] (what it does, with the application context at
//! hand, so it renders its text then, in the recipient's language). It is scheduled by
//! turning it into a stored job ([`Queue::job`]) that goes into the transaction of whatever
//! caused it, and registered once in a [`Registry`] that the [`Runner`] consults. The runner
//! knows no kind by name: adding a kind touches neither it nor any other kind. A job that
//! needs more than the context (mail needs the transport) is run by a [`Handler`] built with
//! what it needs.
//!
//! Delivery is at least once (a worker can die mid-job; the job is then claimed again when
//! its lease runs out). A job's own effects — audit entries, further jobs, mail — are
//! written in the transaction that marks it done, and only by the claim that still holds
//! it, so they happen exactly once. A handler that also acts outside Haven (SMTP) must be
//! safe to repeat.

pub mod job;
pub mod queue;
pub mod registry;
pub mod run;
pub mod runner;

pub use job::Job;
pub use queue::Queue;
pub use registry::{Handler, Registry};
pub use run::{Done, JobError, Run};
pub use runner::{Runner, RunnerOptions};
