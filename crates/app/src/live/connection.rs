//! One open socket as the channels see it: who it belongs to, the topics it follows, and
//! each channel's own state for it (made when the channel first needs it, so an idle
//! socket stays small). The web layer drives it: every client frame goes to
//! [`Connection::handle`], every batch of events to [`Connection::deliver`].

use std::any::{Any, TypeId};
use std::sync::Arc;

use serde_json::{Value, json};

use super::hub::{Registration, Subscriber};
use super::inbox::{Batch, Inbox};
use super::{Event, Topic};
use crate::App;
use crate::actor::Actor;

/// Waits for a connection's next batch of events.
pub struct Waiter(Option<Arc<Inbox>>);

impl Waiter {
    /// The next events, if the socket follows anything (otherwise it waits forever).
    pub async fn next(self) -> Batch {
        match self.0 {
            Some(inbox) => inbox.next().await,
            None => std::future::pending().await,
        }
    }
}

pub struct Connection {
    pub actor: Actor,
    registration: Registration,
    inbox: Option<Arc<Inbox>>,
    topics: Vec<Topic>,
    states: Vec<(TypeId, Box<dyn Any + Send>)>,
}

impl Connection {
    /// Registers a socket for `actor` with the hub.
    #[must_use]
    pub fn open(app: &App, actor: Actor) -> Self {
        let registration = app.cx.hub.register(actor.id(), actor.session_id());
        Self { actor, registration, inbox: None, topics: Vec::new(), states: Vec::new() }
    }

    /// This socket's number among the hub's.
    #[must_use]
    pub fn id(&self) -> u64 {
        self.registration.id
    }

    /// Becomes `true` when the socket must close (its session ended).
    #[must_use]
    pub fn closed(&self) -> tokio::sync::watch::Receiver<bool> {
        self.registration.closed.clone()
    }

    /// From now on this socket hears about `topic`.
    pub fn follow(&mut self, app: &App, topic: Topic) {
        let inbox = self.inbox.get_or_insert_with(Arc::default).clone();
        let subscriber = Subscriber { socket: self.id(), user: self.actor.id(), source: self.actor.source, inbox };
        app.cx.hub.subscribe(topic, subscriber);
        if !self.topics.contains(&topic) {
            self.topics.push(topic);
        }
    }

    pub fn unfollow(&mut self, app: &App, topic: Topic) {
        app.cx.hub.unsubscribe(&[topic], self.id());
        self.topics.retain(|t| *t != topic);
    }

    #[must_use]
    pub fn follows(&self, topic: Topic) -> bool {
        self.topics.contains(&topic)
    }

    /// The topics of one channel this socket follows.
    #[must_use]
    pub fn topics_of(&self, channel: &str) -> Vec<Topic> {
        self.topics.iter().filter(|t| t.channel == channel).copied().collect()
    }

    /// A channel's state for this socket, made on first use.
    pub fn state<T: Default + Send + 'static>(&mut self) -> &mut T {
        let at = match self.states.iter().position(|(id, _)| *id == TypeId::of::<T>()) {
            Some(at) => at,
            None => {
                self.states.push((TypeId::of::<T>(), Box::new(T::default())));
                self.states.len() - 1
            }
        };
        self.states[at].1.downcast_mut::<T>().unwrap_or_else(|| unreachable!("states are keyed by their type"))
    }

    /// A channel's state, if it made one.
    #[must_use]
    pub fn existing_state<T: Send + 'static>(&mut self) -> Option<&mut T> {
        self.states.iter_mut().find(|(id, _)| *id == TypeId::of::<T>()).and_then(|(_, s)| s.downcast_mut::<T>())
    }

    /// What waits for this socket's next events (taken before waiting, so the connection
    /// stays free to answer frames meanwhile).
    #[must_use]
    pub fn waiter(&self) -> Waiter {
        Waiter(self.inbox.clone())
    }

    /// Answers one client frame: the channel that accepts its type handles it.
    pub async fn handle(&mut self, app: &App, frame: &Value) -> Vec<Value> {
        let Some(kind) = frame.get("type").and_then(Value::as_str) else {
            return vec![json!({ "type": "error", "code": "malformed" })];
        };
        if kind == "ping" {
            return vec![json!({ "type": "pong" })];
        }
        let Some(channel) = app.cx.hub.channel_for(kind) else {
            return vec![json!({ "type": "error", "code": "unknown-type" })];
        };
        // Boxed by the channel: an idle socket's task stays as small as its idle state.
        match channel.handle(app, self, frame).await {
            Ok(frames) => frames,
            Err(e) => {
                tracing::warn!(channel = channel.name(), error = %e, "a live request failed");
                vec![channel.failed(frame)]
            }
        }
    }

    /// Hands a batch of events to the channels that own their topics, each channel's events
    /// together and in order.
    pub async fn deliver(&mut self, app: &App, batch: Batch) -> Vec<Value> {
        let mut by_channel: Vec<(&'static str, Vec<(Topic, Event)>)> = Vec::new();
        for (topic, event) in batch.events {
            if !self.follows(topic) {
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
            let Some(channel) = app.cx.hub.channel(name) else { continue };
            let overflowed = batch.overflowed.contains(&name);
            match channel.deliver(app, self, events, overflowed).await {
                Ok(frames) => out.extend(frames),
                // The client catches up when it follows again after a reconnect.
                Err(e) => tracing::debug!(channel = name, error = %e, "a live update failed"),
            }
        }
        out
    }

    /// The socket is closing: every channel is told, and every topic let go.
    pub fn close(&mut self, app: &App) {
        let mut names: Vec<&'static str> = self.topics.iter().map(|t| t.channel).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            if let Some(channel) = app.cx.hub.channel(name) {
                channel.closed(app, self);
            }
        }
        app.cx.hub.unsubscribe(&self.topics, self.id());
        self.topics.clear();
    }
}
