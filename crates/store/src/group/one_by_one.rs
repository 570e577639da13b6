//! The group writer's slow path: after a batch failed as a whole, its pieces are written
//! again each in its own savepoint, so only the failing one is refused.

use sqlx::SqlitePool;
use tokio::sync::oneshot;

use haven_domain::audit::AuditEvent;

use super::work::{Work, fail};
use crate::audit::append;
use crate::conn::Conn;
use crate::error::{StoreError, StoreResult};
use crate::messages::write::{self, Sent};

/// What a finished piece of work will be answered with once the batch is committed.
enum Outcome {
    Audit(oneshot::Sender<StoreResult<i64>>, StoreResult<i64>),
    Message(oneshot::Sender<StoreResult<Sent>>, StoreResult<Sent>),
}

/// Each piece of work in its own savepoint, so an error undoes that piece only.
pub(super) async fn one_by_one(pool: &SqlitePool, batch: &mut Vec<Work>) {
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            let message = e.to_string();
            for work in batch.drain(..) {
                fail(work, &message);
            }
            return;
        }
    };
    let mut outcomes = Vec::with_capacity(batch.len());
    for work in batch.drain(..) {
        let mut point = match sqlx::Acquire::begin(&mut *tx).await {
            Ok(point) => point,
            Err(e) => {
                fail(work, &e.to_string());
                continue;
            }
        };
        let outcome = match work {
            Work::Audit(entries, reply) => {
                let entries: Vec<&AuditEvent> = entries.iter().collect();
                Outcome::Audit(reply, append::append(&mut Conn::Sqlite(&mut point), &entries).await.map_err(StoreError::from))
            }
            Work::Message(w, reply) => {
                let written = async {
                    let mut conn = Conn::Sqlite(&mut point);
                    let sent = write::insert(&mut conn, &w.new, &w.jobs, w.now).await?;
                    if sent.created {
                        let entries: Vec<&AuditEvent> = w.audit.iter().collect();
                        append::append(&mut conn, &entries).await?;
                    }
                    Ok::<_, sqlx::Error>(sent)
                };
                Outcome::Message(reply, written.await.map_err(StoreError::from))
            }
        };
        let kept = match &outcome {
            Outcome::Audit(_, r) => r.is_ok(),
            Outcome::Message(_, r) => r.is_ok(),
        };
        if kept {
            if let Err(e) = point.commit().await {
                outcomes.push(outcome.failed(&e.to_string()));
                continue;
            }
        } else if let Err(e) = point.rollback().await {
            tracing::warn!(error = %e, "rolling back a savepoint failed");
        }
        outcomes.push(outcome);
    }
    match tx.commit().await {
        Ok(()) => outcomes.into_iter().for_each(Outcome::answer),
        Err(e) => {
            let message = e.to_string();
            for outcome in outcomes {
                outcome.failed(&message).answer();
            }
        }
    }
}

impl Outcome {
    fn failed(self, message: &str) -> Self {
        match self {
            Outcome::Audit(reply, _) => Outcome::Audit(reply, Err(StoreError::Unavailable(message.to_owned()))),
            Outcome::Message(reply, _) => Outcome::Message(reply, Err(StoreError::Unavailable(message.to_owned()))),
        }
    }

    fn answer(self) {
        // A caller that gave up (its request was dropped) doesn't need the answer.
        match self {
            Outcome::Audit(reply, result) => drop(reply.send(result)),
            Outcome::Message(reply, result) => drop(reply.send(result)),
        }
    }
}
