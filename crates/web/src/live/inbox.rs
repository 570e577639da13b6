//! A socket's wake-ups: which of the threads it follows have new messages or new read
//! receipts. The hub adds to the inbox of each socket that follows a thread (and only
//! those: an idle socket costs nothing per message); the socket takes everything waiting at
//! once, each thread once, so a busy socket serves many wake-ups with one round of reads.
//! Messages stored on this instance arrive whole (`Delivery`), so they go out without a
//! read; a wake-up says only "read the thread". The inbox holds at most one wake-up per
//! followed thread and a few messages per thread (more turn into a wake-up), so it can't
//! grow without bound.

use std::sync::{Arc, Mutex};

use haven_domain::ThreadId;
use tokio::sync::Notify;

use super::{Delivery, Wake};

/// Messages held for one thread before the socket reads the thread instead.
const HELD_PER_THREAD: usize = 64;

#[derive(Default)]
pub struct Inbox {
    pending: Mutex<Pending>,
    notify: Notify,
}

/// What a socket has waiting.
#[derive(Default)]
pub struct Pending {
    /// Threads with new messages to read from the database.
    pub messages: Vec<ThreadId>,
    /// Threads whose read markers moved.
    pub reads: Vec<ThreadId>,
    /// New messages handed over whole, in the order they arrived.
    pub delivered: Vec<Held>,
}

/// A message handed to this socket, and whether its reading by this socket was recorded
/// with the message (otherwise the socket records it before sending).
#[derive(Clone)]
pub struct Held {
    pub delivery: Arc<Delivery>,
    pub audited: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.reads.is_empty() && self.delivered.is_empty()
    }
}

impl Inbox {
    pub fn add(&self, wake: Wake) {
        {
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (list, thread) = match wake {
                Wake::Message(t) => (&mut pending.messages, t),
                Wake::Read(t) => (&mut pending.reads, t),
            };
            if !list.contains(&thread) {
                list.push(thread);
            }
            if matches!(wake, Wake::Message(_)) {
                // Reading the thread brings these too.
                pending.delivered.retain(|h| h.delivery.thread != thread);
            }
        }
        self.notify.notify_one();
    }

    /// A stored message for a followed thread. When the thread is to be read anyway, or too
    /// many of its messages are waiting, the socket reads the thread instead.
    pub fn deliver(&self, delivery: Arc<Delivery>, audited: bool) {
        {
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let thread = delivery.thread;
            if !pending.messages.contains(&thread) {
                if pending.delivered.iter().filter(|h| h.delivery.thread == thread).count() < HELD_PER_THREAD {
                    pending.delivered.push(Held { delivery, audited });
                } else {
                    pending.delivered.retain(|h| h.delivery.thread != thread);
                    pending.messages.push(thread);
                }
            }
        }
        self.notify.notify_one();
    }

    /// Waits until something is waiting, then takes all of it.
    pub async fn next(&self) -> Pending {
        loop {
            let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            if !taken.is_empty() {
                return taken;
            }
            self.notify.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wakes_are_gathered_each_thread_once() {
        let inbox = Inbox::default();
        let (a, b) = (ThreadId::new(), ThreadId::new());
        for wake in [Wake::Message(a), Wake::Message(b), Wake::Message(a), Wake::Read(a), Wake::Read(a)] {
            inbox.add(wake);
        }
        let taken = inbox.next().await;
        assert_eq!((taken.messages, taken.reads), (vec![a, b], vec![a]));
        // Nothing more is waiting until the next wake-up.
        let later = tokio::time::timeout(std::time::Duration::from_millis(20), inbox.next()).await;
        assert!(later.is_err(), "an empty inbox waits");
        inbox.add(Wake::Read(b));
        let taken = inbox.next().await;
        assert_eq!((taken.messages, taken.reads), (vec![], vec![b]));
    }

    fn delivery(thread: ThreadId, seq: i64) -> Arc<Delivery> {
        Delivery::sample(thread, seq, haven_domain::UserId::new())
    }

    #[tokio::test]
    async fn messages_are_held_whole_until_too_many_then_the_thread_is_read() {
        let inbox = Inbox::default();
        let (a, b) = (ThreadId::new(), ThreadId::new());
        inbox.deliver(delivery(a, 1), true);
        inbox.deliver(delivery(b, 1), true);
        inbox.deliver(delivery(a, 2), true);
        let taken = inbox.next().await;
        let held: Vec<(ThreadId, i64)> = taken.delivered.iter().map(|h| (h.delivery.thread, h.delivery.seq)).collect();
        assert_eq!(held, vec![(a, 1), (b, 1), (a, 2)]);
        assert!(taken.messages.is_empty());

        for seq in 1..=HELD_PER_THREAD as i64 + 1 {
            inbox.deliver(delivery(a, seq), true);
        }
        inbox.deliver(delivery(b, 7), false);
        let taken = inbox.next().await;
        assert_eq!(taken.messages, vec![a], "past the limit, the thread is read instead");
        let held: Vec<(ThreadId, i64)> = taken.delivered.iter().map(|h| (h.delivery.thread, h.delivery.seq)).collect();
        assert_eq!(held, vec![(b, 7)], "other threads keep theirs");

        // A thread already due to be read holds nothing more.
        inbox.add(Wake::Message(a));
        inbox.deliver(delivery(a, 99), true);
        let taken = inbox.next().await;
        assert_eq!((taken.messages, taken.delivered.len()), (vec![a], 0));
    }
}
