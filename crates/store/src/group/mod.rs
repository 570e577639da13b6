//! Group commit for SQLite's hot writes.
//!
//! With `synchronous=FULL` every commit waits for one disk sync, and SQLite has a single
//! writer; at a thousand messages a second (each also audited when delivered) the syncs and
//! the statements' round trips to the connection's thread, not the SQL itself, are the
//! limit. Here one task owns those writes: whatever queued up while the previous batch was
//! being written goes into the next transaction, with each message's few statements and one
//! INSERT for all of the batch's audit entries. If anything in it fails, the batch is written
//! again piece by piece, each in its own savepoint, so only the failing piece is refused.
//! When nothing is queued a write is committed at once, so batching adds no waiting; under
//! load one sync serves many writes. A caller is answered only after the batch's commit, so
//! an acknowledgement still means "on disk".
//!
//! PostgreSQL doesn't need this: it commits concurrent transactions together by itself.

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use haven_domain::audit::AuditEvent;

use crate::error::{StoreError, StoreResult};
use crate::messages::write::{MessageWork, Sent};

mod one_by_one;
mod together;
mod work;

use work::{Work, fail};

/// Most pieces of work in one transaction (bounds how long one batch holds the writer).
const MAX_BATCH: usize = 128;

/// The queue into the writing task. Cheap to clone.
#[derive(Clone)]
pub(crate) struct GroupWriter {
    queue: mpsc::UnboundedSender<Work>,
}

impl GroupWriter {
    /// Starts the writing task on the current runtime.
    pub fn start(pool: SqlitePool) -> Self {
        let (queue, incoming) = mpsc::unbounded_channel();
        tokio::spawn(run(pool, incoming));
        Self { queue }
    }

    pub async fn append_audits(&self, events: Vec<AuditEvent>) -> StoreResult<i64> {
        let (tx, rx) = oneshot::channel();
        self.submit(Work::Audit(events, tx))?;
        rx.await.map_err(|_| stopped())?
    }

    pub async fn send_message(&self, work: MessageWork) -> StoreResult<Sent> {
        let (tx, rx) = oneshot::channel();
        self.submit(Work::Message(Box::new(work), tx))?;
        rx.await.map_err(|_| stopped())?
    }

    fn submit(&self, work: Work) -> StoreResult<()> {
        self.queue.send(work).map_err(|_| stopped())
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the database writer has stopped".into())
}

async fn run(pool: SqlitePool, mut incoming: mpsc::UnboundedReceiver<Work>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = incoming.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match incoming.try_recv() {
                Ok(work) => batch.push(work),
                Err(_) => break,
            }
        }
        write(&pool, &mut batch).await;
    }
}

async fn write(pool: &SqlitePool, batch: &mut Vec<Work>) {
    match together::write(pool, batch).await {
        Ok(done) => {
            for (work, done) in batch.drain(..).zip(done) {
                match (work, done) {
                    (Work::Audit(_, reply), together::Done::Audit(seq)) => drop(reply.send(Ok(seq))),
                    (Work::Message(_, reply), together::Done::Message(sent)) => drop(reply.send(Ok(sent))),
                    (work, _) => fail(work, "the database writer mixed up its answers"),
                }
            }
        }
        // Something in the batch failed and the whole transaction was rolled back: write the
        // pieces again one by one, so only the failing one is refused.
        Err(e) => {
            tracing::debug!(error = %e, "a batch of writes failed; writing its pieces one by one");
            one_by_one::one_by_one(pool, batch).await;
        }
    }
}
