//! One open socket as the channels see it: who it belongs to, the topics it follows, and
//! each channel's own state for it (made when the channel first needs it, so an idle
//! socket stays small). The web layer drives it through the application's channels
//! (`Channels::handle` for every client frame, `Channels::deliver` for every batch).

use std::any::{Any, TypeId};
use std::sync::Arc;

use super::event::Topic;
use super::hub::{Hub, Registration, Subscriber};
use super::inbox::{Batch, Inbox};
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
    pub fn open(hub: &Arc<Hub>, actor: Actor) -> Self {
        let registration = hub.register(actor.id(), actor.session_id());
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
    pub fn follow(&mut self, topic: Topic) {
        let inbox = self.inbox.get_or_insert_with(Arc::default).clone();
        let subscriber = Subscriber { socket: self.id(), user: self.actor.id(), source: self.actor.source, inbox };
        self.registration.hub.subscribe(topic, subscriber);
        if !self.topics.contains(&topic) {
            self.topics.push(topic);
        }
    }

    pub fn unfollow(&mut self, topic: Topic) {
        self.registration.hub.unsubscribe(&[topic], self.id());
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

    /// The topics this socket follows.
    #[must_use]
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// Lets go of every topic (the socket is closing).
    pub(crate) fn unfollow_all(&mut self) {
        self.registration.hub.unsubscribe(&self.topics, self.id());
        self.topics.clear();
    }
}
