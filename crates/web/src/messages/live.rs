//! Messaging over the live WebSocket. The protocol (JSON text frames):
//!
//! - `{"type":"follow","thread":T,"after":N}`: send me thread T's messages numbered after
//!   N, then every new one as it is stored, and read receipts. After a reconnect the client
//!   follows again with the last number it saw and gets exactly what it missed.
//! - `{"type":"send","thread":T,"client_id":C,"body":B}`: store a message. The answer,
//!   `{"type":"ack","client_id":C,"seq":N}`, comes only after it is stored; a resend with
//!   the same C stores nothing new and is acknowledged with the same N.
//! - `{"type":"read","thread":T,"seq":N}`: I have read up to N (read receipts).
//!
//! Server frames: `message`, `synced` (caught up to N), `receipts`, `ack`, `error` (with a
//! `code`, and the `client_id` when it refuses a send). Errors leave the connection open.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use haven_domain::ThreadId;
use haven_domain::audit::{AuditAction, Outcome};
use haven_store::Thread;
use serde_json::{Value, json};

use super::{body, is_member, service};
use crate::audit;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::live::Delivery;
use crate::live::delivery::FileShown;
use crate::live::hub::Listener;
use crate::live::inbox::{Held, Inbox};
use crate::state::AppState;

/// Messages sent per query while catching up.
const BATCH: i64 = 200;
/// Threads one socket may follow.
const MAX_FOLLOWED: usize = 200;

/// The threads a socket follows and the last number it has sent for each, where their
/// wake-ups arrive, and the socket's send allowance.
pub struct Following {
    /// This socket, as the hub knows it.
    listener: Listener,
    threads: HashMap<ThreadId, (Thread, i64)>,
    /// Made on the first follow: a socket that follows nothing needs none.
    inbox: Option<Arc<Inbox>>,
    /// Threads recently sent to without following them, newest last.
    sent_to: Vec<Thread>,
    allowance: Option<(f64, std::time::Instant)>,
}

/// Threads a socket remembers having sent to.
const REMEMBERED: usize = 8;

impl Following {
    /// A token bucket per socket, in memory (a send costs no extra database write): the
    /// practice's per-minute limit as burst, refilled evenly. Page posts use the database's
    /// counter, shared by all instances.
    fn may_send(&mut self, per_minute: i64) -> bool {
        let capacity = per_minute.max(1) as f64;
        let now = std::time::Instant::now();
        let (tokens, since) = self.allowance.unwrap_or((capacity, now));
        let tokens = (tokens + now.duration_since(since).as_secs_f64() * capacity / 60.0).min(capacity);
        if tokens < 1.0 {
            self.allowance = Some((tokens, now));
            return false;
        }
        self.allowance = Some((tokens - 1.0, now));
        true
    }
}

impl Following {
    #[must_use]
    pub fn new(listener: Listener) -> Self {
        Self { listener, threads: HashMap::new(), inbox: None, sent_to: Vec::new(), allowance: None }
    }

    fn sent_to(&self, thread: ThreadId) -> Option<Thread> {
        self.sent_to.iter().find(|t| t.id == thread).copied()
    }

    fn remember(&mut self, thread: Thread) {
        if self.follows(thread.id) || self.sent_to(thread.id).is_some() {
            return;
        }
        if self.sent_to.len() == REMEMBERED {
            self.sent_to.remove(0);
        }
        self.sent_to.push(thread);
    }

    #[must_use]
    pub fn follows(&self, thread: ThreadId) -> bool {
        self.threads.contains_key(&thread)
    }

    pub fn all(&self) -> Vec<ThreadId> {
        self.threads.keys().copied().collect()
    }

    /// Where this socket's wake-ups arrive, once it follows something.
    #[must_use]
    pub fn inbox(&self) -> Option<Arc<Inbox>> {
        self.inbox.clone()
    }

    fn start(&mut self, state: &AppState, thread: Thread, after: i64) {
        let inbox = self.inbox.get_or_insert_with(Arc::default);
        state.hub.follow(thread.id, self.listener, inbox);
        self.threads.insert(thread.id, (thread, after));
    }

    fn stop(&mut self, state: &AppState, thread: ThreadId) {
        self.threads.remove(&thread);
        state.hub.unfollow(&[thread], self.listener.socket);
    }

    /// Stops every wake-up for this socket (it is closing).
    pub fn stop_all(&mut self, state: &AppState) {
        state.hub.unfollow(&self.all(), self.listener.socket);
        self.threads.clear();
    }
}

fn error(code: &str) -> Value {
    json!({ "type": "error", "code": code })
}

/// Answers one frame from the client with zero or more frames.
pub async fn handle(state: &AppState, peer: SocketAddr, current: &CurrentUser, following: &mut Following, frame: &Value) -> Result<Vec<Value>, AppError> {
    let thread_id = frame["thread"].as_str().and_then(|t| t.parse::<ThreadId>().ok());
    match frame["type"].as_str() {
        Some("follow") => {
            let Some(thread) = member_thread(state, peer, current, thread_id).await? else { return Ok(vec![error("unknown-thread")]) };
            if following.threads.len() >= MAX_FOLLOWED && !following.follows(thread.id) {
                return Ok(vec![error("too-many-threads")]);
            }
            let after = frame["after"].as_i64().unwrap_or(0).max(0);
            audit::record(state, peer, service::entry(current, &thread, AuditAction::Read, Outcome::Success)).await?;
            following.start(state, thread, after);
            let mut out = catch_up(state, current, following, thread.id).await?;
            out.push(receipts(state, &thread).await?);
            Ok(out)
        }
        Some("send") => {
            let client_id = frame["client_id"].as_str().unwrap_or_default().to_owned();
            let refuse = |code: &str| json!({ "type": "error", "code": code, "client_id": client_id });
            // A thread this socket follows or sent to was loaded already (a thread's practice
            // and patient never change); membership is still checked on every send (the care
            // team may have changed).
            let thread = match thread_id.and_then(|t| followed(following, t).or_else(|| following.sent_to(t))) {
                Some(t) if is_member(state, current, &t).await? => Some(t),
                _ => member_thread(state, peer, current, thread_id).await?,
            };
            let Some(thread) = thread else { return Ok(vec![refuse("unknown-thread")]) };
            following.remember(thread);
            let Some(text) = frame["body"].as_str() else { return Ok(vec![refuse("message-error-empty")]) };
            if !following.may_send(state.config.messages_per_minute) {
                return Ok(vec![refuse("message-error-too-many")]);
            }
            match service::send(state, peer, current, &thread, &client_id, text, None).await? {
                Ok(sent) => Ok(vec![json!({ "type": "ack", "client_id": client_id, "seq": sent.seq, "thread": thread.id })]),
                Err(key) => Ok(vec![refuse(key)]),
            }
        }
        Some("read") => {
            let Some((thread, _)) = thread_id.and_then(|t| following.threads.get(&t)).copied() else { return Ok(vec![error("unknown-thread")]) };
            if !is_member(state, current, &thread).await? {
                following.stop(state, thread.id);
                return Ok(vec![error("unknown-thread")]);
            }
            let seq = frame["seq"].as_i64().unwrap_or(0);
            service::mark_read(state, current, &thread, seq).await?;
            Ok(Vec::new())
        }
        Some("ping") => Ok(vec![json!({ "type": "pong" })]),
        Some(_) => Ok(vec![error("unknown-type")]),
        None => Ok(vec![error("malformed")]),
    }
}

/// The thread, if it exists and `current` is a member; a non-member's attempt is audited.
async fn member_thread(state: &AppState, peer: SocketAddr, current: &CurrentUser, id: Option<ThreadId>) -> Result<Option<Thread>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let Some(thread) = state.store.thread(id).await? else { return Ok(None) };
    if is_member(state, current, &thread).await? {
        return Ok(Some(thread));
    }
    audit::record(state, peer, service::entry(current, &thread, AuditAction::AccessDenied, Outcome::Denied)).await?;
    Ok(None)
}

/// New messages for followed threads. Messages stored on this instance arrive whole and go
/// out as they are, when they continue exactly from what the socket has sent (membership
/// was read by the send, and this socket's reading was usually recorded with the message:
/// see `service::send`). Any other thread with news is read from the database, with
/// membership checked again (the care team may have changed; a former member stops
/// receiving): wake-ups from other instances, a gap, or too many held at once. Whatever
/// queued up while the socket was busy is served together, every thread's reads at once and
/// one audit transaction for all deliveries, so a socket following many busy threads keeps
/// up. Each delivery is a read, audited before it is sent.
pub async fn push(
    state: &AppState,
    peer: SocketAddr,
    current: &CurrentUser,
    following: &mut Following,
    woken: &[ThreadId],
    delivered: &[Held],
) -> Result<Vec<Value>, AppError> {
    let mut to_read: Vec<ThreadId> = woken.iter().copied().filter(|t| following.follows(*t)).collect();
    // Thread, frames, new last number, and whether its reading still needs recording.
    let mut handed: Vec<(Thread, Vec<Value>, i64, bool)> = Vec::new();
    for thread in distinct(delivered.iter().map(|h| h.delivery.thread)) {
        let Some((t, last)) = following.threads.get(&thread).copied() else { continue };
        if to_read.contains(&thread) {
            continue;
        }
        match in_order(delivered.iter().filter(|h| h.delivery.thread == thread), last) {
            Some(run) if run.is_empty() => {}
            Some(run) => {
                let new_last = run.last().map_or(last, |h| h.delivery.seq);
                let unrecorded = run.iter().any(|h| !h.audited);
                let mut frames: Vec<Value> = run.iter().map(|h| frame(&h.delivery, current)).collect();
                frames.push(synced(thread, new_last));
                handed.push((t, frames, new_last, unrecorded));
            }
            None => to_read.push(thread),
        }
    }

    let wanted: Vec<(Thread, i64)> = to_read.iter().filter_map(|t| following.threads.get(t).copied()).collect();
    let reads = futures_util::future::join_all(wanted.iter().map(|(thread, last)| async move {
        // What was read is dropped unless the person is still a member.
        let (member, after) = tokio::join!(is_member(state, current, thread), read_after(state, current, thread.id, *last));
        (member, after)
    }))
    .await;
    let mut out = Vec::new();
    let mut entries = Vec::new();
    let mut advanced = Vec::new();
    for (thread, frames, last, unrecorded) in handed {
        if unrecorded {
            entries.push(service::entry(current, &thread, AuditAction::Read, Outcome::Success));
        }
        advanced.push((thread.id, last));
        out.extend(frames);
    }
    for ((thread, _), (member, after)) in wanted.iter().zip(reads) {
        if !member? {
            following.stop(state, thread.id);
            out.push(error("unknown-thread"));
            continue;
        }
        let (frames, last) = after?;
        if frames.iter().any(|f| f["type"] == "message") {
            entries.push(service::entry(current, thread, AuditAction::Read, Outcome::Success));
        }
        advanced.push((thread.id, last));
        out.extend(frames);
    }
    // Nothing is sent, and the socket's place isn't moved, unless the reads are on record.
    audit::record_all(state, peer, entries).await?;
    for (thread, last) in advanced {
        if let Some(entry) = following.threads.get_mut(&thread) {
            entry.1 = last;
        }
    }
    Ok(out)
}

/// Each value once, in first-seen order.
fn distinct<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// The held messages that continue a thread from `last`, in order (those already sent are
/// skipped); `None` when one is missing in between, and the thread must be read instead.
fn in_order<'a>(held: impl Iterator<Item = &'a Held>, last: i64) -> Option<Vec<&'a Held>> {
    let mut run: Vec<&Held> = held.filter(|h| h.delivery.seq > last).collect();
    run.sort_by_key(|h| h.delivery.seq);
    run.dedup_by_key(|h| h.delivery.seq);
    let unbroken = run.iter().zip(last + 1..).all(|(h, expected)| h.delivery.seq == expected);
    unbroken.then_some(run)
}

/// Everything after what this socket has sent for the thread, then `synced`.
pub async fn catch_up(state: &AppState, current: &CurrentUser, following: &mut Following, thread: ThreadId) -> Result<Vec<Value>, AppError> {
    let Some((_, last)) = following.threads.get(&thread).copied() else { return Ok(Vec::new()) };
    let (frames, last) = read_after(state, current, thread, last).await?;
    if let Some(entry) = following.threads.get_mut(&thread) {
        entry.1 = last;
    }
    Ok(frames)
}

/// The thread's messages after `last` as frames, then `synced`; and the new last number.
async fn read_after(state: &AppState, current: &CurrentUser, thread: ThreadId, mut last: i64) -> Result<(Vec<Value>, i64), AppError> {
    let mut out = Vec::new();
    loop {
        let batch = state.store.messages_after(thread, last, BATCH).await?;
        let full = i64::try_from(batch.len()).unwrap_or(0) == BATCH;
        for m in batch {
            let m = shown(state, m)?;
            last = m.seq;
            out.push(frame(&m, current));
        }
        if !full {
            break;
        }
    }
    out.push(synced(thread, last));
    Ok((out, last))
}

/// A stored message, opened, as a frame shows it.
fn shown(state: &AppState, m: haven_store::StoredMessage) -> Result<Delivery, AppError> {
    Ok(Delivery {
        body: body(state, &m)?,
        thread: m.thread,
        seq: m.seq,
        id: m.id,
        sender: m.sender,
        sender_name: m.sender_name,
        client_id: m.client_id,
        at: m.created_at,
        automatic: m.automatic,
        file: m.attachment.map(|a| FileShown { id: a.id, name: a.name, size: a.size }),
    })
}

/// The `message` frame for one reader: the sender's own sockets also get the client id.
fn frame(m: &Delivery, reader: &CurrentUser) -> Value {
    let mine = m.sender == reader.user.id;
    let mut frame = json!({
        "type": "message",
        "thread": m.thread,
        "seq": m.seq,
        "id": m.id,
        "sender": m.sender,
        "sender_name": m.sender_name,
        "mine": mine,
        "body": m.body,
        "at": m.at,
        "automatic": m.automatic,
    });
    if mine {
        frame["client_id"] = json!(m.client_id);
    }
    if let Some(f) = &m.file {
        frame["file"] = json!({ "url": format!("/messages/{}/files/{}", m.thread, f.id), "name": f.name, "size": f.size });
    }
    frame
}

fn synced(thread: ThreadId, seq: i64) -> Value {
    json!({ "type": "synced", "thread": thread, "seq": seq })
}

/// Every member's read marker, by id.
pub async fn receipts(state: &AppState, thread: &Thread) -> Result<Value, AppError> {
    let list = state.store.read_markers(thread.id).await?;
    let names = state.store.display_names(&list.iter().map(|(u, _)| *u).collect::<Vec<_>>()).await?;
    let markers: serde_json::Map<String, Value> = list.iter().map(|(u, s)| (u.to_string(), json!(s))).collect();
    let names: serde_json::Map<String, Value> = names.into_iter().map(|(u, n)| (u.to_string(), json!(n))).collect();
    Ok(json!({ "type": "receipts", "thread": thread.id, "read": markers, "names": names }))
}

/// The thread object a socket follows, for receipts after a wake-up.
#[must_use]
pub fn followed(following: &Following, thread: ThreadId) -> Option<Thread> {
    following.threads.get(&thread).map(|(t, _)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(thread: ThreadId, seq: i64) -> Held {
        Held { delivery: Delivery::sample(thread, seq, haven_domain::UserId::new()), audited: true }
    }

    fn seqs(run: Option<Vec<&Held>>) -> Option<Vec<i64>> {
        run.map(|r| r.iter().map(|h| h.delivery.seq).collect())
    }

    #[test]
    fn held_messages_go_out_only_when_they_continue_from_the_last_sent() {
        let t = ThreadId::new();
        let list = [held(t, 5), held(t, 4), held(t, 3), held(t, 4)];
        assert_eq!(seqs(in_order(list.iter(), 2)), Some(vec![3, 4, 5]), "sorted, a repeat once");
        assert_eq!(seqs(in_order(list.iter(), 4)), Some(vec![5]), "what was sent already is skipped");
        assert_eq!(seqs(in_order(list.iter(), 5)), Some(vec![]));
        assert_eq!(seqs(in_order(list.iter(), 1)), None, "2 is missing: read the thread");
        let gap = [held(t, 3), held(t, 5)];
        assert_eq!(seqs(in_order(gap.iter(), 2)), None);
    }
}
