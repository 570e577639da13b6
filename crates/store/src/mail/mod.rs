//! The durable outbox: mail is queued in the same transaction as whatever caused it, and
//! a worker sends it, retrying with backoff. Several instances share the queue: a claim is
//! a lease, and a row is only claimed when unclaimed or its lease ran out.

use jiff::Timestamp;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreResult;
use crate::time;

#[macro_use]
pub(crate) mod queue;
pub use queue::NewMail;

#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub calendar: Option<String>,
    pub attempts: i64,
}

type Row = (Uuid, String, String, Option<String>, Option<String>, i64);

impl Store {
    pub async fn queue_mail(&self, mail: &NewMail, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            let mut tx = pool.begin().await?;
            queue_mail!(tx, mail, now).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Takes up to `limit` due messages for `lease_micros`; nobody else takes them meanwhile.
    pub async fn claim_mail(&self, now: Timestamp, lease_micros: i64, limit: i64) -> StoreResult<Vec<QueuedMail>> {
        let now = time::to_db(now);
        let rows: Vec<Row> = on_pool!(self, write, |pool| {
            // The outer conditions repeat the inner ones: under PostgreSQL's READ COMMITTED,
            // a second claimer that waited on the row lock re-checks them against the
            // first claimer's update and skips the row.
            sqlx::query_as(
                "UPDATE outgoing_mail SET claimed_until = $1 + $2
                 WHERE id IN (SELECT id FROM outgoing_mail
                              WHERE sent_at IS NULL AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                              ORDER BY created_at LIMIT $3)
                   AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
                 RETURNING id, to_addr, subject, body, calendar, attempts",
            )
            .bind(now)
            .bind(lease_micros)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, to, subject, body, calendar, attempts)| QueuedMail { id, to, subject, body: body.unwrap_or_default(), calendar, attempts })
            .collect())
    }

    /// Records delivery and forgets the body (its links are secrets).
    pub async fn mark_mail_sent(&self, id: Uuid, now: Timestamp) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query("UPDATE outgoing_mail SET sent_at = $1, body = NULL, calendar = NULL, claimed_until = NULL, last_error = NULL WHERE id = $2")
                .bind(time::to_db(now))
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn mark_mail_failed(&self, id: Uuid, retry_at: Timestamp, error: &str) -> StoreResult<()> {
        on_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE outgoing_mail SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
            )
            .bind(time::to_db(retry_at))
            .bind(error)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Messages not yet delivered (for `/metrics` and `haven check`).
    pub async fn unsent_mail_count(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, read, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_mail WHERE sent_at IS NULL").fetch_one(pool).await
        })?)
    }
}
