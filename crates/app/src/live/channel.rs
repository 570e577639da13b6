//! Channels: each feature's share of the live socket, and the set of them that the socket
//! hands frames and events to.

use std::sync::Arc;

use serde_json::{Value, json};

use super::connection::Connection;
use super::event::{Event, Topic};
use super::inbox::Batch;
use crate::error::Result;
use crate::future::BoxFuture;

/// A feature's share of the live socket.
pub trait Channel: Send + Sync + 'static {
    /// The channel's name: the `channel` of its topics. Unique among channels; no `:`.
    fn name(&self) -> &'static str;

    /// Whether a client frame of this `type` is for this channel.
    fn accepts(&self, frame_type: &str) -> bool;

    /// Answers one client frame with zero or more frames.
    fn handle<'a>(&'a self, conn: &'a mut Connection, frame: &'a Value) -> BoxFuture<'a, Result<Vec<Value>>>;

    /// Events for topics of this channel the connection follows, in the order they came.
    /// `overflowed`: some were dropped (the socket fell far behind) and it must catch up
    /// from the database.
    fn deliver<'a>(&'a self, conn: &'a mut Connection, events: Vec<(Topic, Event)>, overflowed: bool) -> BoxFuture<'a, Result<Vec<Value>>>;

    /// The frame that tells the client its frame failed (nothing was done).
    fn failed(&self, frame: &Value) -> Value {
        let _ = frame;
        serde_json::json!({ "type": "error", "code": "unavailable" })
    }

    /// The connection is closing (a closed tab, a lost network, an ended session).
    fn closed(&self, conn: &mut Connection) {
        let _ = conn;
    }
}

/// Every channel of this Haven. Cheap to clone.
#[derive(Clone)]
pub struct Channels(Arc<[Arc<dyn Channel>]>);

impl Channels {
    /// # Panics
    /// When two channels share a name (a programming error, found at start-up).
    #[must_use]
    pub fn new(channels: Vec<Arc<dyn Channel>>) -> Self {
        let mut names: Vec<&str> = channels.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), channels.len(), "two live channels share a name");
        Self(channels.into())
    }

    /// The channel that answers client frames of this type.
    fn for_frame(&self, frame_type: &str) -> Option<&Arc<dyn Channel>> {
        self.0.iter().find(|c| c.accepts(frame_type))
    }

    /// The channel with this name (the owner of a topic).
    fn named(&self, name: &str) -> Option<&Arc<dyn Channel>> {
        self.0.iter().find(|c| c.name() == name)
    }

    /// The registered name equal to `name` (topics arriving from other instances).
    pub(crate) fn name(&self, name: &str) -> Option<&'static str> {
        self.named(name).map(|c| c.name())
    }

    /// Answers one client frame: the channel that accepts its type handles it.
    pub async fn handle(&self, conn: &mut Connection, frame: &Value) -> Vec<Value> {
        let Some(kind) = frame.get("type").and_then(Value::as_str) else {
            return vec![json!({ "type": "error", "code": "malformed" })];
        };
        if kind == "ping" {
            return vec![json!({ "type": "pong" })];
        }
        let Some(channel) = self.for_frame(kind) else {
            return vec![json!({ "type": "error", "code": "unknown-type" })];
        };
        // Boxed by the channel: an idle socket's task stays as small as its idle state.
        match channel.handle(conn, frame).await {
            Ok(frames) => frames,
            Err(e) => {
                tracing::warn!(channel = channel.name(), error = %e, "a live request failed");
                vec![channel.failed(frame)]
            }
        }
    }

    /// Hands a batch of events to the channels that own their topics, each channel's events
    /// together and in order.
    pub async fn deliver(&self, conn: &mut Connection, batch: Batch) -> Vec<Value> {
        let mut by_channel: Vec<(&'static str, Vec<(Topic, Event)>)> = Vec::new();
        for (topic, event) in batch.events {
            if !conn.follows(topic) {
                continue;
            }
            match by_channel.iter_mut().find(|(name, _)| *name == topic.channel) {
                Some((_, list)) => list.push((topic, event)),
                None => by_channel.push((topic.channel, vec![(topic, event)])),
            }
        }
        for name in &batch.overflowed {
            if !by_channel.iter().any(|(n, _)| n == name) {
                by_channel.push((name, Vec::new()));
            }
        }
        let mut out = Vec::new();
        for (name, events) in by_channel {
            let Some(channel) = self.named(name) else { continue };
            let overflowed = batch.overflowed.contains(&name);
            match channel.deliver(conn, events, overflowed).await {
                Ok(frames) => out.extend(frames),
                // The client catches up when it follows again after a reconnect.
                Err(e) => tracing::debug!(channel = name, error = %e, "a live update failed"),
            }
        }
        out
    }

    /// The socket is closing: every channel it used is told, and every topic let go.
    pub fn close(&self, conn: &mut Connection) {
        let mut names: Vec<&'static str> = conn.topics().iter().map(|t| t.channel).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            if let Some(channel) = self.named(name) {
                channel.closed(conn);
            }
        }
        conn.unfollow_all();
    }
}
