//! A socket's events: what the hub delivered for the topics it follows, until the socket
//! takes them all at once (a busy socket serves many events with one round of work). The
//! inbox is bounded: past [`MAX_PENDING`] events, further ones are dropped and the channel
//! is told it overflowed, so it catches up from the database instead. Made on the first
//! follow: a socket that follows nothing has none.

use std::collections::VecDeque;
use std::sync::Mutex;

use tokio::sync::Notify;

use super::{Event, Topic};

/// Events held for one socket.
pub const MAX_PENDING: usize = 1024;

#[derive(Default)]
pub struct Inbox {
    pending: Mutex<Pending>,
    notify: Notify,
}

#[derive(Default)]
struct Pending {
    events: VecDeque<(Topic, Event)>,
    overflowed: Vec<&'static str>,
}

/// What a socket had waiting.
#[derive(Default, Debug)]
pub struct Batch {
    pub events: Vec<(Topic, Event)>,
    /// Channels some of whose events were dropped.
    pub overflowed: Vec<&'static str>,
}

impl Inbox {
    pub fn push(&self, topic: Topic, event: Event) {
        {
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if pending.events.len() < MAX_PENDING {
                pending.events.push_back((topic, event));
            } else if !pending.overflowed.contains(&topic.channel) {
                pending.overflowed.push(topic.channel);
            }
        }
        self.notify.notify_one();
    }

    /// Waits until something is waiting, then takes all of it.
    pub async fn next(&self) -> Batch {
        loop {
            {
                let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if !pending.events.is_empty() || !pending.overflowed.is_empty() {
                    return Batch { events: pending.events.drain(..).collect(), overflowed: std::mem::take(&mut pending.overflowed) };
                }
            }
            self.notify.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic() -> Topic {
        Topic::new("test", uuid::Uuid::nil())
    }

    #[tokio::test]
    async fn events_are_taken_together_in_order() {
        let inbox = Inbox::default();
        inbox.push(topic(), Event::Wake("a".into()));
        inbox.push(topic(), Event::Wake("b".into()));
        let batch = inbox.next().await;
        let kinds: Vec<String> = batch.events.iter().map(|(_, e)| format!("{e:?}")).collect();
        assert_eq!(kinds, vec!["Wake(a)", "Wake(b)"]);
        let nothing = tokio::time::timeout(std::time::Duration::from_millis(20), inbox.next()).await;
        assert!(nothing.is_err(), "an empty inbox waits");
    }

    #[tokio::test]
    async fn past_the_bound_the_channel_is_told_it_overflowed() {
        let inbox = Inbox::default();
        for _ in 0..MAX_PENDING + 5 {
            inbox.push(topic(), Event::Wake("m".into()));
        }
        let batch = inbox.next().await;
        assert_eq!(batch.events.len(), MAX_PENDING);
        assert_eq!(batch.overflowed, vec!["test"]);
    }
}
