//! The durable job queue: work due at a time (reminders), stored in the database so it
//! survives restarts. `unique_key` makes scheduling idempotent; a claim is a lease, so
//! several instances share the queue and a crashed claimer's work is taken up again.
//! Completing a job and queuing its mail happen in one transaction, and only while the job
//! still exists undone: a reminder is never sent twice, and one deleted by a cancellation
//! is never sent at all.

use jiff::Timestamp;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreResult;
use crate::mail::NewMail;
use crate::time;

#[derive(Debug, Clone)]
pub struct NewJob {
    pub id: Uuid,
    pub kind: String,
    pub unique_key: String,
    /// What the job is about (an appointment); its pending jobs are dropped when it changes.
    pub subject: Option<Uuid>,
    /// Sealed by the caller with associated data `jobs.payload:<id>`.
    pub payload: Vec<u8>,
    pub run_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct DueJob {
    pub id: Uuid,
    pub kind: String,
    pub subject: Option<Uuid>,
    pub payload: Vec<u8>,
    pub attempts: i64,
}

/// Schedules `$job` inside the open transaction `$tx`; an existing job with the same key
/// is kept as it is.
macro_rules! insert_job {
    ($tx:expr, $job:expr, $now:expr) => {
        async {
            let job: &$crate::scheduling::NewJob = $job;
            sqlx::query(
                "INSERT INTO jobs (id, kind, unique_key, subject_id, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (unique_key) DO NOTHING",
            )
            .bind(job.id)
            .bind(&job.kind)
            .bind(&job.unique_key)
            .bind(job.subject)
            .bind(&job.payload)
            .bind($crate::time::to_db(job.run_at))
            .bind($crate::time::to_db($now))
            .execute(&mut *$tx)
            .await
            .map(|_| ())
        }
    };
}

impl Store {
    /// Takes up to `limit` due jobs for `lease_micros`; nobody else takes them meanwhile.
    pub async fn claim_jobs(&self, now: Timestamp, lease_micros: i64, limit: i64) -> StoreResult<Vec<DueJob>> {
        let now = time::to_db(now);
        let rows: Vec<(Uuid, String, Option<Uuid>, Option<Vec<u8>>, i64)> = on_pool!(self, write, |pool| {
            // As for mail: the outer conditions repeat the inner ones, so a claimer that
            // waited on another's row lock re-checks them and skips the row.
            sqlx::query_as(
                "UPDATE jobs SET claimed_until = $1 + $2
                 WHERE id IN (SELECT id FROM jobs
                              WHERE done_at IS NULL AND run_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                              ORDER BY run_at LIMIT $3)
                   AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
                 RETURNING id, kind, subject_id, payload, attempts",
            )
            .bind(now)
            .bind(lease_micros)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, subject, payload, attempts)| DueJob { id, kind, subject, payload: payload.unwrap_or_default(), attempts })
            .collect())
    }

    /// Marks the job done and queues `mail` with it, atomically, if the job is still
    /// pending. Returns whether it was.
    pub async fn complete_job(&self, id: Uuid, mail: Option<&NewMail>, now: Timestamp) -> StoreResult<bool> {
        let done = on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE jobs SET done_at = $1, payload = NULL, claimed_until = NULL WHERE id = $2 AND done_at IS NULL")
                .bind(time::to_db(now))
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                if let Some(mail) = mail {
                    queue_mail!(tx, mail, now).await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        Ok(done)
    }

    pub async fn fail_job(&self, id: Uuid, retry_at: Timestamp, error: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE jobs SET attempts = attempts + 1, run_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3")
                .bind(time::to_db(retry_at))
                .bind(error)
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Jobs not yet done (for `/metrics` and tests).
    pub async fn pending_job_count(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL").fetch_one(pool).await)?)
    }
}

/// The kind of job that delivers a prepared message at its time (reminders).
pub const MAIL_JOB: &str = "mail";

/// A message as a mail job's payload (sealed by the caller). NUL can't occur in mail text,
/// so it separates the parts.
#[must_use]
pub fn encode_mail(mail: &NewMail) -> Vec<u8> {
    [mail.to.as_str(), mail.subject.as_str(), mail.body.as_str()].join("\0").into_bytes()
}

#[must_use]
pub fn decode_mail(payload: &[u8]) -> Option<NewMail> {
    let text = std::str::from_utf8(payload).ok()?;
    let mut parts = text.splitn(3, '\0');
    Some(NewMail { to: parts.next()?.to_owned(), subject: parts.next()?.to_owned(), body: parts.next()?.to_owned(), calendar: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_payload_round_trips() {
        let mail = NewMail { to: "a@b.example".into(), subject: "Reminder".into(), body: "Line one\nLine two".into(), calendar: None };
        let back = decode_mail(&encode_mail(&mail)).unwrap();
        assert_eq!((back.to, back.subject, back.body), (mail.to, mail.subject, mail.body));
        assert!(decode_mail(b"only-one-part").is_none());
    }
}
