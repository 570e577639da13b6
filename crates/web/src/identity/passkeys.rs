//! Passkeys' endpoints (the page's script drives the WebAuthn ceremonies): adding one from
//! the security page after re-entering the password, and signing in with one. The ceremony
//! in progress is named by the `haven_webauthn` cookie.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::{Form, Json};
use haven_app::identity::passkeys::CEREMONY_SECONDS;
use haven_crypto::SecretToken;
use serde::Deserialize;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::session::Signed;
use super::session::session_cookies;
use crate::cookies;
use crate::error::AppError;
use crate::lang::Lang;
use crate::state::AppState;

const CEREMONY_COOKIE: &str = "haven_webauthn";

/// A JSON error the page's script shows (already translated).
fn problem(lang: Lang, status: StatusCode, key: &str) -> Response {
    (status, Json(serde_json::json!({ "error": haven_app::i18n::translate(lang.0, key, &[]) }))).into_response()
}

fn ceremony_cookie(state: &AppState, token: &SecretToken) -> String {
    cookies::set(CEREMONY_COOKIE, &token.reveal(), state.config.secure_cookies, Some(CEREMONY_SECONDS))
}

fn ceremony(headers: &HeaderMap) -> Option<SecretToken> {
    cookies::get(headers, CEREMONY_COOKIE).and_then(SecretToken::from_client)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Reauth {
    password: String,
}

/// Step one of adding a passkey: the options for `navigator.credentials.create()`.
pub async fn register_start(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(form): Form<Reauth>,
) -> Result<Response, AppError> {
    match state.app.identity.passkey_register_start(&actor, form.password).await? {
        Ok((token, options)) => Ok((AppendHeaders([(SET_COOKIE, ceremony_cookie(&state, &token))]), Json(options)).into_response()),
        Err(key) => Ok(problem(lang, StatusCode::UNAUTHORIZED, key)),
    }
}

/// Step two: the browser's new credential, checked and stored.
pub async fn register_finish(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Json(credential): Json<RegisterPublicKeyCredential>,
) -> Result<Response, AppError> {
    match state.app.identity.passkey_register_finish(&actor, ceremony(&headers), &credential).await? {
        Ok(()) => Ok(Json(serde_json::json!({ "ok": true })).into_response()),
        Err(key) => Ok(problem(lang, StatusCode::BAD_REQUEST, key)),
    }
}

/// Step one of signing in: a challenge any of this site's passkeys on the device can answer.
pub async fn sign_in_start(State(state): State<AppState>) -> Result<Response, AppError> {
    let (token, options) = state.app.identity.passkey_sign_in_start().await?;
    Ok((AppendHeaders([(SET_COOKIE, ceremony_cookie(&state, &token))]), Json(options)).into_response())
}

/// Step two: the device's answer, checked against the passkey it names.
pub async fn sign_in_finish(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(credential): Json<PublicKeyCredential>,
) -> Result<Response, AppError> {
    match state.app.identity.passkey_sign_in_finish(peer.ip(), ceremony(&headers), &credential).await? {
        Ok((token, user)) => {
            let [session, lang_cookie] = session_cookies(&state, &token, user.language);
            let clear = (SET_COOKIE, cookies::clear(CEREMONY_COOKIE, state.config.secure_cookies));
            Ok((AppendHeaders([session, lang_cookie, clear]), Json(serde_json::json!({ "redirect": "/home" }))).into_response())
        }
        Err(key) => {
            let status = if key == "passkey-error-expired" { StatusCode::BAD_REQUEST } else { StatusCode::UNAUTHORIZED };
            Ok(problem(lang, status, key))
        }
    }
}
