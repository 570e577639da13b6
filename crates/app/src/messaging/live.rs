//! Messaging over the live socket, as a channel of the hub. The protocol (JSON text frames):
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
use std::sync::Arc;

use haven_domain::ThreadId;
use haven_domain::audit::AuditAction;
use haven_store::Thread;
use serde_json::{Value, json};

use super::delivery::{Delivery, FileShown, Handed};
use super::{CHANNEL, Messaging, entry, topic};
use crate::actor::Actor;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::future::BoxFuture;
use crate::live::{Channel, Connection, Event, Topic};

/// Messages sent per query while catching up.
const BATCH: i64 = 200;
/// Threads one socket may follow.
const MAX_FOLLOWED: usize = 200;
/// Threads a socket remembers having sent to.
const REMEMBERED: usize = 8;
/// Messages held for one thread in one batch before the socket reads the thread instead.
const HELD_PER_THREAD: usize = 64;

/// The threads a socket follows and the last number it has sent for each, and the threads
/// it recently sent to without following them.
#[derive(Default)]
pub struct Following {
    threads: HashMap<ThreadId, (Thread, i64)>,
    sent_to: Vec<Thread>,
}

impl Following {
    fn sent_to(&self, thread: ThreadId) -> Option<Thread> {
        self.sent_to.iter().find(|t| t.id == thread).copied()
    }

    fn remember(&mut self, thread: Thread) {
        if self.threads.contains_key(&thread.id) || self.sent_to(thread.id).is_some() {
            return;
        }
        if self.sent_to.len() == REMEMBERED {
            self.sent_to.remove(0);
        }
        self.sent_to.push(thread);
    }

    fn followed(&self, thread: ThreadId) -> Option<Thread> {
        self.threads.get(&thread).map(|(t, _)| *t)
    }
}

/// A message held for this socket, and whether its reading by this socket was recorded
/// with the message (otherwise the socket records it before sending).
struct Held {
    delivery: Arc<Delivery>,
    audited: bool,
}

pub struct ThreadChannel {
    messaging: Arc<Messaging>,
    cx: Ctx,
}

impl ThreadChannel {
    #[must_use]
    pub fn new(messaging: Arc<Messaging>) -> Self {
        let cx = messaging.cx().clone();
        Self { messaging, cx }
    }
}

fn error(code: &str) -> Value {
    json!({ "type": "error", "code": code })
}

impl Channel for ThreadChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts(&self, frame_type: &str) -> bool {
        matches!(frame_type, "follow" | "send" | "read")
    }

    fn handle<'a>(&'a self, conn: &'a mut Connection, frame: &'a Value) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(handle(self, conn, frame))
    }

    fn deliver<'a>(&'a self, conn: &'a mut Connection, events: Vec<(Topic, Event)>, overflowed: bool) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(deliver(self, conn, events, overflowed))
    }

    fn failed(&self, frame: &Value) -> Value {
        // The client keeps what it sent and tries again; nothing was stored.
        let mut answer = error("unavailable");
        if let Some(id) = frame.get("client_id") {
            answer["client_id"] = id.clone();
        }
        answer
    }
}

/// The thread, if it exists and `actor` is a member; a non-member's attempt is audited.
async fn member_thread(ch: &ThreadChannel, actor: &Actor, id: Option<ThreadId>) -> Result<Option<Thread>> {
    let Some(id) = id else { return Ok(None) };
    match ch.messaging.thread_for(actor, id).await {
        Ok(thread) => Ok(Some(thread)),
        Err(Error::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn handle(ch: &ThreadChannel, conn: &mut Connection, frame: &Value) -> Result<Vec<Value>> {
    let thread_id = frame["thread"].as_str().and_then(|t| t.parse::<ThreadId>().ok());
    let actor = conn.actor.clone();
    match frame["type"].as_str() {
        Some("follow") => {
            let Some(thread) = member_thread(ch, &actor, thread_id).await? else { return Ok(vec![error("unknown-thread")]) };
            let following = conn.state::<Following>();
            if following.threads.len() >= MAX_FOLLOWED && !following.threads.contains_key(&thread.id) {
                return Ok(vec![error("too-many-threads")]);
            }
            let after = frame["after"].as_i64().unwrap_or(0).max(0);
            ch.messaging.record_read(&actor, &thread).await?;
            following.threads.insert(thread.id, (thread, after));
            conn.follow(topic(thread.id));
            let (mut out, last) = read_after(ch, &actor, thread.id, after).await?;
            if let Some(entry) = conn.state::<Following>().threads.get_mut(&thread.id) {
                entry.1 = last;
            }
            out.push(receipts(ch, &thread).await?);
            Ok(out)
        }
        Some("send") => {
            let client_id = frame["client_id"].as_str().unwrap_or_default().to_owned();
            let refuse = |code: &str| json!({ "type": "error", "code": code, "client_id": client_id });
            // A thread this socket follows or sent to was loaded already (a thread's practice
            // and patient never change); membership is still checked on every send (the care
            // team may have changed).
            let known = thread_id.and_then(|t| {
                let following = conn.state::<Following>();
                following.followed(t).or_else(|| following.sent_to(t))
            });
            let thread = match known {
                Some(t) if ch.messaging.is_member(&actor, &t).await? => Some(t),
                _ => member_thread(ch, &actor, thread_id).await?,
            };
            let Some(thread) = thread else { return Ok(vec![refuse("unknown-thread")]) };
            conn.state::<Following>().remember(thread);
            let Some(text) = frame["body"].as_str() else { return Ok(vec![refuse("message-error-empty")]) };
            match ch.messaging.allow_send(&actor).await {
                Ok(()) => {}
                Err(Error::TooManyRequests(_)) => return Ok(vec![refuse("message-error-too-many")]),
                Err(e) => return Err(e),
            }
            match ch.messaging.send(&actor, &thread, &client_id, text, None).await? {
                Ok(sent) => Ok(vec![json!({ "type": "ack", "client_id": client_id, "seq": sent.seq, "thread": thread.id })]),
                Err(key) => Ok(vec![refuse(key)]),
            }
        }
        Some("read") => {
            let Some(thread) = thread_id.and_then(|t| conn.state::<Following>().followed(t)) else { return Ok(vec![error("unknown-thread")]) };
            if !ch.messaging.is_member(&actor, &thread).await? {
                stop(conn, thread.id);
                return Ok(vec![error("unknown-thread")]);
            }
            let seq = frame["seq"].as_i64().unwrap_or(0);
            ch.messaging.mark_read(&actor, &thread, seq).await?;
            Ok(Vec::new())
        }
        _ => Ok(vec![error("unknown-type")]),
    }
}

fn stop(conn: &mut Connection, thread: ThreadId) {
    conn.state::<Following>().threads.remove(&thread);
    conn.unfollow(topic(thread));
}

/// New messages and read receipts for followed threads. Messages stored on this instance
/// arrive whole and go out as they are, when they continue exactly from what the socket has
/// sent (membership was read by the send, and this socket's reading was usually recorded
/// with the message). Any other thread with news is read from the database, with membership
/// checked again (the care team may have changed; a former member stops receiving):
/// wake-ups from other instances, a gap, too many held at once, or an inbox that
/// overflowed. Whatever queued up while the socket was busy is served together, every
/// thread's reads at once and one audit transaction for all deliveries. Each delivery is a
/// read, audited before it is sent.
async fn deliver(ch: &ThreadChannel, conn: &mut Connection, events: Vec<(Topic, Event)>, overflowed: bool) -> Result<Vec<Value>> {
    let actor = conn.actor.clone();
    let socket = conn.id();
    let mut to_read: Vec<ThreadId> = Vec::new();
    let mut reads: Vec<ThreadId> = Vec::new();
    let mut held: Vec<Held> = Vec::new();
    for (t, event) in events {
        let thread = ThreadId(t.key);
        match event {
            Event::Wake(kind) if kind == "read" => push_once(&mut reads, thread),
            Event::Wake(_) => push_once(&mut to_read, thread),
            Event::Local(any) => {
                if let Ok(handed) = any.downcast::<Handed>() {
                    held.push(Held { audited: handed.audited.contains(&socket), delivery: handed.delivery.clone() });
                }
            }
            Event::Frame { .. } => {}
        }
    }
    let following = conn.state::<Following>();
    if overflowed {
        for thread in following.threads.keys() {
            push_once(&mut to_read, *thread);
        }
    }
    to_read.retain(|t| following.threads.contains_key(t));
    // Thread, frames, new last number, and whether its reading still needs recording.
    let mut handed: Vec<(Thread, Vec<Value>, i64, bool)> = Vec::new();
    for thread in distinct(held.iter().map(|h| h.delivery.thread)) {
        let Some((t, last)) = following.threads.get(&thread).copied() else { continue };
        if to_read.contains(&thread) {
            continue;
        }
        let mine: Vec<&Held> = held.iter().filter(|h| h.delivery.thread == thread).collect();
        match (mine.len() <= HELD_PER_THREAD).then(|| in_order(mine.into_iter(), last)).flatten() {
            Some(run) if run.is_empty() => {}
            Some(run) => {
                let new_last = run.last().map_or(last, |h| h.delivery.seq);
                let unrecorded = run.iter().any(|h| !h.audited);
                let mut frames: Vec<Value> = run.iter().map(|h| frame(&h.delivery, &actor)).collect();
                frames.push(synced(thread, new_last));
                handed.push((t, frames, new_last, unrecorded));
            }
            None => to_read.push(thread),
        }
    }
    let wanted: Vec<(Thread, i64)> = to_read.iter().filter_map(|t| following.threads.get(t).copied()).collect();
    let fetched = futures_util::future::join_all(wanted.iter().map(|(thread, last)| {
        let actor = &actor;
        async move {
            // What was read is dropped unless the person is still a member.
            tokio::join!(ch.messaging.is_member(actor, thread), read_after(ch, actor, thread.id, *last))
        }
    }))
    .await;
    let mut out = Vec::new();
    let mut entries = Vec::new();
    let mut advanced = Vec::new();
    for (thread, frames, last, unrecorded) in handed {
        if unrecorded {
            entries.push(entry(&actor, &thread, AuditAction::Read));
        }
        advanced.push((thread.id, last));
        out.extend(frames);
    }
    let mut stopped = Vec::new();
    for ((thread, _), (member, after)) in wanted.iter().zip(fetched) {
        if !member? {
            stopped.push(thread.id);
            out.push(error("unknown-thread"));
            continue;
        }
        let (frames, last) = after?;
        if frames.iter().any(|f| f["type"] == "message") {
            entries.push(entry(&actor, thread, AuditAction::Read));
        }
        advanced.push((thread.id, last));
        out.extend(frames);
    }
    // Nothing is sent, and the socket's place isn't moved, unless the reads are on record.
    ch.cx.record_all(&actor, entries).await?;
    let following = conn.state::<Following>();
    for (thread, last) in advanced {
        if let Some(entry) = following.threads.get_mut(&thread) {
            entry.1 = last;
        }
    }
    let receipts_for: Vec<Thread> = reads.iter().filter_map(|t| following.followed(*t)).collect();
    for thread in stopped {
        stop(conn, thread);
    }
    for thread in receipts_for {
        out.push(receipts(ch, &thread).await?);
    }
    Ok(out)
}

fn push_once(list: &mut Vec<ThreadId>, thread: ThreadId) {
    if !list.contains(&thread) {
        list.push(thread);
    }
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

/// The thread's messages after `last` as frames, then `synced`; and the new last number.
async fn read_after(ch: &ThreadChannel, actor: &Actor, thread: ThreadId, mut last: i64) -> Result<(Vec<Value>, i64)> {
    let mut out = Vec::new();
    loop {
        let batch = ch.cx.store.messages_after(thread, last, BATCH).await?;
        let full = i64::try_from(batch.len()).unwrap_or(0) == BATCH;
        for m in batch {
            let body = ch.messaging.body(&m)?;
            let shown = Delivery {
                body,
                thread: m.thread,
                seq: m.seq,
                id: m.id,
                sender: m.sender,
                sender_name: m.sender_name,
                client_id: m.client_id,
                at: m.created_at,
                automatic: m.automatic,
                file: m.attachment.map(|a| FileShown { id: a.id, name: a.name, size: a.size }),
            };
            last = shown.seq;
            out.push(frame(&shown, actor));
        }
        if !full {
            break;
        }
    }
    out.push(synced(thread, last));
    Ok((out, last))
}

/// The `message` frame for one reader: the sender's own sockets also get the client id.
fn frame(m: &Delivery, reader: &Actor) -> Value {
    let mine = m.sender == reader.id();
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
async fn receipts(ch: &ThreadChannel, thread: &Thread) -> Result<Value> {
    let list = ch.cx.store.read_markers(thread.id).await?;
    let names = ch.cx.store.display_names(&list.iter().map(|(u, _)| *u).collect::<Vec<_>>()).await?;
    let markers: serde_json::Map<String, Value> = list.iter().map(|(u, s)| (u.to_string(), json!(s))).collect();
    let names: serde_json::Map<String, Value> = names.into_iter().map(|(u, n)| (u.to_string(), json!(n))).collect();
    Ok(json!({ "type": "receipts", "thread": thread.id, "read": markers, "names": names }))
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
