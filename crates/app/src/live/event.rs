//! What flows on the hub: topics (a channel's name and one of its things) and events.

use std::any::Any;
use std::sync::Arc;

use haven_domain::UserId;
use serde_json::Value;
use uuid::Uuid;

/// What a live event is about: a channel's name and the id of one of its things (a
/// thread, a visit, a practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Topic {
    pub channel: &'static str,
    pub key: Uuid,
}

impl Topic {
    #[must_use]
    pub fn new(channel: &'static str, key: Uuid) -> Self {
        Self { channel, key }
    }
}

/// Something that happened on a topic.
#[derive(Clone)]
pub enum Event {
    /// Something changed; followers read what (the database is the truth). The text says
    /// what kind of change ("message", "read"). Crosses instances as a `NOTIFY`.
    Wake(String),
    /// A frame to pass on as it is (a visit's signaling). `to`: only that person's sockets;
    /// `from`: whose it is (their own sockets skip it). Crosses instances sealed.
    Frame { from: Option<UserId>, to: Option<UserId>, frame: Value },
    /// An object handed over within this instance (a message just stored, whole). Never
    /// crosses instances: the publisher sends a `Wake` for the others.
    Local(Arc<dyn Any + Send + Sync>),
}

impl std::fmt::Debug for Event {
    // No content: frames may carry what people typed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Wake(kind) => write!(f, "Wake({kind})"),
            Event::Frame { .. } => f.write_str("Frame"),
            Event::Local(_) => f.write_str("Local"),
        }
    }
}
