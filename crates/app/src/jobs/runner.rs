//! Runs due jobs: claims a batch with a lease, runs each with its registered handler
//! (several at once, so a slow mail server doesn't hold up an alert), completes it with its
//! effects, or gives it back with a backoff (30 s, 1 min, 2 min … capped at an hour).
//! Woken at once when this instance schedules something due now; otherwise it looks every
//! second, which is how jobs scheduled by other instances, or due later, are found.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use haven_store::ClaimedJob;
use jiff::SignedDuration;
use tokio::task::JoinHandle;

use super::registry::Registry;
use super::run::JobError;
use crate::context::Ctx;

#[derive(Debug, Clone, Copy)]
pub struct RunnerOptions {
    /// How long a claim lasts; a job still running then may be taken up by someone else.
    pub lease: SignedDuration,
    /// How often to look when nothing woke the runner.
    pub poll: Duration,
    /// Jobs claimed at once.
    pub batch: i64,
    /// Jobs run at once.
    pub concurrency: usize,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        Self { lease: SignedDuration::from_mins(5), poll: Duration::from_secs(1), batch: 32, concurrency: 8 }
    }
}

#[must_use]
pub fn backoff(attempts: i64) -> SignedDuration {
    let shift = u32::try_from(attempts.saturating_sub(1).clamp(0, 7)).unwrap_or(7);
    SignedDuration::from_secs((30_i64 << shift).min(3600))
}

pub struct Runner {
    cx: Ctx,
    registry: Arc<Registry>,
    options: RunnerOptions,
}

impl Runner {
    #[must_use]
    pub fn new(cx: Ctx, registry: Registry, options: RunnerOptions) -> Self {
        Self { cx, registry: Arc::new(registry), options }
    }

    /// Runs every job due now, once; returns how many were completed.
    pub async fn run_due(&self) -> usize {
        let store = &self.cx.store;
        let lease = i64::try_from(self.options.lease.as_micros()).unwrap_or(i64::MAX);
        let claimed = match store.claim_jobs(self.cx.now(), lease, self.options.batch).await {
            Ok(jobs) => jobs,
            Err(e) => {
                if !e.is_unavailable() {
                    tracing::warn!(error = %e, "could not read the job queue");
                }
                return 0;
            }
        };
        futures_util::stream::iter(claimed)
            .map(|job| self.run_one(job))
            .buffer_unordered(self.options.concurrency.max(1))
            .filter(|done| std::future::ready(*done))
            .count()
            .await
    }

    async fn run_one(&self, job: ClaimedJob) -> bool {
        let cx = &self.cx;
        let store = &cx.store;
        let kind = job.kind.clone();
        let outcome = match self.registry.get(&job.kind) {
            None => Err(JobError::Permanent("no handler knows this kind of job")),
            Some(handler) => {
                let payload = if job.sealed {
                    cx.queue.open(job.id, &job.payload).map_err(|_| JobError::Permanent("the job's payload could not be opened"))
                } else {
                    Ok(job.payload.clone())
                };
                match payload {
                    Err(e) => Err(e),
                    // Past its lease the job may be someone else's: stop waiting for it.
                    Ok(payload) => match tokio::time::timeout(self.options.lease.unsigned_abs().mul_f64(0.9), handler.run(cx, &payload)).await {
                        Ok(result) => result,
                        Err(_) => Err(JobError::Retry("the job took longer than its lease")),
                    },
                }
            }
        };
        let now = cx.now();
        match outcome {
            Ok(done) => match store.complete_job(&job, &done.effects, now).await {
                Ok(true) => {
                    metrics::counter!("haven_jobs_completed_total", "kind" => kind).increment(1);
                    if done.effects.has_due_jobs(now) {
                        cx.queue.kick();
                    }
                    true
                }
                // Taken over, done already, or dropped (a cancelled visit's reminder).
                Ok(false) => false,
                Err(e) => {
                    tracing::warn!(job = %job.id, %kind, error = %e, "a job ran but could not be completed; it will run again");
                    let _ = store.retry_job(&job, now.checked_add(backoff(job.attempts)).unwrap_or(now), "completion failed").await;
                    false
                }
            },
            Err(JobError::Retry(reason)) => {
                metrics::counter!("haven_jobs_retried_total", "kind" => kind.clone()).increment(1);
                let retry_at = now.checked_add(backoff(job.attempts)).unwrap_or(now);
                tracing::warn!(job = %job.id, %kind, attempts = job.attempts, %reason, "a job failed; it will be retried");
                let _ = store.retry_job(&job, retry_at, reason).await;
                false
            }
            Err(JobError::Permanent(reason)) => {
                metrics::counter!("haven_jobs_failed_total", "kind" => kind.clone()).increment(1);
                tracing::error!(job = %job.id, %kind, %reason, "a job gave up for good");
                let _ = store.fail_job(&job, reason, now).await;
                false
            }
        }
    }

    /// Runs jobs as they come due until `stop` turns true. It stops between batches, so a
    /// job it has started (a mail handed to SMTP) is completed first: a clean restart never
    /// sends anything twice. (A crash still may; delivery is at least once.)
    pub fn spawn(self, mut stop: tokio::sync::watch::Receiver<bool>) -> JoinHandle<()> {
        let wake = self.cx.queue.wake();
        let poll = self.options.poll;
        tokio::spawn(async move {
            loop {
                while !*stop.borrow() && self.run_due().await > 0 {}
                if *stop.borrow() {
                    return;
                }
                tokio::select! {
                    () = wake.notified() => {}
                    () = tokio::time::sleep(poll) => {}
                    _ = stop.changed() => return,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_first_retry_and_is_capped() {
        assert_eq!(backoff(1), SignedDuration::from_secs(30));
        assert_eq!(backoff(2), SignedDuration::from_secs(60));
        assert_eq!(backoff(4), SignedDuration::from_secs(240));
        assert_eq!(backoff(50), SignedDuration::from_secs(3600));
    }
}
