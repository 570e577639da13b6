//! The durable job queue: work due at a time (mail to send, reminders, and whatever the
//! application adds), stored in the database so it survives restarts and is shared by every
//! instance. The queue knows nothing of what a job does: a kind, a payload, a time.
//!
//! - `unique_key` makes scheduling idempotent: a second job with the same key is dropped.
//! - A claim is a lease with a token. Only the holder of the token completes the job, in
//!   one transaction with the job's effects; a worker that died (or stalled past its lease)
//!   has its job taken up again by someone else, and its late completion changes nothing.
//!   So a job's effects happen exactly once, however often it runs.
//! - On PostgreSQL claims use `FOR UPDATE SKIP LOCKED`; on SQLite the single writer
//!   serialises them.

use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::on_conn;
use crate::db::{Pools, Store, on_pool};
use crate::effects::Effects;
use crate::error::StoreResult;
use crate::time;

pub use write::NewJob;

pub(crate) mod write;

/// A job this worker holds until `lease_until`.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub kind: String,
    pub subject: Option<Uuid>,
    pub payload: Vec<u8>,
    pub sealed: bool,
    /// How many times it has been claimed, this claim included.
    pub attempts: i64,
    pub run_at: Timestamp,
    /// Proves this claim when completing.
    pub token: Uuid,
}

/// The queue at a glance, for `/metrics` and `haven check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    pub pending: i64,
    /// Jobs that gave up for good (their handler said they can never succeed).
    pub failed: i64,
    /// When the most overdue pending job was due, if one is due now.
    pub oldest_due: Option<Timestamp>,
}

type ClaimRow = (Uuid, String, Option<Uuid>, Option<Vec<u8>>, bool, i64, i64);

/// The outer conditions repeat the inner ones: under PostgreSQL's READ COMMITTED, a claimer
/// that waited on a row re-checks them against the winner's update and skips the row.
const CLAIM_SQLITE: &str = "UPDATE jobs SET claimed_until = $1 + $2, claim_token = $4, attempts = attempts + 1
     WHERE id IN (SELECT id FROM jobs
                  WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                  ORDER BY run_at LIMIT $3)
     RETURNING id, kind, subject_id, payload, sealed, attempts, run_at";
const CLAIM_POSTGRES: &str = "UPDATE jobs SET claimed_until = $1 + $2, claim_token = $4, attempts = attempts + 1
     WHERE id IN (SELECT id FROM jobs
                  WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                  ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
     RETURNING id, kind, subject_id, payload, sealed, attempts, run_at";

impl Store {
    /// Schedules jobs in their own transaction (duplicates by key are dropped).
    pub async fn enqueue(&self, jobs: &[NewJob], now: Timestamp) -> StoreResult<()> {
        let effects = Effects { audit: Vec::new(), jobs: jobs.to_vec() };
        self.write_effects(&effects, now).await
    }

    /// Writes `effects` (audit entries and jobs) in one transaction of their own.
    pub async fn write_effects(&self, effects: &Effects, now: Timestamp) -> StoreResult<()> {
        if effects.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        effects.write(&mut tx.conn(), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes up to `limit` due jobs for `lease_micros`; nobody else takes them meanwhile.
    pub async fn claim_jobs(&self, now: Timestamp, lease_micros: i64, limit: i64) -> StoreResult<Vec<ClaimedJob>> {
        let token = Uuid::new_v4();
        let sql = match self.pools() {
            Pools::Sqlite { .. } => CLAIM_SQLITE,
            Pools::Postgres(_) => CLAIM_POSTGRES,
        };
        let rows: Vec<ClaimRow> = on_pool!(self, write, |pool| {
            sqlx::query_as(sql).bind(time::to_db(now)).bind(lease_micros).bind(limit).bind(token).fetch_all(pool).await
        })?;
        let mut jobs: Vec<ClaimedJob> = rows
            .into_iter()
            .map(|(id, kind, subject, payload, sealed, attempts, run_at)| ClaimedJob {
                id,
                kind,
                subject,
                payload: payload.unwrap_or_default(),
                sealed,
                attempts,
                run_at: time::from_db(run_at),
                token,
            })
            .collect();
        jobs.sort_by_key(|j| (j.run_at, j.id));
        Ok(jobs)
    }

    /// Marks the claimed job done and writes its effects, atomically, if this claim still
    /// holds it. Returns whether it did: `false` when the job was taken over (the lease ran
    /// out), dropped meanwhile (a cancelled visit's reminder), or already done.
    pub async fn complete_job(&self, job: &ClaimedJob, effects: &Effects, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let mut conn = tx.conn();
        let n = on_conn!(&mut conn, |c| {
            sqlx::query("UPDATE jobs SET done_at = $1, payload = NULL, claimed_until = NULL, last_error = NULL WHERE id = $2 AND claim_token = $3 AND done_at IS NULL")
                .bind(time::to_db(now))
                .bind(job.id)
                .bind(job.token)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if n != 1 {
            return Ok(false);
        }
        effects.write(&mut conn, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives the job back to run again at `retry_at`, noting why it failed (no patient data:
    /// callers pass an error's kind, not its content).
    pub async fn retry_job(&self, job: &ClaimedJob, retry_at: Timestamp, error: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE jobs SET run_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3 AND claim_token = $4 AND done_at IS NULL")
                .bind(time::to_db(retry_at))
                .bind(error)
                .bind(job.id)
                .bind(job.token)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Gives the job up for good: its handler says it can never succeed (an unreadable
    /// payload, a kind no handler knows). It stays in the table, counted by `/metrics`.
    pub async fn fail_job(&self, job: &ClaimedJob, error: &str, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE jobs SET failed_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3 AND claim_token = $4 AND done_at IS NULL",
            )
            .bind(time::to_db(now))
            .bind(error)
            .bind(job.id)
            .bind(job.token)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Pending and failed jobs, and the oldest one due.
    pub async fn queue_stats(&self, now: Timestamp) -> StoreResult<QueueStats> {
        let (pending, failed, oldest): (i64, i64, Option<i64>) = on_pool!(self, read, |pool| {
            sqlx::query_as(
                "SELECT
                    (SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL),
                    (SELECT COUNT(*) FROM jobs WHERE failed_at IS NOT NULL),
                    (SELECT MIN(run_at) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1)",
            )
            .bind(time::to_db(now))
            .fetch_one(pool)
            .await
        })?;
        Ok(QueueStats { pending, failed, oldest_due: oldest.map(time::from_db) })
    }

    /// Pending jobs of one kind (tests, `haven check`).
    pub async fn pending_jobs_of_kind(&self, kind: &str) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND done_at IS NULL AND failed_at IS NULL").bind(kind).fetch_one(pool).await
        })?)
    }

    /// Every job of one kind: how often it was claimed, and whether it is done (tests,
    /// `haven check`).
    pub async fn jobs_of_kind(&self, kind: &str) -> StoreResult<Vec<(i64, bool)>> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_as("SELECT attempts, done_at IS NOT NULL FROM jobs WHERE kind = $1 ORDER BY created_at").bind(kind).fetch_all(pool).await
        })?)
    }

    /// Jobs not yet done, of any kind.
    pub async fn pending_job_count(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL")
            .fetch_one(pool)
            .await)?)
    }

    /// Forgets jobs done before `before` (their payloads are gone already).
    pub async fn purge_done_jobs(&self, before: Timestamp) -> StoreResult<u64> {
        Ok(on_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < $1")
                .bind(time::to_db(before))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}
