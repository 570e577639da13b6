//! Live channels over the signed-in WebSocket.
//!
//! The web layer owns the socket (who may open one, reading and writing frames, closing it
//! when its session ends); this module owns what flows over it. Features register a
//! [`Channel`] each (message threads, visit rooms, staff alerts …) with the [`Hub`]; the
//! socket hands every client frame to the channel that accepts its type, and every event
//! published on a topic the socket follows to the channel that owns the topic. Neither the
//! socket code nor the hub knows any channel by name.
//!
//! Every channel works across instances sharing PostgreSQL: a [`Event::Wake`] travels as a
//! `NOTIFY` (ids only: the table is the truth, followers read it), an [`Event::Frame`] as a
//! sealed row in `live_events` that the `NOTIFY` names. On SQLite there is one instance and
//! events stay in memory.

pub mod bus;
pub mod connection;
pub mod hub;
pub mod inbox;

use std::any::Any;
use std::sync::Arc;

use haven_domain::UserId;
use serde_json::Value;
use uuid::Uuid;

use crate::App;
use crate::error::Result;
use crate::jobs::registry::BoxFuture;

pub use connection::Connection;
pub use hub::{Hub, Instance, Subscriber};
pub use inbox::Batch;

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

/// A feature's share of the live socket.
pub trait Channel: Send + Sync + 'static {
    /// The channel's name: the `channel` of its topics. Unique among channels; no `:`.
    fn name(&self) -> &'static str;

    /// Whether a client frame of this `type` is for this channel.
    fn accepts(&self, frame_type: &str) -> bool;

    /// Answers one client frame with zero or more frames.
    fn handle<'a>(&'a self, app: &'a App, conn: &'a mut Connection, frame: &'a Value) -> BoxFuture<'a, Result<Vec<Value>>>;

    /// Events for topics of this channel the connection follows, in the order they came.
    /// `overflowed`: some were dropped (the socket fell far behind) and it must catch up
    /// from the database.
    fn deliver<'a>(&'a self, app: &'a App, conn: &'a mut Connection, events: Vec<(Topic, Event)>, overflowed: bool) -> BoxFuture<'a, Result<Vec<Value>>>;

    /// The frame that tells the client its frame failed (nothing was done).
    fn failed(&self, frame: &Value) -> Value {
        let _ = frame;
        serde_json::json!({ "type": "error", "code": "unavailable" })
    }

    /// The connection is closing (a closed tab, a lost network, an ended session).
    fn closed(&self, app: &App, conn: &mut Connection) {
        let _ = (app, conn);
    }
}
