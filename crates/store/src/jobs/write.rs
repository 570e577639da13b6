//! The queue's share of another change's transaction: scheduling a job, dropping the
//! pending jobs about something that changed. Apart from the queue's own operations so the
//! typed pieces of every write (messages, effects) depend on this alone.

use jiff::Timestamp;
use uuid::Uuid;

use crate::conn::{Conn, on_conn};
use crate::time;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub id: Uuid,
    pub kind: String,
    pub unique_key: String,
    /// What the job is about (an appointment); its pending jobs are dropped when it changes.
    pub subject: Option<Uuid>,
    /// Sealed by the caller with associated data `jobs.payload:<id>` when `sealed`.
    pub payload: Vec<u8>,
    pub sealed: bool,
    pub run_at: Timestamp,
}

/// Schedules `job` inside an open transaction; an existing job with the same key is kept as
/// it is. Returns whether this one was added.
pub(crate) async fn insert(conn: &mut Conn<'_>, job: &NewJob, now: Timestamp) -> Result<bool, sqlx::Error> {
    let n = on_conn!(conn, |c| {
        sqlx::query(
            "INSERT INTO jobs (id, kind, unique_key, subject_id, payload, sealed, run_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (unique_key) DO NOTHING",
        )
        .bind(job.id)
        .bind(&job.kind)
        .bind(&job.unique_key)
        .bind(job.subject)
        .bind(&job.payload)
        .bind(job.sealed)
        .bind(time::to_db(job.run_at))
        .bind(time::to_db(now))
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// Drops the pending jobs about `subject` (a visit moved or cancelled: its old reminders).
pub(crate) async fn drop_pending_of(conn: &mut Conn<'_>, subject: Uuid) -> Result<(), sqlx::Error> {
    on_conn!(conn, |c| sqlx::query("DELETE FROM jobs WHERE subject_id = $1 AND done_at IS NULL").bind(subject).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
