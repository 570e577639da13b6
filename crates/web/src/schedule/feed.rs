//! `GET /calendar/{token}.ics`: a clinician's private calendar feed. The token in the path
//! is the credential (calendar apps can't sign in).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use haven_crypto::SecretToken;

use crate::error::AppError;
use crate::state::AppState;

pub async fn serve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let raw = token.strip_suffix(".ics").unwrap_or(&token);
    let token = SecretToken::from_client(raw).ok_or(AppError::NotFound)?;
    let body = state.app.booking.feed(peer.ip(), &token).await?;
    Ok(([(CONTENT_TYPE, "text/calendar; charset=utf-8"), (CACHE_CONTROL, "no-store")], body).into_response())
}
