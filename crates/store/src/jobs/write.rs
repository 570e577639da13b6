//! The queue's share of another change's transaction: scheduling a job, dropping the
//! pending jobs about something that changed. Apart from the queue's own operations so the
//! typed pieces of every write (messages, effects) depend on this alone.

use jiff::Timestamp;
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::conn::{Conn, on_conn};
use crate::time;

/// Rows per multi-row INSERT: 8 parameters each, well under either database's limit.
const JOBS_PER_INSERT: usize = 500;

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

/// The INSERT of `jobs` (at most [`JOBS_PER_INSERT`]), for either database.
fn insert_rows<DB>(jobs: &[NewJob], now: i64) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    for<'t> Uuid: Encode<'t, DB> + Type<DB>,
    for<'t> Option<Uuid>: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> Vec<u8>: Encode<'t, DB> + Type<DB>,
    for<'t> bool: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
{
    let mut insert = QueryBuilder::new("INSERT INTO jobs (id, kind, unique_key, subject_id, payload, sealed, run_at, created_at) ");
    insert.push_values(jobs, |mut row, job| {
        row.push_bind(job.id)
            .push_bind(job.kind.clone())
            .push_bind(job.unique_key.clone())
            .push_bind(job.subject)
            .push_bind(job.payload.clone())
            .push_bind(job.sealed)
            .push_bind(time::to_db(job.run_at))
            .push_bind(now);
    });
    insert.push(" ON CONFLICT (unique_key) DO NOTHING");
    insert
}

/// Schedules many jobs in few statements (what a batch costs is mostly round trips); an
/// existing job with the same key is kept, as with [`insert`].
pub(crate) async fn insert_all(conn: &mut Conn<'_>, jobs: &[NewJob], now: Timestamp) -> Result<(), sqlx::Error> {
    if let [job] = jobs {
        return insert(conn, job, now).await.map(|_| ());
    }
    for chunk in jobs.chunks(JOBS_PER_INSERT) {
        on_conn!(conn, |c| insert_rows(chunk, time::to_db(now)).build().execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Drops the pending jobs about `subject` (a visit moved or cancelled: its old reminders).
pub(crate) async fn drop_pending_of(conn: &mut Conn<'_>, subject: Uuid) -> Result<(), sqlx::Error> {
    on_conn!(conn, |c| sqlx::query("DELETE FROM jobs WHERE subject_id = $1 AND done_at IS NULL").bind(subject).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
