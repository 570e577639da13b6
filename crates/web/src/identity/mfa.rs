//! The second factor's pages: a code from an authenticator app (or a recovery code), and
//! setting the app up. The challenge between the password and this step lives in the
//! `haven_mfa` cookie.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_app::identity::mfa::{CHALLENGE_SECONDS, Challenge};
use haven_crypto::SecretToken;
use serde::Deserialize;

use super::session::session_cookies;
use crate::chrome::Chrome;
use crate::cookies;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

const CHALLENGE_COOKIE: &str = "haven_mfa";

/// The `Set-Cookie` value carrying a second step's challenge.
#[must_use]
pub fn challenge_cookie(state: &AppState, token: &SecretToken) -> String {
    cookies::set(CHALLENGE_COOKIE, &token.reveal(), state.config.secure_cookies, Some(CHALLENGE_SECONDS))
}

async fn challenge(state: &AppState, headers: &HeaderMap) -> Result<Challenge, AppError> {
    let token = cookies::get(headers, CHALLENGE_COOKIE).and_then(SecretToken::from_client).ok_or(AppError::Unauthorized)?;
    state.app.identity.challenge(token).await?.ok_or(AppError::Unauthorized)
}

fn clear(state: &AppState) -> (axum::http::HeaderName, String) {
    (SET_COOKIE, cookies::clear(CHALLENGE_COOKIE, state.config.secure_cookies))
}

#[derive(Template)]
#[template(path = "mfa_code.html")]
struct CodePage {
    chrome: Chrome,
    error: bool,
}

pub async fn code_form(lang: Lang, State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    if c.pending_secret.is_some() {
        return Ok(Redirect::to("/sign-in/setup").into_response());
    }
    Ok(html(&CodePage { chrome: Chrome::public(&state, lang.0, "/sign-in/code"), error: false })?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn code_submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    if let Some(token) = state.app.identity.verify_code(peer.ip(), &c, &form.code).await? {
        let [session, lang_cookie] = session_cookies(&state, &token, c.user.language);
        return Ok((AppendHeaders([session, lang_cookie, clear(&state)]), Redirect::to("/home")).into_response());
    }
    let page = html(&CodePage { chrome: Chrome::public(&state, lang.0, "/sign-in/code"), error: true })?;
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct SetupPage {
    chrome: Chrome,
    qr_svg: String,
    secret_text: String,
    error: bool,
}

fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

fn setup_page(lang: Lang, state: &AppState, c: &Challenge, error: bool) -> Result<Html<String>, AppError> {
    let (uri, base32) = c.setup().ok_or(AppError::Unauthorized)?;
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| AppError::internal("a QR code could not be drawn", e))?;
    let chrome = Chrome::public(state, lang.0, "/sign-in/setup");
    let svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // The SVG comes from our own encoder, not from user input; strip its XML prolog so it
    // can sit inside the page, and label it for screen readers.
    let label = chrome.t("mfa-qr-label");
    let svg =
        svg.split_once("<svg").map(|(_, rest)| format!("<svg role=\"img\" aria-label=\"{}\"{rest}", attribute_text(&label))).unwrap_or_default();
    let secret_text = base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    html(&SetupPage { chrome, qr_svg: svg, secret_text, error })
}

pub async fn setup_form(lang: Lang, State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    if c.pending_secret.is_none() {
        return Ok(Redirect::to("/sign-in/code").into_response());
    }
    Ok(setup_page(lang, &state, &c, false)?.into_response())
}

#[derive(Template)]
#[template(path = "mfa_recovery.html")]
struct RecoveryPage {
    chrome: Chrome,
    codes: Vec<String>,
}

pub async fn setup_submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    if c.pending_secret.is_none() {
        return Ok(Redirect::to("/sign-in/code").into_response());
    }
    let Some((token, codes)) = state.app.identity.enable_totp(peer.ip(), &c, &form.code).await? else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, setup_page(lang, &state, &c, true)?).into_response());
    };
    // Every other session of the person ended: their sockets close everywhere.
    state.app.revoke_user(c.user.id).await;
    let [session, lang_cookie] = session_cookies(&state, &token, c.user.language);
    let chrome = Chrome::public(&state, lang.0, "/sign-in/setup").signed_in(&c.user.display_name);
    Ok((AppendHeaders([session, lang_cookie, clear(&state)]), html(&RecoveryPage { chrome, codes })?).into_response())
}
