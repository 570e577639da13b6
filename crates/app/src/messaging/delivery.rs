//! A message handed straight to the sockets that follow its thread on this instance, once
//! it is stored: they send it without reading it back from the database. Everything here
//! is what the message's frame shows. (No `Debug`: the text is a patient's words and must
//! never reach a log.)

use std::sync::Arc;

use haven_domain::{AttachmentId, MessageId, ThreadId, UserId};
use jiff::Timestamp;

pub struct Delivery {
    pub thread: ThreadId,
    pub seq: i64,
    pub id: MessageId,
    pub sender: UserId,
    pub sender_name: String,
    /// Shown only to the sender's own sockets (their page matches it to what it sent).
    pub client_id: String,
    pub body: String,
    /// As stored: to the microsecond.
    pub at: Timestamp,
    pub automatic: bool,
    pub file: Option<FileShown>,
}

impl Delivery {
    /// A message numbered `seq` in `thread`, from `sender`, for tests.
    #[cfg(test)]
    pub(crate) fn sample(thread: ThreadId, seq: i64, sender: UserId) -> Arc<Self> {
        Arc::new(Self {
            thread,
            seq,
            id: MessageId::new(),
            sender,
            sender_name: "Ana".into(),
            client_id: format!("c{seq}"),
            body: "hello".into(),
            at: Timestamp::UNIX_EPOCH,
            automatic: false,
            file: None,
        })
    }
}

/// An attachment as a message shows it (the bytes are fetched by link).
pub struct FileShown {
    pub id: AttachmentId,
    pub name: String,
    pub size: i64,
}

/// The live event of a message stored on this instance: the message, and the sockets
/// whose reading of it was recorded with it (the others record their own before sending).
pub struct Handed {
    pub delivery: Arc<Delivery>,
    pub audited: Vec<u64>,
}
