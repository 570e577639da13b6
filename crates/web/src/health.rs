//! Liveness, readiness, and the database-outage switch.
//!
//! A background task pings the database; while it is unreachable, pages that need it answer
//! at once with a friendly 503 instead of each waiting out a connection timeout, and the
//! crisis page keeps working. The pool reconnects by itself, so service resumes when the
//! database is back.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::task::JoinHandle;

use crate::error::AppError;
use crate::state::AppState;

const PING_TIMEOUT: Duration = Duration::from_secs(2);

async fn ping(state: &AppState) -> bool {
    matches!(tokio::time::timeout(PING_TIMEOUT, state.app.cx.store.ping()).await, Ok(Ok(())))
}

/// Pings the database every couple of seconds (twice a second while it is down, so that
/// recovery is noticed quickly). Abort the handle to stop it.
pub fn spawn_health_monitor(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let up = ping(&state).await;
            state.health.set_db_up(up);
            tokio::time::sleep(if up { Duration::from_secs(2) } else { Duration::from_millis(500) }).await;
        }
    })
}

pub async fn healthz() -> &'static str {
    "ok\n"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let up = ping(&state).await;
    state.health.set_db_up(up);
    if up { "ready\n".into_response() } else { (StatusCode::SERVICE_UNAVAILABLE, [(RETRY_AFTER, "5")], "database unreachable\n").into_response() }
}

/// Paths that never touch the database and so keep answering during an outage.
fn works_without_database(path: &str) -> bool {
    matches!(path, "/crisis" | "/healthz" | "/readyz" | "/metrics" | "/language" | "/favicon.ico") || path.starts_with("/static/")
}

pub async fn database_gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.health.db_up() && !works_without_database(request.uri().path()) {
        return AppError::Unavailable.into_response();
    }
    next.run(request).await
}
