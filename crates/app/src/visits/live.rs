//! The visit's room, as a channel of the hub: joining (the patient's waiting room),
//! admitting, the note to the waiting room, relaying WebRTC signaling and in-call chat
//! between the two parties, and the call's record (modes, quality, start and end).
//!
//! Only the appointment's patient and clinician can join; anyone else's attempt is refused
//! and audited, and learns nothing about the call. Nothing the patient sends is relayed
//! until the clinician has admitted them, and the clinician's signals reach the patient only
//! after admission, so an unadmitted patient receives no media. Chat text is relayed, never
//! stored: between instances it crosses the database sealed and is deleted within a minute.
//!
//! Everything one party sends the other is a `Frame` event on the visit's topic addressed
//! to the other party, so the two may be on different instances. Presence travels the same
//! way: a party arriving says so (with `hello` when it doesn't know whether the other is
//! there), and the other answers that it is.

use haven_domain::audit::AuditAction;
use haven_domain::visits::record::StatsSample;
use haven_domain::visits::{MediaMode, VisitState};
use haven_domain::{AppointmentId, UserId};
use haven_store::Appointment;
use serde_json::{Value, json};

use super::{Party, entry, party_of, room_open};
use crate::context::Ctx;
use crate::error::Result;
use crate::future::BoxFuture;
use crate::live::{Channel, Connection, Event, Topic};

/// The live channel's name.
pub const CHANNEL: &str = "visit";

/// Frames that change what a room knows as they pass.
const ADMITTED: &str = "visit-admitted";
const PEER: &str = "visit-peer";

const MAX_NOTE: usize = 200;
const MAX_CHAT: usize = 1000;

#[must_use]
pub fn topic(visit: AppointmentId) -> Topic {
    Topic::new(CHANNEL, visit.0)
}

/// The room this socket is in.
pub struct Room {
    pub visit: AppointmentId,
    appointment: Box<Appointment>,
    party: Party,
    /// Known admitted (the patient's side learns it from the clinician's admit).
    admitted: bool,
    /// Whether the other party has said they are here (and not since that they left).
    peer_present: bool,
}

impl Room {
    fn me(&self) -> UserId {
        match self.party {
            Party::Patient => self.appointment.patient,
            Party::Clinician => self.appointment.clinician,
        }
    }

    fn other(&self) -> UserId {
        match self.party {
            Party::Patient => self.appointment.clinician,
            Party::Clinician => self.appointment.patient,
        }
    }
}

/// A socket's room, if it is in one.
#[derive(Default)]
pub struct InRoom(Option<Room>);

#[derive(Clone)]
pub struct RoomChannel {
    cx: Ctx,
}

impl RoomChannel {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }
}

fn error(visit: &Value, code: &str) -> Value {
    json!({ "type": "visit-error", "visit": visit, "code": code })
}

impl Channel for RoomChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts(&self, frame_type: &str) -> bool {
        frame_type.starts_with("visit-")
    }

    fn handle<'a>(&'a self, conn: &'a mut Connection, frame: &'a Value) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(handle(&self.cx, conn, frame))
    }

    fn deliver<'a>(&'a self, conn: &'a mut Connection, events: Vec<(Topic, Event)>, _overflowed: bool) -> BoxFuture<'a, Result<Vec<Value>>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for (topic, event) in events {
                let Event::Frame { frame, .. } = event else { continue };
                let Some(room) = conn.state::<InRoom>().0.as_mut().filter(|r| r.visit.0 == topic.key) else { continue };
                let kind = frame["type"].as_str().unwrap_or_default();
                if kind == ADMITTED {
                    room.admitted = true;
                } else if kind == PEER {
                    room.peer_present = frame["present"].as_bool().unwrap_or(false);
                    // A newcomer asks who is here: answer once (without asking back).
                    if frame["hello"].as_bool().unwrap_or(false) && room.peer_present {
                        let (visit, me, other) = (room.visit, room.me(), room.other());
                        tell(&self.cx, visit, me, other, json!({ "type": PEER, "visit": visit.to_string(), "present": true })).await;
                    }
                }
                let mut frame = frame;
                if let Some(map) = frame.as_object_mut() {
                    map.remove("hello");
                }
                out.push(frame);
            }
            Ok(out)
        })
    }

    fn failed(&self, frame: &Value) -> Value {
        error(&frame["visit"], "unavailable")
    }

    fn closed(&self, conn: &mut Connection) {
        // Leaving says so to the other party (a closed tab, a lost network).
        if let Some(room) = conn.state::<InRoom>().0.take() {
            let socket = conn.id();
            let cx = self.cx.clone();
            tokio::spawn(async move { leave(&cx, socket, &room).await });
        }
    }
}

/// Sends `frame` from `me` to `other`'s sockets in the visit's room, on any instance.
async fn tell(cx: &Ctx, visit: AppointmentId, me: UserId, other: UserId, frame: Value) {
    cx.hub.publish(topic(visit), Event::Frame { from: Some(me), to: Some(other), frame }).await;
}

async fn handle(cx: &Ctx, conn: &mut Connection, frame: &Value) -> Result<Vec<Value>> {
    let kind = frame["type"].as_str().unwrap_or_default();
    let visit = &frame["visit"];
    if kind == "visit-join" {
        return join(cx, conn, visit).await;
    }
    let actor = conn.actor.clone();
    let socket = conn.id();
    let in_room = conn.state::<InRoom>();
    let Some(r) = in_room.0.as_mut().filter(|r| visit.as_str() == Some(&r.visit.to_string())) else {
        return Ok(vec![error(visit, "not-a-party")]);
    };
    let (id, me, other) = (r.visit, r.me(), r.other());
    let store = &cx.store;
    match kind {
        "visit-admit" if r.party == Party::Clinician => {
            let event = cx.event(&actor, entry(&actor, &r.appointment, AuditAction::Update));
            let present = r.peer_present || cx.hub.is_following(topic(id), other);
            if store.admit(id, present, &event, cx.now()).await? {
                r.admitted = true;
                // The patient hears it first: the call's set-up waits on nothing else.
                tell(cx, id, me, other, json!({ "type": "visit-admitted", "visit": id.to_string() })).await;
            }
            let v = store.visit(id).await?;
            Ok(v.map(|v| state_frame(&v, r.party, r.peer_present)).into_iter().collect())
        }
        "visit-note" if r.party == Party::Clinician => {
            let text = frame["text"].as_str().unwrap_or_default().trim();
            if text.is_empty() || text.chars().count() > MAX_NOTE {
                return Ok(vec![error(visit, "too-long")]);
            }
            store.set_waiting_note(id, text).await?;
            tell(cx, id, me, other, json!({ "type": "visit-note", "visit": visit, "text": text })).await;
            Ok(vec![json!({ "type": "visit-note-sent", "visit": visit })])
        }
        "visit-signal" => {
            if !ensure_admitted(cx, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            if !frame["data"].is_object() {
                return Ok(vec![error(visit, "malformed")]);
            }
            tell(cx, id, me, other, json!({ "type": "visit-signal", "visit": visit, "data": frame["data"] })).await;
            Ok(Vec::new())
        }
        "visit-chat" => {
            if !ensure_admitted(cx, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            let text = frame["text"].as_str().unwrap_or_default().trim();
            if text.is_empty() || text.chars().count() > MAX_CHAT {
                return Ok(vec![error(visit, "too-long")]);
            }
            let from = actor.user.display_name.clone();
            tell(cx, id, me, other, json!({ "type": "visit-chat", "visit": visit, "text": text, "from": from })).await;
            Ok(Vec::new())
        }
        "visit-media" => {
            let Some(mode) = frame["mode"].as_str().and_then(MediaMode::parse) else { return Ok(vec![error(visit, "malformed")]) };
            if !ensure_admitted(cx, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            store.add_visit_mode(id, mode.bit()).await?;
            tell(cx, id, me, other, json!({ "type": "visit-media", "visit": visit, "mode": frame["mode"] })).await;
            Ok(Vec::new())
        }
        "visit-connected" => {
            if ensure_admitted(cx, r).await? {
                store.visit_connected(id, cx.now()).await?;
            }
            Ok(Vec::new())
        }
        "visit-stats" => {
            let sample = StatsSample { rtt_ms: frame["rtt_ms"].as_f64(), loss_pct: frame["loss_pct"].as_f64(), kbps: frame["kbps"].as_f64() }.sane();
            if r.admitted && (sample.rtt_ms.is_some() || sample.loss_pct.is_some() || sample.kbps.is_some()) {
                store.add_visit_sample(id, sample.rtt_ms.unwrap_or(0.0), sample.loss_pct.unwrap_or(0.0), sample.kbps.unwrap_or(0.0)).await?;
            }
            Ok(Vec::new())
        }
        "visit-leave" => {
            if let Some(room) = in_room.0.take() {
                conn.unfollow(topic(room.visit));
                leave(cx, socket, &room).await;
            }
            Ok(vec![json!({ "type": "visit-left", "visit": visit })])
        }
        "visit-end" if r.party == Party::Clinician => {
            let event = cx.event(&actor, entry(&actor, &r.appointment, AuditAction::Update));
            if store.end_visit(id, &event, cx.now()).await? {
                tell(cx, id, me, other, json!({ "type": "visit-ended", "visit": visit })).await;
            }
            Ok(vec![json!({ "type": "visit-ended", "visit": visit })])
        }
        _ => Ok(vec![error(visit, "not-a-party")]),
    }
}

/// The patient's side re-reads admission from the database when it hasn't heard it yet (the
/// admit may have come before this socket joined).
async fn ensure_admitted(cx: &Ctx, room: &mut Room) -> Result<bool> {
    if !room.admitted {
        room.admitted = cx.store.visit(room.visit).await?.is_some_and(|v| v.state() == VisitState::Admitted);
    }
    Ok(room.admitted)
}

async fn join(cx: &Ctx, conn: &mut Connection, visit: &Value) -> Result<Vec<Value>> {
    let actor = conn.actor.clone();
    let Some(id) = visit.as_str().and_then(|s| s.parse::<AppointmentId>().ok()) else {
        return Ok(vec![error(visit, "malformed")]);
    };
    let store = &cx.store;
    let Some(appointment) = store.appointment(id).await? else {
        return Ok(vec![error(visit, "not-a-party")]);
    };
    let Some(party) = party_of(actor.id(), &appointment) else {
        // Same answer as for a visit that doesn't exist: an outsider learns nothing.
        cx.record(&actor, entry(&actor, &appointment, AuditAction::AccessDenied)).await?;
        return Ok(vec![error(visit, "not-a-party")]);
    };
    let now = cx.now();
    let record = store.visit(id).await?;
    if party == Party::Patient && record.is_none() {
        return Ok(vec![error(visit, "not-checked-in")]);
    }
    if record.as_ref().is_some_and(|r| r.state() == VisitState::Ended) || !room_open(&appointment, now) {
        return Ok(vec![lobby_frame(visit, party, "ended")]);
    }
    let socket = conn.id();
    if let Some(old) = conn.state::<InRoom>().0.take() {
        conn.unfollow(topic(old.visit));
        leave(cx, socket, &old).await;
    }
    let admitted = record.as_ref().is_some_and(|r| r.state() == VisitState::Admitted);
    if party == Party::Patient {
        store.arrive(id, now).await?;
    }
    if admitted {
        store.mark_joined(id, party == Party::Clinician).await?;
    }
    conn.follow(topic(id));
    let room = Room { visit: id, appointment: Box::new(appointment), party, admitted, peer_present: false };
    let (me, other) = (room.me(), room.other());
    let peer_here = cx.hub.is_following(topic(id), other);
    conn.state::<InRoom>().0 = Some(Room { peer_present: peer_here, ..room });
    // Tell the other party (on any instance) who just came in; unless they are known to be
    // here already (on this instance), ask them to say so.
    tell(cx, id, me, other, json!({ "type": "visit-peer", "visit": visit, "present": true, "hello": !peer_here })).await;
    let Some(fresh) = store.visit(id).await? else {
        // The clinician came before the patient checked in: they wait and hear them arrive.
        return Ok(vec![lobby_frame(visit, party, "waiting")]);
    };
    let other_party = if party == Party::Patient { Party::Clinician } else { Party::Patient };
    tell(cx, id, me, other, state_frame(&fresh, other_party, true)).await;
    Ok(vec![state_frame(&fresh, party, peer_here)])
}

/// A state for a room with nobody else in it (closed, or not yet checked in to).
fn lobby_frame(visit: &Value, party: Party, state: &str) -> Value {
    json!({ "type": "visit-state", "visit": visit, "role": party.as_str(), "state": state, "note": null, "peer_present": false, "waiting_since": null })
}

fn state_frame(v: &haven_store::Visit, party: Party, peer_present: bool) -> Value {
    let state = match v.state() {
        VisitState::NotArrived | VisitState::Waiting => "waiting",
        VisitState::Admitted => "admitted",
        VisitState::Ended => "ended",
    };
    json!({
        "type": "visit-state",
        "visit": v.appointment.to_string(),
        "role": party.as_str(),
        "state": state,
        "note": v.waiting_note,
        "peer_present": peer_present,
        "waiting_since": v.arrived_at.map(|t| t.to_string()),
    })
}

/// This socket left the room; the other party hears it unless the person still has another
/// socket there on this instance (a second tab).
async fn leave(cx: &Ctx, socket: u64, room: &Room) {
    let topic = topic(room.visit);
    let still_here = cx.hub.followers(topic).iter().any(|(s, user, _)| *s != socket && *user == room.me());
    if !still_here {
        tell(cx, room.visit, room.me(), room.other(), json!({ "type": "visit-peer", "visit": room.visit.to_string(), "present": false })).await;
    }
}
