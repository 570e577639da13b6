//! `GET /ws`: the authenticated WebSocket. The Origin must be this site's (a cross-site page
//! can't ride the person's cookie into a socket), buffers are small (thousands of idle
//! sockets must fit in little memory), and malformed input gets an error message while the
//! connection stays usable.

use std::time::Duration;

use std::net::SocketAddr;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use haven_domain::ThreadId;

use super::inbox::{Inbox, Pending};
use crate::error::AppError;
use crate::identity::CurrentUser;
use super::hub::{Listener, Registration};
use crate::messages::live::{self, Following};
use crate::visits::{self, live::Room};
use crate::state::AppState;

/// Small buffers: thousands of idle sockets must fit in little memory. (The default read
/// buffer alone is 128 KiB per socket.)
const READ_BUFFER: usize = 2 * 1024;
const WRITE_BUFFER: usize = 0;
/// Frames above this are answered with an error, the connection kept.
const MAX_FRAME_TEXT: usize = 16 * 1024;
/// Frames above this end the connection (a client that sends them is broken or hostile).
const MAX_MESSAGE: usize = 256 * 1024;
/// How often a socket re-checks its session in the database.
const RECHECK: Duration = Duration::from_secs(5);

pub async fn upgrade(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, headers: HeaderMap, ws: WebSocketUpgrade) -> Result<Response, AppError> {
    if !crate::security::origin_allowed(&headers, state.config.public_url.as_deref()) {
        return Err(AppError::CrossOrigin);
    }
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| serve(socket, state, peer, current))
        .into_response())
}

fn text(value: serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

async fn serve(mut socket: WebSocket, state: AppState, peer: SocketAddr, current: CurrentUser) {
    let registration = state.hub.register(current.user.id, current.session.id);
    let mut room: Option<Room> = None;
    let mut following = Following::new(Listener { socket: registration.id, user: current.user.id, peer });
    let ended = run(&mut socket, &state, peer, &current, &registration, &mut room, &mut following).await;
    following.stop_all(&state);
    // Leaving says so to the other party of a visit (closed tab, lost network).
    if let Some(r) = room.take() {
        visits::live::leave(&state, registration.id, &r);
    }
    if ended {
        // 4401: the session ended; the page should send the person to sign in.
        let frame = CloseFrame { code: 4401, reason: Utf8Bytes::from_static("session ended") };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
}

/// Waits for the next frame from the other party of the socket's visit, if it is in one.
async fn from_room(room: &mut Option<Room>) -> Option<serde_json::Value> {
    match room {
        Some(r) => r.incoming.recv().await,
        None => std::future::pending().await,
    }
}

/// Serves the socket until it closes; `true` when it must close because the session ended.
async fn run(
    socket: &mut WebSocket,
    state: &AppState,
    peer: SocketAddr,
    current: &CurrentUser,
    registration: &Registration<'_>,
    room: &mut Option<Room>,
    following: &mut Following,
) -> bool {
    let state = state.clone();
    let current = current.clone();
    let mut closed = registration.closed.clone();
    let socket_id = registration.id;
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.tick().await;
    if socket.send(text(serde_json::json!({ "type": "ready" }))).await.is_err() {
        return false;
    }
    loop {
        let inbox = following.inbox();
        let frames = tokio::select! {
            _ = closed.changed() => return true,
            _ = recheck.tick() => {
                // Ended elsewhere (another instance, an expiry): close here too. A database
                // outage is not an ending; the socket stays until it can check again.
                let alive = Box::pin(state.store.session_alive(current.session.id, state.clock.now())).await;
                if matches!(alive, Ok(false)) {
                    return true;
                }
                Vec::new()
            }
            // Boxed: an idle socket's task is as large as its largest possible state, so the
            // big database futures live on the heap only while they run.
            pending = wakes(inbox.as_deref()) => Box::pin(serve_wakes(&state, peer, &current, following, pending)).await
            .unwrap_or_else(|e| {
                tracing::debug!(error = %e, "live update failed; the client resumes on reconnect");
                Vec::new()
            }),
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(body))) if body.len() > MAX_FRAME_TEXT => vec![serde_json::json!({ "type": "error", "code": "too-large" })],
                Some(Ok(Message::Text(body))) => match serde_json::from_str::<serde_json::Value>(&body) {
                    Ok(frame) if frame["type"].as_str().is_some_and(visits::live::is_visit_frame) => {
                        Box::pin(visits::live::handle(&state, peer, &current, socket_id, room, &frame)).await.unwrap_or_else(|e| {
                            tracing::warn!(error = %e, "a visit request failed");
                            vec![serde_json::json!({ "type": "visit-error", "visit": frame["visit"], "code": "unavailable" })]
                        })
                    }
                    Ok(frame) if frame.is_object() => Box::pin(live::handle(&state, peer, &current, following, &frame)).await.unwrap_or_else(|e| {
                        // The client keeps what it sent and tries again; nothing was stored.
                        tracing::warn!(error = %e, "a live request failed");
                        let mut answer = serde_json::json!({ "type": "error", "code": "unavailable" });
                        if let Some(id) = frame.get("client_id") {
                            answer["client_id"] = id.clone();
                        }
                        vec![answer]
                    }),
                    _ => vec![serde_json::json!({ "type": "error", "code": "malformed" })],
                },
                Some(Ok(Message::Binary(_))) => vec![serde_json::json!({ "type": "error", "code": "binary-not-accepted" })],
                Some(Ok(_)) => Vec::new(),
                Some(Err(_)) | None => return false,
            },
            Some(frame) = from_room(room) => {
                if let Some(r) = room.as_mut() {
                    visits::live::arriving(r, &frame);
                }
                vec![frame]
            }
        };
        for frame in frames {
            if socket.send(text(frame)).await.is_err() {
                return false;
            }
        }
    }
}

/// Waits for the socket's next wake-ups, if it follows anything.
async fn wakes(inbox: Option<&Inbox>) -> Pending {
    match inbox {
        Some(inbox) => inbox.next().await,
        None => std::future::pending().await,
    }
}

/// New messages (audited, see `live::push`) and read receipts for the followed threads.
async fn serve_wakes(state: &AppState, peer: SocketAddr, current: &CurrentUser, following: &mut Following, pending: Pending) -> Result<Vec<serde_json::Value>, AppError> {
    let woken: Vec<ThreadId> = pending.messages.into_iter().filter(|t| following.follows(*t)).collect();
    let mut out = if woken.is_empty() && pending.delivered.is_empty() {
        Vec::new()
    } else {
        live::push(state, peer, current, following, &woken, &pending.delivered).await?
    };
    for thread in pending.reads {
        if let Some(t) = live::followed(following, thread) {
            out.push(live::receipts(state, &t).await?);
        }
    }
    Ok(out)
}
