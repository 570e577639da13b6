//! Ending sessions' live sockets on every instance: here at once through the hub, and on
//! the others through the database's wake-up signal (PostgreSQL `NOTIFY`). A signal that
//! gets lost is covered by each socket's periodic re-check of its session.

use std::time::Duration;

use haven_domain::{SessionId, UserId};
use tokio::task::JoinHandle;

use super::hub::Instance;
use crate::state::AppState;

fn user_signal(user: UserId) -> String {
    format!("end-user:{user}")
}

fn session_signal(user: UserId, session: SessionId) -> String {
    format!("end-session:{user}:{session}")
}

impl AppState {
    /// Closes every socket of this person, everywhere.
    pub async fn revoke_user(&self, user: UserId) {
        self.hub.end_user(user);
        if let Err(e) = self.store.publish(&user_signal(user)).await {
            tracing::warn!(error = %e, "could not signal other instances; their sockets close at their next check");
        }
    }

    /// Closes the sockets of one session, everywhere.
    pub async fn revoke_session(&self, user: UserId, session: SessionId) {
        self.hub.end_session(user, session);
        if let Err(e) = self.store.publish(&session_signal(user, session)).await {
            tracing::warn!(error = %e, "could not signal other instances; their sockets close at their next check");
        }
    }
}

impl AppState {
    /// Wakes the thread's followers here at once and on other instances through the
    /// database's notification (a lost one is covered by clients' resume on reconnect).
    pub async fn announce(&self, wake: super::Wake) {
        self.hub.wake(wake);
        self.tell_others(wake).await;
    }

    /// Hands a message just stored to this instance's followers of its thread (see
    /// `Hub::hand_off`) and wakes the other instances' followers to read it.
    pub async fn deliver(&self, delivery: &std::sync::Arc<super::Delivery>, members: &[UserId], audited: &[u64]) {
        self.hub.hand_off(delivery, members, audited);
        self.tell_others(super::Wake::Message(delivery.thread)).await;
    }

    async fn tell_others(&self, wake: super::Wake) {
        if let Err(e) = self.store.publish(&wake_signal(wake, self.hub.instance)).await {
            tracing::warn!(error = %e, "could not signal other instances about a message");
        }
    }
}

/// `msg:<thread>:<instance>` or `read:<thread>:<instance>`: ids only, never content.
fn wake_signal(wake: super::Wake, from: Instance) -> String {
    match wake {
        super::Wake::Message(thread) => format!("msg:{thread}:{}", from.0),
        super::Wake::Read(thread) => format!("read:{thread}:{}", from.0),
    }
}

/// Applies a signal from another instance to this instance's sockets. PostgreSQL delivers
/// an instance's own notifications to it too; those wake-ups were applied when sent.
fn apply(state: &AppState, payload: &str) {
    let mut parts = payload.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("end-user"), Some(user), None) => {
            if let Ok(user) = user.parse() {
                state.hub.end_user(user);
            }
        }
        (Some("end-session"), Some(user), Some(session)) => {
            if let (Ok(user), Ok(session)) = (user.parse(), session.parse()) {
                state.hub.end_session(user, session);
            }
        }
        (Some(kind @ ("msg" | "read")), Some(thread), Some(from)) => {
            if from.parse().ok().map(Instance) == Some(state.hub.instance) {
                return;
            }
            if let Ok(thread) = thread.parse() {
                state.hub.wake(if kind == "msg" { super::Wake::Message(thread) } else { super::Wake::Read(thread) });
            }
        }
        _ => tracing::debug!("ignored an unknown signal"),
    }
}

/// Listens for other instances' signals (PostgreSQL only), reconnecting after outages.
pub fn spawn_signal_listener(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match state.store.subscribe().await {
                Ok(None) => return,
                Ok(Some(mut subscription)) => loop {
                    match subscription.next().await {
                        Ok(payload) => apply(&state, &payload),
                        Err(e) => {
                            tracing::debug!(error = %e, "signal listener lost its connection");
                            break;
                        }
                    }
                },
                Err(e) => tracing::debug!(error = %e, "signal listener can't connect yet"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_name_ids_only_and_parse_back() {
        let (user, session) = (UserId::new(), SessionId::new());
        let signal = session_signal(user, session);
        let mut parts = signal.split(':');
        assert_eq!(parts.next(), Some("end-session"));
        assert_eq!(parts.next().unwrap().parse::<UserId>().unwrap(), user);
        assert_eq!(parts.next().unwrap().parse::<SessionId>().unwrap(), session);
        assert!(user_signal(user).starts_with("end-user:"));
        let (thread, from) = (haven_domain::ThreadId::new(), Instance::default());
        assert_eq!(wake_signal(super::super::Wake::Message(thread), from), format!("msg:{thread}:{}", from.0));
    }
}
