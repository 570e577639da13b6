//! A socket's wake-ups: which of the threads it follows have new messages or new read
//! receipts. The hub adds to the inbox of each socket that follows a thread (and only
//! those: an idle socket costs nothing per message); the socket takes everything waiting at
//! once, each thread once, so a busy socket serves many wake-ups with one round of reads.
//! The inbox holds at most one entry per followed thread, so it can't grow without bound.

use std::sync::Mutex;

use haven_domain::ThreadId;
use tokio::sync::Notify;

use super::Wake;

#[derive(Default)]
pub struct Inbox {
    pending: Mutex<Pending>,
    notify: Notify,
}

/// What a socket has waiting.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// Threads with new messages.
    pub messages: Vec<ThreadId>,
    /// Threads whose read markers moved.
    pub reads: Vec<ThreadId>,
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
        }
        self.notify.notify_one();
    }

    /// Waits until something is waiting, then takes all of it.
    pub async fn next(&self) -> Pending {
        loop {
            let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            if taken != Pending::default() {
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
        assert_eq!(inbox.next().await, Pending { messages: vec![a, b], reads: vec![a] });
        // Nothing more is waiting until the next wake-up.
        let later = tokio::time::timeout(std::time::Duration::from_millis(20), inbox.next()).await;
        assert!(later.is_err(), "an empty inbox waits");
        inbox.add(Wake::Read(b));
        assert_eq!(inbox.next().await, Pending { messages: vec![], reads: vec![b] });
    }
}
