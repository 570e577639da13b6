//! Which sockets are open, by person and session, so they can be closed at once.
//!
//! In-process: a revocation on this instance closes this instance's sockets immediately.
//! Sockets also re-check their session in the database every few seconds, which is what
//! closes them when the session was ended by another instance.

use std::collections::HashMap;
use std::sync::Mutex;

use haven_domain::{AppointmentId, SessionId, ThreadId, UserId};
use std::sync::Arc;

use tokio::sync::{mpsc, watch};

use super::Delivery;
use super::inbox::Inbox;

/// Something changed in a thread: a message was stored, or someone read further. Sockets
/// subscribed to the thread fetch what changed from the database (the truth); the wake-up
/// itself carries nothing but the thread's id. (A message stored on this instance is handed
/// to its followers here whole instead: see `Hub::hand_off`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    Message(ThreadId),
    Read(ThreadId),
}

/// Each person's open sockets: session, socket id, and the signal that closes it.
type OpenSockets = HashMap<UserId, Vec<(SessionId, u64, watch::Sender<bool>)>>;
/// The sockets following each thread.
type Followers = HashMap<ThreadId, Vec<(Listener, Arc<Inbox>)>>;

/// A socket following a thread: its id, whose it is, and where it connects from (for the
/// audit entry of what it is sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    pub socket: u64,
    pub user: UserId,
    pub peer: std::net::SocketAddr,
}

#[derive(Default)]
pub struct Hub {
    /// This instance, named in its signals to the others so it can ignore its own echo.
    pub instance: Instance,
    open: Mutex<OpenSockets>,
    next: Mutex<u64>,
    followers: Mutex<Followers>,
    /// Sockets that joined a visit's room, and the channel that reaches each. Only sockets
    /// in a room have a channel, so idle sockets stay small.
    rooms: Mutex<HashMap<AppointmentId, Vec<Seat>>>,
}

/// A random name for this process, made at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance(pub uuid::Uuid);

impl Default for Instance {
    fn default() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

struct Seat {
    user: UserId,
    socket: u64,
    tx: mpsc::UnboundedSender<serde_json::Value>,
}

/// A registered socket; dropping it unregisters (and leaves any room).
pub struct Registration<'a> {
    hub: &'a Hub,
    user: UserId,
    pub id: u64,
    /// Becomes `true` when the socket must close.
    pub closed: watch::Receiver<bool>,
}

impl Hub {
    pub fn register(&self, user: UserId, session: SessionId) -> Registration<'_> {
        let id = {
            let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *next += 1;
            *next
        };
        let (tx, rx) = watch::channel(false);
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).entry(user).or_default().push((session, id, tx));
        Registration { hub: self, user, id, closed: rx }
    }

    /// Closes every socket of this person (deactivation, sign-out everywhere, new password).
    pub fn end_user(&self, user: UserId) {
        if let Some(sockets) = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&user) {
            for (_, _, tx) in sockets {
                let _ = tx.send(true);
            }
        }
    }

    /// Closes the sockets of one session (signing out in one browser).
    pub fn end_session(&self, user: UserId, session: SessionId) {
        if let Some(sockets) = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&user) {
            for (s, _, tx) in sockets {
                if *s == session {
                    let _ = tx.send(true);
                }
            }
        }
    }

    /// Tells this instance's sockets about a change (other instances hear it through the
    /// database's notification; see `revoke.rs`).
    pub fn wake(&self, wake: Wake) {
        let thread = match wake {
            Wake::Message(t) | Wake::Read(t) => t,
        };
        let followers = self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (_, inbox) in followers.get(&thread).into_iter().flatten() {
            inbox.add(wake);
        }
    }

    /// The sockets following `thread` now.
    pub fn listeners(&self, thread: ThreadId) -> Vec<Listener> {
        let followers = self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        followers.get(&thread).into_iter().flatten().map(|(l, _)| *l).collect()
    }

    /// Hands a message just stored on this instance to the sockets following its thread
    /// whose person is among `members` (read from the database by the send, so as fresh as
    /// a check by the reader). `audited`: the sockets whose reading of it was recorded with
    /// the message; the others record their own before sending. Any other follower is woken
    /// to read the thread, which checks membership itself (and ends a former member's
    /// following).
    pub fn hand_off(&self, delivery: &Arc<Delivery>, members: &[UserId], audited: &[u64]) {
        let followers = self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (listener, inbox) in followers.get(&delivery.thread).into_iter().flatten() {
            if members.contains(&listener.user) {
                inbox.deliver(delivery.clone(), audited.contains(&listener.socket));
            } else {
                inbox.add(Wake::Message(delivery.thread));
            }
        }
    }

    /// From now on the socket hears about `thread` in `inbox`.
    pub fn follow(&self, thread: ThreadId, listener: Listener, inbox: &Arc<Inbox>) {
        let mut followers = self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let list = followers.entry(thread).or_default();
        if !list.iter().any(|(l, _)| l.socket == listener.socket) {
            list.push((listener, inbox.clone()));
        }
    }

    /// The socket no longer hears about these threads (it stopped following, or closed).
    pub fn unfollow(&self, threads: &[ThreadId], socket: u64) {
        let mut followers = self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for thread in threads {
            if let Some(list) = followers.get_mut(thread) {
                list.retain(|(l, _)| l.socket != socket);
                if list.is_empty() {
                    followers.remove(thread);
                }
            }
        }
    }

    /// Seats this socket in a visit's room; frames for it arrive on the returned channel.
    /// (In-process: both parties of a visit must reach the same instance; see the README.)
    pub fn join_room(&self, visit: AppointmentId, user: UserId, socket: u64) -> mpsc::UnboundedReceiver<serde_json::Value> {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut rooms = self.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let seats = rooms.entry(visit).or_default();
        seats.retain(|s| s.socket != socket);
        seats.push(Seat { user, socket, tx });
        drop(rooms);
        rx
    }

    /// Takes the socket out of the room; says whether the person still has another socket there.
    pub fn leave_room(&self, visit: AppointmentId, user: UserId, socket: u64) -> bool {
        let mut rooms = self.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(seats) = rooms.get_mut(&visit) else { return false };
        seats.retain(|s| s.socket != socket);
        let still = seats.iter().any(|s| s.user == user);
        if seats.is_empty() {
            rooms.remove(&visit);
        }
        still
    }

    /// Whether `user` has a socket in the visit's room.
    pub fn in_room(&self, visit: AppointmentId, user: UserId) -> bool {
        self.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&visit).is_some_and(|seats| seats.iter().any(|s| s.user == user))
    }

    /// Sends `frame` to `user`'s sockets in the visit's room; how many it reached.
    pub fn tell_room(&self, visit: AppointmentId, user: UserId, frame: &serde_json::Value) -> usize {
        let rooms = self.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        rooms.get(&visit).map_or(0, |seats| seats.iter().filter(|s| s.user == user && s.tx.send(frame.clone()).is_ok()).count())
    }

    /// Open sockets, for `/metrics`.
    pub fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).values().map(Vec::len).sum()
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        {
            let mut rooms = self.hub.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            rooms.retain(|_, seats| {
                seats.retain(|s| s.socket != self.id);
                !seats.is_empty()
            });
        }
        let mut open = self.hub.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(sockets) = open.get_mut(&self.user) {
            sockets.retain(|(_, id, _)| *id != self.id);
            if sockets.is_empty() {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ending_a_user_or_a_session_signals_only_their_sockets() {
        let hub = Hub::default();
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

    fn listener(socket: u64, user: UserId) -> Listener {
        Listener { socket, user, peer: "127.0.0.1:9".parse().unwrap() }
    }

    #[tokio::test]
    async fn a_wake_reaches_only_the_threads_followers() {
        let hub = Hub::default();
        let (t1, t2) = (ThreadId::new(), ThreadId::new());
        let (follower, other) = (Arc::new(Inbox::default()), Arc::new(Inbox::default()));
        hub.follow(t1, listener(1, UserId::new()), &follower);
        hub.follow(t2, listener(2, UserId::new()), &other);
        hub.wake(Wake::Message(t1));
        assert_eq!(follower.next().await.messages, vec![t1]);
        let nothing = tokio::time::timeout(std::time::Duration::from_millis(20), other.next()).await;
        assert!(nothing.is_err(), "a socket not following the thread isn't woken");
        hub.unfollow(&[t1], 1);
        hub.wake(Wake::Message(t1));
        let after = tokio::time::timeout(std::time::Duration::from_millis(20), follower.next()).await;
        assert!(after.is_err(), "after unfollowing, nothing arrives");
        assert!(hub.followers.lock().unwrap().get(&t1).is_none(), "an empty list is removed");
    }

    #[tokio::test]
    async fn a_message_goes_whole_to_members_and_as_a_wake_to_anyone_else() {
        let hub = Hub::default();
        let thread = ThreadId::new();
        let (member, former) = (UserId::new(), UserId::new());
        let (theirs, not_theirs, also_theirs) = (Arc::new(Inbox::default()), Arc::new(Inbox::default()), Arc::new(Inbox::default()));
        hub.follow(thread, listener(1, member), &theirs);
        hub.follow(thread, listener(2, former), &not_theirs);
        hub.follow(thread, listener(3, member), &also_theirs);
        assert_eq!(hub.listeners(thread).iter().map(|l| l.socket).collect::<Vec<_>>(), vec![1, 2, 3]);
        let delivery = Delivery::sample(thread, 1, member);
        hub.hand_off(&delivery, &[member], &[1]);
        let taken = theirs.next().await;
        assert_eq!((taken.delivered.len(), taken.messages.len()), (1, 0));
        assert!(taken.delivered[0].audited, "socket 1's reading was recorded with the message");
        let taken = also_theirs.next().await;
        assert!(!taken.delivered[0].audited, "socket 3 (following since) records its own");
        let taken = not_theirs.next().await;
        assert_eq!((taken.delivered.len(), taken.messages), (0, vec![thread]), "a non-member is only told to read, and the read checks");
    }
}
