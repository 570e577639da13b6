//! `GET /ws`: the authenticated WebSocket. The Origin must be this site's (a cross-site page
//! can't ride the person's cookie into a socket), buffers are small (thousands of idle
//! sockets must fit in little memory), and malformed input gets an error message while the
//! connection stays usable. Frames go to the hub's channels; the socket knows none of them.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use haven_app::Actor;
use haven_app::live::Connection;
use serde_json::{Value, json};

use crate::error::AppError;
use crate::identity::session::Signed;
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

pub async fn upgrade(State(state): State<AppState>, Signed(actor): Signed, headers: HeaderMap, ws: WebSocketUpgrade) -> Result<Response, AppError> {
    if !crate::security::origin_allowed(&headers, state.config.public_url.as_deref(), state.config.secure_cookies) {
        return Err(AppError::CrossOrigin);
    }
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| serve(socket, state, actor))
        .into_response())
}

fn text(value: Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

async fn serve(mut socket: WebSocket, state: AppState, actor: Actor) {
    let app = state.app.clone();
    let mut conn = Connection::open(&app.cx.hub, actor);
    let ended = run(&mut socket, &state, &mut conn).await;
    app.channels.close(&mut conn);
    if ended {
        // 4401: the session ended; the page should send the person to sign in.
        let frame = CloseFrame { code: 4401, reason: Utf8Bytes::from_static("session ended") };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
}

/// Serves the socket until it closes; `true` when it must close because the session ended.
async fn run(socket: &mut WebSocket, state: &AppState, conn: &mut Connection) -> bool {
    let app = &state.app;
    let mut closed = conn.closed();
    let session = conn.actor.session_id();
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.tick().await;
    if socket.send(text(json!({ "type": "ready" }))).await.is_err() {
        return false;
    }
    loop {
        let waiter = conn.waiter();
        let frames = tokio::select! {
            _ = closed.changed() => return true,
            _ = recheck.tick() => {
                // Ended elsewhere (another instance, an expiry): close here too. A database
                // outage is not an ending; the socket stays until it can check again.
                let alive = Box::pin(app.cx.store.session_alive(session, app.cx.now())).await;
                if matches!(alive, Ok(false)) {
                    return true;
                }
                Vec::new()
            }
            // Boxed: an idle socket's task is as large as its largest possible state, so the
            // big futures live on the heap only while they run.
            batch = waiter.next() => Box::pin(app.channels.deliver(conn, batch)).await,
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(body))) if body.len() > MAX_FRAME_TEXT => vec![json!({ "type": "error", "code": "too-large" })],
                Some(Ok(Message::Text(body))) => match serde_json::from_str::<Value>(&body) {
                    Ok(frame) if frame.is_object() => Box::pin(app.channels.handle(conn, &frame)).await,
                    _ => vec![json!({ "type": "error", "code": "malformed" })],
                },
                Some(Ok(Message::Binary(_))) => vec![json!({ "type": "error", "code": "binary-not-accepted" })],
                Some(Ok(_)) => Vec::new(),
                Some(Err(_)) | None => return false,
            },
        };
        for frame in frames {
            if socket.send(text(frame)).await.is_err() {
                return false;
            }
        }
    }
}
