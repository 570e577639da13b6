//! Runs due jobs from the database queue. Today every job is a prepared message to deliver
//! at its time (reminders); the job's payload is sealed, and delivering means queuing the
//! message in the outbox in the same transaction that marks the job done.

use std::sync::Arc;
use std::time::Duration;

use haven_crypto::Vault;
use haven_domain::Clock;
use haven_store::{MAIL_JOB, Store, decode_mail};
use jiff::SignedDuration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::mail_sender::backoff;

const LEASE: SignedDuration = SignedDuration::from_secs(120);
/// Reminders are due to the minute; a look every second costs one indexed query.
const POLL: Duration = Duration::from_secs(1);

/// Runs every job due now; returns how many were completed.
pub async fn run_due_jobs(store: &Store, vault: &Vault, clock: &dyn Clock) -> usize {
    let now = clock.now();
    let jobs = match store.claim_jobs(now, LEASE.as_micros() as i64, 50).await {
        Ok(jobs) => jobs,
        Err(e) => {
            if !e.is_unavailable() {
                tracing::warn!(error = %e, "could not read the job queue");
            }
            return 0;
        }
    };
    let mut done = 0;
    for job in jobs {
        let mail = if job.kind == MAIL_JOB {
            vault.open(&format!("jobs.payload:{}", job.id), &job.payload).ok().and_then(|p| decode_mail(&p))
        } else {
            None
        };
        let Some(mail) = mail else {
            tracing::warn!(job = %job.id, kind = %job.kind, "a job could not be read; it will be retried");
            let retry_at = clock.now().checked_add(backoff(job.attempts)).unwrap_or(now);
            let _ = store.fail_job(job.id, retry_at, "unreadable payload").await;
            continue;
        };
        match store.complete_job(job.id, Some(&mail), clock.now()).await {
            Ok(true) => done += 1,
            // Cancelled or rescheduled meanwhile: the job is gone, nothing is sent.
            Ok(false) => {}
            Err(e) => {
                let retry_at = clock.now().checked_add(backoff(job.attempts)).unwrap_or(now);
                tracing::warn!(error = %e, "a job failed; will retry");
                let _ = store.fail_job(job.id, retry_at, &e.to_string()).await;
            }
        }
    }
    done
}

/// Runs jobs as they come due and wakes the mail sender when one queued mail.
pub fn spawn_job_runner(store: Store, vault: Arc<Vault>, clock: Arc<dyn Clock>, mail_wake: Arc<Notify>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            while run_due_jobs(&store, &vault, clock.as_ref()).await > 0 {
                mail_wake.notify_one();
            }
            tokio::time::sleep(POLL).await;
        }
    })
}
