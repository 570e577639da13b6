//! What a change brings with it: its audit entries and the jobs it schedules (mail to send
//! is a job), written in the same transaction as the change, so there is never a change
//! without its record, nor a record or a mail of a change that didn't happen.

use haven_domain::audit::AuditEvent;
use jiff::Timestamp;

use crate::conn::Conn;
use crate::jobs::write::{self as jobs, NewJob};

#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub audit: Vec<AuditEvent>,
    pub jobs: Vec<NewJob>,
}

impl Effects {
    #[must_use]
    pub fn audit(event: AuditEvent) -> Self {
        Self { audit: vec![event], jobs: Vec::new() }
    }

    #[must_use]
    pub fn with_job(mut self, job: NewJob) -> Self {
        self.jobs.push(job);
        self
    }

    #[must_use]
    pub fn with_jobs(mut self, jobs: impl IntoIterator<Item = NewJob>) -> Self {
        self.jobs.extend(jobs);
        self
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.audit.is_empty() && self.jobs.is_empty()
    }

    /// Whether any job is due by `now` (so the caller wakes the runner).
    #[must_use]
    pub fn has_due_jobs(&self, now: Timestamp) -> bool {
        self.jobs.iter().any(|j| j.run_at <= now)
    }

    /// Writes everything inside the open transaction behind `conn`.
    pub(crate) async fn write(&self, conn: &mut Conn<'_>, now: Timestamp) -> Result<(), sqlx::Error> {
        if !self.audit.is_empty() {
            let events: Vec<&AuditEvent> = self.audit.iter().collect();
            crate::audit::append::append(conn, &events).await?;
        }
        if !self.jobs.is_empty() {
            jobs::insert_all(conn, &self.jobs, now).await?;
        }
        Ok(())
    }
}
