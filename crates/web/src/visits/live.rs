//! The visit's room over the signed-in WebSocket: joining (the patient's waiting room),
//! admitting, the note to the waiting room, relaying WebRTC signaling and in-call chat
//! between the two parties, and the call's record (modes, quality, start and end).
//!
//! Only the appointment's patient and clinician can join; anyone else's attempt is refused
//! and audited, and learns nothing about the call. Nothing the patient sends is relayed
//! until the clinician has admitted them, and the clinician's signals reach the patient only
//! after admission, so an unadmitted patient receives no media. Chat text is relayed, never
//! stored or logged.

use std::net::SocketAddr;

use haven_domain::audit::{AuditAction, Outcome};
use haven_domain::visits::record::StatsSample;
use haven_domain::visits::{MediaMode, VisitState};
use haven_domain::{AppointmentId, UserId};
use haven_store::Appointment;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{Party, entry, party_of, room_open};
use crate::audit;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

const MAX_NOTE: usize = 200;
const MAX_CHAT: usize = 1000;

/// The room this socket is in.
pub struct Room {
    pub visit: AppointmentId,
    appointment: Box<Appointment>,
    party: Party,
    /// Known admitted (the patient's side learns it from the clinician's admit).
    admitted: bool,
    pub incoming: mpsc::UnboundedReceiver<Value>,
}

impl Room {
    fn other(&self) -> UserId {
        match self.party {
            Party::Patient => self.appointment.clinician,
            Party::Clinician => self.appointment.patient,
        }
    }
}

fn error(visit: &Value, code: &str) -> Value {
    json!({ "type": "visit-error", "visit": visit, "code": code })
}

/// Whether a frame belongs to visits.
#[must_use]
pub fn is_visit_frame(kind: &str) -> bool {
    kind.starts_with("visit-")
}

/// A frame from the other party on its way to this socket: notes what it changes.
pub fn arriving(room: &mut Room, frame: &Value) {
    if frame["type"] == "visit-admitted" {
        room.admitted = true;
    }
}

pub async fn handle(state: &AppState, peer: SocketAddr, current: &CurrentUser, socket: u64, room: &mut Option<Room>, frame: &Value) -> Result<Vec<Value>, AppError> {
    let kind = frame["type"].as_str().unwrap_or_default();
    let visit = &frame["visit"];
    if kind == "visit-join" {
        return join(state, peer, current, socket, room, visit).await;
    }
    let Some(r) = room.as_mut().filter(|r| visit.as_str() == Some(&r.visit.to_string())) else {
        return Ok(vec![error(visit, "not-a-party")]);
    };
    match kind {
        "visit-admit" if r.party == Party::Clinician => admit(state, peer, current, r).await,
        "visit-note" if r.party == Party::Clinician => {
            let text = frame["text"].as_str().unwrap_or_default().trim();
            if text.is_empty() || text.chars().count() > MAX_NOTE {
                return Ok(vec![error(visit, "too-long")]);
            }
            state.store.set_waiting_note(r.visit, text).await?;
            state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-note", "visit": visit, "text": text }));
            Ok(vec![json!({ "type": "visit-note-sent", "visit": visit })])
        }
        "visit-signal" => {
            if !ensure_admitted(state, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            if !frame["data"].is_object() {
                return Ok(vec![error(visit, "malformed")]);
            }
            state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-signal", "visit": visit, "data": frame["data"] }));
            Ok(Vec::new())
        }
        "visit-chat" => {
            if !ensure_admitted(state, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            let text = frame["text"].as_str().unwrap_or_default().trim();
            if text.is_empty() || text.chars().count() > MAX_CHAT {
                return Ok(vec![error(visit, "too-long")]);
            }
            let from = &current.user.display_name;
            state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-chat", "visit": visit, "text": text, "from": from }));
            Ok(Vec::new())
        }
        "visit-media" => {
            let Some(mode) = frame["mode"].as_str().and_then(MediaMode::parse) else { return Ok(vec![error(visit, "malformed")]) };
            if !ensure_admitted(state, r).await? {
                return Ok(vec![error(visit, "not-admitted")]);
            }
            state.store.add_visit_mode(r.visit, mode.bit()).await?;
            state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-media", "visit": visit, "mode": frame["mode"] }));
            Ok(Vec::new())
        }
        "visit-connected" => {
            if ensure_admitted(state, r).await? {
                state.store.visit_connected(r.visit, state.clock.now()).await?;
            }
            Ok(Vec::new())
        }
        "visit-stats" => {
            let sample = StatsSample { rtt_ms: frame["rtt_ms"].as_f64(), loss_pct: frame["loss_pct"].as_f64(), kbps: frame["kbps"].as_f64() }.sane();
            if r.admitted && (sample.rtt_ms.is_some() || sample.loss_pct.is_some() || sample.kbps.is_some()) {
                state.store.add_visit_sample(r.visit, sample.rtt_ms.unwrap_or(0.0), sample.loss_pct.unwrap_or(0.0), sample.kbps.unwrap_or(0.0)).await?;
            }
            Ok(Vec::new())
        }
        "visit-leave" => {
            if let Some(r) = room.take() {
                leave(state, socket, &r);
            }
            Ok(vec![json!({ "type": "visit-left", "visit": visit })])
        }
        "visit-end" if r.party == Party::Clinician => {
            let ended = state.store.end_visit(r.visit, &audit::event(state, peer, entry(current, &r.appointment, AuditAction::Update, Outcome::Success)), state.clock.now()).await?;
            if ended {
                state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-ended", "visit": visit }));
            }
            Ok(vec![json!({ "type": "visit-ended", "visit": visit })])
        }
        _ => Ok(vec![error(visit, "not-a-party")]),
    }
}

/// The patient's side re-reads admission from the database when it hasn't heard it yet (the
/// admit may have come through another instance or before this socket joined).
async fn ensure_admitted(state: &AppState, room: &mut Room) -> Result<bool, AppError> {
    if !room.admitted {
        room.admitted = state.store.visit(room.visit).await?.is_some_and(|v| v.state() == VisitState::Admitted);
    }
    Ok(room.admitted)
}

async fn join(state: &AppState, peer: SocketAddr, current: &CurrentUser, socket: u64, room: &mut Option<Room>, visit: &Value) -> Result<Vec<Value>, AppError> {
    let Some(id) = visit.as_str().and_then(|s| s.parse::<AppointmentId>().ok()) else {
        return Ok(vec![error(visit, "malformed")]);
    };
    let Some(appointment) = state.store.appointment(id).await? else {
        return Ok(vec![error(visit, "not-a-party")]);
    };
    let Some(party) = party_of(current, &appointment) else {
        // Same answer as for a visit that doesn't exist: an outsider learns nothing.
        audit::record(state, peer, entry(current, &appointment, AuditAction::AccessDenied, Outcome::Denied)).await?;
        return Ok(vec![error(visit, "not-a-party")]);
    };
    let now = state.clock.now();
    let Some(record) = state.store.visit(id).await? else {
        if party == Party::Patient {
            return Ok(vec![error(visit, "not-checked-in")]);
        }
        // The clinician may open the room before the patient has checked in: they wait in
        // it and hear the patient arrive.
        if !room_open(&appointment, now) {
            return Ok(vec![lobby_frame(visit, party, "ended")]);
        }
        if let Some(old) = room.take() {
            leave(state, socket, &old);
        }
        let incoming = state.hub.join_room(id, current.user.id, socket);
        *room = Some(Room { visit: id, appointment: Box::new(appointment), party, admitted: false, incoming });
        return Ok(vec![lobby_frame(visit, party, "waiting")]);
    };
    if record.state() == VisitState::Ended || !room_open(&appointment, now) {
        return Ok(vec![lobby_frame(visit, party, "ended")]);
    }
    if let Some(old) = room.take() {
        leave(state, socket, &old);
    }
    if party == Party::Patient {
        state.store.arrive(id, now).await?;
    }
    let admitted = record.state() == VisitState::Admitted;
    if admitted {
        state.store.mark_joined(id, party == Party::Clinician).await?;
    }
    let incoming = state.hub.join_room(id, current.user.id, socket);
    let joined = Room { visit: id, appointment: Box::new(appointment), party, admitted, incoming };
    let other = joined.other();
    state.hub.tell_room(id, other, &json!({ "type": "visit-peer", "visit": visit, "present": true }));
    let fresh = state.store.visit(id).await?.unwrap_or(record);
    let other_party = if party == Party::Patient { Party::Clinician } else { Party::Patient };
    state.hub.tell_room(id, other, &state_frame(&fresh, other_party, true));
    let answer = state_frame(&fresh, party, state.hub.in_room(id, other));
    *room = Some(joined);
    Ok(vec![answer])
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

async fn admit(state: &AppState, peer: SocketAddr, current: &CurrentUser, r: &mut Room) -> Result<Vec<Value>, AppError> {
    let event = audit::event(state, peer, entry(current, &r.appointment, AuditAction::Update, Outcome::Success));
    let present = state.hub.in_room(r.visit, r.other());
    if state.store.admit(r.visit, present, &event, state.clock.now()).await? {
        r.admitted = true;
        // The patient hears it first: the call's set-up waits on nothing else.
        state.hub.tell_room(r.visit, r.other(), &json!({ "type": "visit-admitted", "visit": r.visit.to_string() }));
    }
    let v = state.store.visit(r.visit).await?;
    Ok(v.map(|v| state_frame(&v, r.party, state.hub.in_room(r.visit, r.other()))).into_iter().collect())
}

/// This socket leaves the room; the other party hears it if this was the person's last
/// socket there (a closed tab, a lost network).
pub fn leave(state: &AppState, socket: u64, room: &Room) {
    let me = match room.party {
        Party::Patient => room.appointment.patient,
        Party::Clinician => room.appointment.clinician,
    };
    if !state.hub.leave_room(room.visit, me, socket) {
        state.hub.tell_room(room.visit, room.other(), &json!({ "type": "visit-peer", "visit": room.visit.to_string(), "present": false }));
    }
}
