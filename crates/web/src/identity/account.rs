//! The person's own security settings: two-step sign-in, password, sessions. Sensitive
//! changes ask for the current password again first (re-authentication).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use haven_domain::audit::{AuditAction, Outcome};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::CurrentUser;
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::cookies;
use crate::forms::new_password_problem;
use crate::error::AppError;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account_security.html")]
struct SecurityPage {
    chrome: Chrome,
    totp_on: bool,
    recovery_left: i64,
    /// Which form's password was wrong, if any.
    wrong_password: Option<&'static str>,
    password_problem: Option<String>,
    password_changed: bool,
    sessions: Vec<SessionRow>,
    passkeys_available: bool,
    passkey_added: bool,
    /// Each passkey: id, when added, when last used.
    passkeys: Vec<(String, String, String)>,
    passkey_removed: bool,
}

struct SessionRow {
    started: String,
    last_active: String,
    this_one: bool,
}

/// Times are shown in UTC, to the minute: the server doesn't know the viewer's zone.
fn when(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

#[derive(Default)]
struct Notes {
    wrong_password: Option<&'static str>,
    password_problem: Option<&'static str>,
    password_changed: bool,
    passkey_added: bool,
    passkey_removed: bool,
}

async fn page(lang: Lang, state: &AppState, current: &CurrentUser, notes: Notes) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/account/security", &state.config.crisis).for_user(&current, &state.config.sessions);
    let totp_on = state.store.totp(current.user.id).await?.is_some();
    let recovery_left = if totp_on { state.store.unused_recovery_codes(current.user.id).await? } else { 0 };
    let sessions = state
        .store
        .sessions_of(current.user.id, state.clock.now())
        .await?
        .into_iter()
        .map(|s| SessionRow { started: when(s.created_at), last_active: when(s.last_seen_at), this_one: s.id == current.session.id })
        .collect();
    let password_problem = notes.password_problem.map(|key| chrome.t(key));
    let never = chrome.t("passkey-never-used");
    let passkeys = state
        .store
        .passkeys_of(current.user.id)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), when(p.created_at), p.last_used_at.map_or_else(|| never.clone(), when)))
        .collect();
    SecurityPage {
        chrome,
        totp_on,
        recovery_left,
        wrong_password: notes.wrong_password,
        password_problem,
        password_changed: notes.password_changed,
        sessions,
        passkeys_available: state.webauthn.is_some(),
        passkey_added: notes.passkey_added,
        passkey_removed: notes.passkey_removed,
        passkeys,
    }
    .render()
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SecurityQuery {
    changed: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(query): Query<SecurityQuery>) -> Result<Html<String>, AppError> {
    let notes = Notes {
        password_changed: query.changed == "password",
        passkey_added: query.changed == "passkey",
        passkey_removed: query.changed == "passkey-removed",
        ..Notes::default()
    };
    page(lang, &state, &current, notes).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordChange {
    current: String,
    password: String,
    confirm: String,
}

/// Changes the password after checking the current one. Every session ends, this one
/// included; this browser gets a fresh session so the person stays signed in here.
pub async fn change_password(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Form(form): Form<PasswordChange>,
) -> Result<Response, AppError> {
    if !super::passwords::matches(&state, current.user.id, form.current).await? {
        let html = page(lang, &state, &current, Notes { wrong_password: Some("password"), ..Notes::default() }).await?;
        return Ok((StatusCode::UNAUTHORIZED, html).into_response());
    }
    if let Some(problem) = new_password_problem(&form.password, &form.confirm) {
        let html = page(lang, &state, &current, Notes { password_problem: Some(problem), ..Notes::default() }).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let hash = super::passwords::hash(&state, form.password).await?;
    state.store.set_password(current.user.id, &hash).await?;
    state.revoke_user(current.user.id).await;
    let entry = Entry::account(Some(current.user.id), AuditAction::Update, Outcome::Success);
    audit::record(&state, peer, entry).await?;
    let cookie = super::session::start(&state, &current.user).await?;
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to("/account/security?changed=password")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemovePasskey {
    passkey: String,
    password: String,
}

/// Removes a passkey, after checking the password.
pub async fn remove_passkey(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Form(form): Form<RemovePasskey>,
) -> Result<Response, AppError> {
    if !super::passwords::matches(&state, current.user.id, form.password).await? {
        let html = page(lang, &state, &current, Notes { wrong_password: Some("passkey"), ..Notes::default() }).await?;
        return Ok((StatusCode::UNAUTHORIZED, html).into_response());
    }
    let id: uuid::Uuid = form.passkey.parse().map_err(|_| AppError::NotFound)?;
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: None, patient: None, action: AuditAction::PermissionChange, category: haven_domain::audit::DataCategory::Account, outcome: Outcome::Success });
    if !state.store.remove_passkey(current.user.id, id, &audit).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account/security?changed=passkey-removed").into_response())
}

/// Ends every session of this person, on every device, this one included.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
) -> Result<Response, AppError> {
    state.store.delete_sessions_of(current.user.id).await?;
    state.revoke_user(current.user.id).await;
    audit::record(&state, peer, Entry::account(Some(current.user.id), AuditAction::SignOut, Outcome::Success)).await?;
    let clear = cookies::clear(super::session::cookie_name(&state), state.config.secure_cookies);
    Ok((AppendHeaders([(SET_COOKIE, clear)]), Redirect::to("/sign-in?signed-out=everywhere")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Reauth {
    password: String,
}

/// Starts setting up (or replacing) the authenticator app, after checking the password.
pub async fn start_totp(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(form): Form<Reauth>) -> Result<Response, AppError> {
    if !super::passwords::matches(&state, current.user.id, form.password).await? {
        let html = page(lang, &state, &current, Notes { wrong_password: Some("totp"), ..Notes::default() }).await?;
        return Ok((StatusCode::UNAUTHORIZED, html).into_response());
    }
    let cookie = super::mfa::begin(&state, &current.user, true).await?;
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to("/sign-in/setup")).into_response())
}
