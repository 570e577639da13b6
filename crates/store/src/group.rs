//! Group commit for SQLite's hot writes.
//!
//! With `synchronous=FULL` every commit waits for one disk sync, and SQLite has a single
//! writer; at a thousand messages a second (each also audited when delivered) the syncs, not
//! the SQL, are the limit. Here one task owns those writes: whatever queued up while the
//! previous batch was being written goes into the next transaction, each piece of work inside
//! its own savepoint, so a failing one rolls back alone. When nothing is queued a write is
//! committed at once, so batching adds no waiting; under load one sync serves many writes.
//! A caller is answered only after the batch's commit, so an acknowledgement still means
//! "on disk".
//!
//! PostgreSQL doesn't need this: it commits concurrent transactions together by itself.

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use haven_domain::audit::AuditEvent;

use crate::error::{StoreError, StoreResult};
use crate::messages::{MessageWork, Sent};

/// Most pieces of work in one transaction (bounds how long one batch holds the writer).
const MAX_BATCH: usize = 128;

pub(crate) enum Work {
    Audit(Box<AuditEvent>, oneshot::Sender<StoreResult<i64>>),
    Message(Box<MessageWork>, oneshot::Sender<StoreResult<Sent>>),
}

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

    pub async fn append_audit(&self, event: &AuditEvent) -> StoreResult<i64> {
        let (tx, rx) = oneshot::channel();
        self.submit(Work::Audit(Box::new(event.clone()), tx))?;
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

/// What a finished piece of work will be answered with once the batch is committed.
enum Outcome {
    Audit(oneshot::Sender<StoreResult<i64>>, StoreResult<i64>),
    Message(oneshot::Sender<StoreResult<Sent>>, StoreResult<Sent>),
}

async fn write(pool: &SqlitePool, batch: &mut Vec<Work>) {
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
        // Each piece in its own savepoint: an error undoes that piece only.
        let mut point = match sqlx::Acquire::begin(&mut *tx).await {
            Ok(point) => point,
            Err(e) => {
                fail(work, &e.to_string());
                continue;
            }
        };
        let outcome = match work {
            Work::Audit(event, reply) => Outcome::Audit(reply, append_audit!(point, &event).await.map_err(StoreError::from)),
            Work::Message(w, reply) => {
                Outcome::Message(reply, insert_message!(point, &w.new, &w.audit, &w.notify, w.now).await.map_err(StoreError::from))
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

fn fail(work: Work, message: &str) {
    match work {
        Work::Audit(_, reply) => drop(reply.send(Err(StoreError::Unavailable(message.to_owned())))),
        Work::Message(_, reply) => drop(reply.send(Err(StoreError::Unavailable(message.to_owned())))),
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
