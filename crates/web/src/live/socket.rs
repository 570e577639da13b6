//! `GET /ws`: the authenticated WebSocket. The Origin must be this site's (a cross-site page
//! can't ride the person's cookie into a socket), buffers are small (thousands of idle
//! sockets must fit in little memory), and malformed input gets an error message while the
//! connection stays usable.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::state::AppState;

const READ_BUFFER: usize = 4 * 1024;
const MAX_MESSAGE: usize = 64 * 1024;
/// How often a socket re-checks its session in the database.
const RECHECK: Duration = Duration::from_secs(5);

pub async fn upgrade(State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, ws: WebSocketUpgrade) -> Result<Response, AppError> {
    if !crate::security::origin_allowed(&headers, state.config.public_url.as_deref()) {
        return Err(AppError::CrossOrigin);
    }
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| serve(socket, state, current))
        .into_response())
}

fn text(value: serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

async fn serve(mut socket: WebSocket, state: AppState, current: CurrentUser) {
    let registration = state.hub.register(current.user.id, current.session.id);
    let mut closed = registration.closed.clone();
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.tick().await;
    if socket.send(text(serde_json::json!({ "type": "ready" }))).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            _ = closed.changed() => break,
            _ = recheck.tick() => {
                // Ended elsewhere (another instance, an expiry): close here too. A database
                // outage is not an ending; the socket stays until it can check again.
                let alive = state.store.session_alive(current.session.id, state.clock.now()).await;
                if matches!(alive, Ok(false)) {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(body))) => {
                    let reply = match serde_json::from_str::<serde_json::Value>(&body) {
                        Ok(v) if v["type"] == "ping" => serde_json::json!({ "type": "pong" }),
                        Ok(_) => serde_json::json!({ "type": "error", "code": "unknown-type" }),
                        Err(_) => serde_json::json!({ "type": "error", "code": "malformed" }),
                    };
                    if socket.send(text(reply)).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    if socket.send(text(serde_json::json!({ "type": "error", "code": "binary-not-accepted" }))).await.is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return,
            },
        }
    }
    // 4401: the session ended; the page should send the person to sign in.
    let frame = CloseFrame { code: 4401, reason: Utf8Bytes::from_static("session ended") };
    let _ = socket.send(Message::Close(Some(frame))).await;
}
