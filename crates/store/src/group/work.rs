//! One piece of work for the group writer, and how it is answered when it can't be done.

use tokio::sync::oneshot;

use haven_domain::audit::AuditEvent;

use crate::error::{StoreError, StoreResult};
use crate::messages::write::{MessageWork, Sent};

pub(crate) enum Work {
    /// Entries written in order; answered with the first one's seq.
    Audit(Vec<AuditEvent>, oneshot::Sender<StoreResult<i64>>),
    Message(Box<MessageWork>, oneshot::Sender<StoreResult<Sent>>),
}

pub(super) fn fail(work: Work, message: &str) {
    match work {
        Work::Audit(_, reply) => drop(reply.send(Err(StoreError::Unavailable(message.to_owned())))),
        Work::Message(_, reply) => drop(reply.send(Err(StoreError::Unavailable(message.to_owned())))),
    }
}
