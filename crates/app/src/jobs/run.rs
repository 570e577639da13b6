//! Running a job: what it may return ([`Done`]: effects committed with its completion) and
//! why it may stop ([`JobError`]).

use std::future::Future;

use haven_store::Effects;

use super::job::Job;
use crate::context::Ctx;
use crate::error::Error;

/// A job that runs with the application context alone.
pub trait Run: Job {
    /// Does the work. What it returns in [`Done`] is written with the job's completion.
    fn run(&self, cx: &Ctx) -> impl Future<Output = Result<Done, JobError>> + Send;
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
