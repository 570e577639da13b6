//! Between instances that share PostgreSQL: what one instance publishes, and every ending
//! of a session, reaches the others through `NOTIFY`. A wake-up carries ids only; a frame is
//! stored sealed in `live_events` and the notification names its row. A lost notification
//! is covered by what the clients do anyway (follow again on reconnect; sockets re-check
//! their session every few seconds). On SQLite there is one instance and nothing to tell.
//!
//! Signals (text, at most a few ids, never content):
//! - `end-user:<user>`, `end-session:<user>:<session>`: close those sockets, forget those
//!   sessions' cached look-ups;
//! - `user-changed:<user>`: forget the person's cached look-ups (their name, their roles);
//! - `wake:<channel>:<key>:<instance>:<kind>`: an [`Event::Wake`] on a topic;
//! - `ev:<id>`: an [`Event::Frame`] stored as row `<id>`.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::{SessionId, UserId};
use haven_store::Backend;
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::channel::Channels;
use super::event::{Event, Topic};
use super::hub::Hub;
use crate::identity::sessions::Sessions;

fn payload_aad(id: Uuid) -> String {
    format!("live_events.payload:{id}")
}

impl Hub {
    fn shared(&self) -> bool {
        self.store.backend() == Backend::Postgres
    }

    /// Sends `event` on `topic` to the other instances (a `Local` event stays here).
    pub async fn tell_others(&self, topic: Topic, event: &Event) {
        if !self.shared() {
            return;
        }
        let sent = match event {
            Event::Wake(kind) => self.store.publish(&format!("wake:{}:{}:{}:{kind}", topic.channel, topic.key, self.instance.0)).await,
            Event::Frame { from, to, frame } => {
                let id = Uuid::now_v7();
                let body = json!({ "from": from, "to": to, "frame": frame }).to_string();
                let sealed = self.vault.seal(&payload_aad(id), body.as_bytes());
                self.store.publish_event(id, &format!("{}:{}", topic.channel, topic.key), self.instance.0, &sealed, self.clock.now()).await
            }
            Event::Local(_) => return,
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, channel = topic.channel, "could not tell the other instances; their clients catch up on reconnect");
        }
    }

    /// Tells the other instances a signal about people or sessions.
    pub(crate) async fn signal(&self, signal: &str) {
        if !self.shared() {
            return;
        }
        if let Err(e) = self.store.publish(signal).await {
            tracing::warn!(error = %e, "could not signal the other instances; their sockets close at their next check");
        }
    }
}

#[must_use]
pub fn end_user_signal(user: UserId) -> String {
    format!("end-user:{user}")
}

#[must_use]
pub fn end_session_signal(user: UserId, session: SessionId) -> String {
    format!("end-session:{user}:{session}")
}

#[must_use]
pub fn user_changed_signal(user: UserId) -> String {
    format!("user-changed:{user}")
}

/// What the listener acts on: this instance's sockets, its cached session look-ups, and
/// the channel names that topics from other instances may carry.
#[derive(Clone)]
pub struct Listener {
    pub hub: Arc<Hub>,
    pub sessions: Arc<Sessions>,
    pub channels: Channels,
}

impl Listener {
    /// Applies a signal from another instance here. PostgreSQL delivers an instance's own
    /// notifications to it too; those were applied when sent, and are skipped where that
    /// matters.
    async fn apply(&self, payload: &str) {
        let hub = &self.hub;
        let mut parts = payload.splitn(5, ':');
        match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("end-user"), Some(user), None, _, _) => {
                if let Ok(user) = user.parse() {
                    hub.end_user(user);
                    self.sessions.forget_user(user);
                }
            }
            (Some("end-session"), Some(user), Some(session), None, _) => {
                if let (Ok(user), Ok(session)) = (user.parse(), session.parse()) {
                    hub.end_session(user, session);
                    self.sessions.forget_session(session);
                }
            }
            (Some("user-changed"), Some(user), None, _, _) => {
                if let Ok(user) = user.parse() {
                    self.sessions.forget_user(user);
                }
            }
            (Some("wake"), Some(channel), Some(key), Some(instance), Some(kind)) => {
                if instance.parse::<Uuid>().ok() == Some(hub.instance.0) {
                    return;
                }
                if let (Some(channel), Ok(key)) = (self.channels.name(channel), key.parse::<Uuid>()) {
                    hub.publish_here(Topic::new(channel, key), &Event::Wake(kind.to_owned()));
                }
            }
            (Some("ev"), Some(id), None, _, _) => {
                if let Ok(id) = id.parse::<Uuid>() {
                    self.arrived(id).await;
                }
            }
            _ => tracing::debug!("ignored an unknown signal"),
        }
    }

    /// A frame another instance stored: read it, open it, pass it to this instance's
    /// followers.
    async fn arrived(&self, id: Uuid) {
        let hub = &self.hub;
        let event = match hub.store.live_event(id).await {
            Ok(Some(event)) => event,
            Ok(None) => return,
            Err(e) => return tracing::debug!(error = %e, "a live event could not be read"),
        };
        if event.instance == hub.instance.0 {
            return;
        }
        let Some((channel, key)) = event.topic.split_once(':') else { return };
        let (Some(channel), Ok(key)) = (self.channels.name(channel), key.parse::<Uuid>()) else { return };
        let Ok(plain) = hub.vault.open(&payload_aad(id), &event.payload) else {
            return tracing::warn!("a live event from another instance could not be opened (do the instances share a key file?)");
        };
        let Ok(body) = serde_json::from_slice::<Value>(&plain) else { return };
        let person = |field: &str| body.get(field).and_then(Value::as_str).and_then(|s| s.parse::<UserId>().ok());
        let frame = body.get("frame").cloned().unwrap_or(Value::Null);
        hub.publish_here(Topic::new(channel, key), &Event::Frame { from: person("from"), to: person("to"), frame });
    }

    /// Listens for the other instances' signals (PostgreSQL only), reconnecting after
    /// outages.
    #[must_use]
    pub fn spawn(self) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.hub.store.subscribe().await {
                    Ok(None) => return,
                    Ok(Some(mut subscription)) => loop {
                        match subscription.next().await {
                            Ok(payload) => self.apply(&payload).await,
                            Err(e) => {
                                tracing::debug!(error = %e, "the signal listener lost its connection");
                                break;
                            }
                        }
                    },
                    Err(e) => tracing::debug!(error = %e, "the signal listener can't connect yet"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_name_ids_only() {
        let (user, session) = (UserId::new(), SessionId::new());
        assert_eq!(end_session_signal(user, session), format!("end-session:{user}:{session}"));
        assert_eq!(end_user_signal(user), format!("end-user:{user}"));
        assert_eq!(user_changed_signal(user), format!("user-changed:{user}"));
    }
}
