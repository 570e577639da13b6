//! The hub: which sockets are open (by person and session, to close them the moment their
//! session ends), and which follow which topic.
//!
//! In-process: an event published here reaches this instance's followers at once; other
//! instances hear it through the bus (`bus.rs`). Sockets also re-check their session every
//! few seconds, which closes them when it was ended somewhere a signal didn't reach.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use haven_crypto::Vault;
use haven_domain::{Clock, SessionId, UserId};
use haven_store::Store;
use tokio::sync::watch;

use super::event::{Event, Topic};
use super::inbox::Inbox;

/// A random name for this process, made at start; its signals to the others carry it, so
/// it can skip its own echo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance(pub uuid::Uuid);

impl Default for Instance {
    fn default() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

/// A socket following a topic: whose it is, where it connects from (audit entries of what
/// it is sent name that address), and where its events go.
#[derive(Clone)]
pub struct Subscriber {
    pub socket: u64,
    pub user: UserId,
    pub source: IpAddr,
    pub(crate) inbox: Arc<Inbox>,
}

struct OpenSocket {
    session: SessionId,
    id: u64,
    close: watch::Sender<bool>,
}

pub struct Hub {
    pub instance: Instance,
    open: Mutex<HashMap<UserId, Vec<OpenSocket>>>,
    next: AtomicU64,
    topics: Mutex<HashMap<Topic, Vec<Subscriber>>>,
    /// For events to and from other instances.
    pub(crate) store: Store,
    pub(crate) vault: Arc<Vault>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// A registered socket; dropping it unregisters it.
pub struct Registration {
    pub(crate) hub: Arc<Hub>,
    user: UserId,
    pub id: u64,
    /// Becomes `true` when the socket must close.
    pub closed: watch::Receiver<bool>,
}

impl Hub {
    #[must_use]
    pub fn new(store: Store, vault: Arc<Vault>, clock: Arc<dyn Clock>) -> Self {
        Self { instance: Instance::default(), open: Mutex::default(), next: AtomicU64::new(1), topics: Mutex::default(), store, vault, clock }
    }

    pub fn register(self: &Arc<Self>, user: UserId, session: SessionId) -> Registration {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (close, closed) = watch::channel(false);
        self.open.lock().unwrap_or_else(PoisonError::into_inner).entry(user).or_default().push(OpenSocket { session, id, close });
        Registration { hub: self.clone(), user, id, closed }
    }

    /// Closes every socket of this person here (deactivation, sign out everywhere).
    pub fn end_user(&self, user: UserId) {
        if let Some(sockets) = self.open.lock().unwrap_or_else(PoisonError::into_inner).get(&user) {
            for s in sockets {
                let _ = s.close.send(true);
            }
        }
    }

    /// Closes the sockets of one session here (signing out in one browser).
    pub fn end_session(&self, user: UserId, session: SessionId) {
        if let Some(sockets) = self.open.lock().unwrap_or_else(PoisonError::into_inner).get(&user) {
            for s in sockets.iter().filter(|s| s.session == session) {
                let _ = s.close.send(true);
            }
        }
    }

    /// From now on `subscriber` hears about `topic`.
    pub fn subscribe(&self, topic: Topic, subscriber: Subscriber) {
        let mut topics = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        let list = topics.entry(topic).or_default();
        if !list.iter().any(|s| s.socket == subscriber.socket) {
            list.push(subscriber);
        }
    }

    /// The socket no longer hears about these topics.
    pub fn unsubscribe(&self, topics: &[Topic], socket: u64) {
        let mut all = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        for topic in topics {
            if let Some(list) = all.get_mut(topic) {
                list.retain(|s| s.socket != socket);
                if list.is_empty() {
                    all.remove(topic);
                }
            }
        }
    }

    /// This instance's sockets following `topic` now: (socket, person, address).
    #[must_use]
    pub fn followers(&self, topic: Topic) -> Vec<(u64, UserId, IpAddr)> {
        let topics = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        topics.get(&topic).into_iter().flatten().map(|s| (s.socket, s.user, s.source)).collect()
    }

    /// Whether `user` has a socket following `topic` here.
    #[must_use]
    pub fn is_following(&self, topic: Topic, user: UserId) -> bool {
        let topics = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        topics.get(&topic).is_some_and(|list| list.iter().any(|s| s.user == user))
    }

    /// Delivers `event` to this instance's followers of `topic` (a `Frame` only to its
    /// addressee, and never back to its sender).
    pub fn publish_here(&self, topic: Topic, event: &Event) {
        self.publish_here_with(topic, |_| Some(event.clone()));
    }

    /// Delivers to each follower of `topic` here what `choose` picks for them (nothing, or
    /// an event): a stored message goes whole to its thread's members, as a wake-up to anyone
    /// else.
    pub fn publish_here_with(&self, topic: Topic, mut choose: impl FnMut(&Subscriber) -> Option<Event>) {
        let topics = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        for subscriber in topics.get(&topic).into_iter().flatten() {
            let Some(event) = choose(subscriber) else { continue };
            if let Event::Frame { from, to, .. } = &event
                && (to.is_some_and(|to| to != subscriber.user) || *from == Some(subscriber.user))
            {
                continue;
            }
            subscriber.inbox.push(topic, event);
        }
    }

    /// Delivers `event` here and on every other instance.
    pub async fn publish(&self, topic: Topic, event: Event) {
        self.publish_here(topic, &event);
        self.tell_others(topic, &event).await;
    }

    /// Open sockets here, for `/metrics`.
    #[must_use]
    pub fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).values().map(Vec::len).sum()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut open = self.hub.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sockets) = open.get_mut(&self.user) {
            sockets.retain(|s| s.id != self.id);
            if sockets.is_empty() {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) async fn hub() -> Arc<Hub> {
        let store = Store::connect(&haven_store::StoreOptions::new("sqlite::memory:")).await.unwrap();
        let vault = Arc::new(Vault::new(vec![haven_crypto::DataKey::generate([1; 16])]));
        Arc::new(Hub::new(store, vault, Arc::new(haven_domain::SystemClock)))
    }

    fn subscriber(socket: u64, user: UserId) -> Subscriber {
        Subscriber { socket, user, source: "127.0.0.1".parse().unwrap(), inbox: Arc::default() }
    }

    #[tokio::test]
    async fn ending_a_user_or_a_session_signals_only_their_sockets() {
        let hub = hub().await;
        let (ana, ben) = (UserId::new(), UserId::new());
        let (s1, s2) = (SessionId::new(), SessionId::new());
        let a1 = hub.register(ana, s1);
        let a2 = hub.register(ana, s2);
        let b = hub.register(ben, SessionId::new());
        assert_eq!(hub.count(), 3);
        hub.end_session(ana, s1);
        assert!(*a1.closed.borrow() && !*a2.closed.borrow());
        hub.end_user(ana);
        assert!(*a2.closed.borrow() && !*b.closed.borrow());
        drop(a1);
        drop(a2);
        assert_eq!(hub.count(), 1);
    }

    #[tokio::test]
    async fn events_reach_only_a_topics_followers_and_frames_only_their_addressee() {
        let hub = hub().await;
        let (t1, t2) = (Topic::new("test", uuid::Uuid::new_v4()), Topic::new("test", uuid::Uuid::new_v4()));
        let (ana, ben) = (UserId::new(), UserId::new());
        let (a, b, other) = (subscriber(1, ana), subscriber(2, ben), subscriber(3, ben));
        hub.subscribe(t1, a.clone());
        hub.subscribe(t1, b.clone());
        hub.subscribe(t2, other.clone());
        hub.publish_here(t1, &Event::Wake("x".into()));
        assert_eq!(a.inbox.next().await.events.len(), 1);
        assert_eq!(b.inbox.next().await.events.len(), 1);
        let nothing = tokio::time::timeout(std::time::Duration::from_millis(20), other.inbox.next()).await;
        assert!(nothing.is_err(), "a socket not following the topic hears nothing");
        hub.publish_here(t1, &Event::Frame { from: Some(ana), to: None, frame: serde_json::json!({}) });
        assert_eq!(b.inbox.next().await.events.len(), 1, "the other party gets the frame");
        let echo = tokio::time::timeout(std::time::Duration::from_millis(20), a.inbox.next()).await;
        assert!(echo.is_err(), "the sender's own socket doesn't");
        hub.unsubscribe(&[t1], 2);
        assert_eq!(hub.followers(t1).len(), 1);
        assert!(hub.is_following(t1, ana) && !hub.is_following(t1, ben));
    }
}
