//! The person's own security settings: two-step sign-in, password, passkeys, sessions.
//! Sensitive changes ask for the current password again first (re-authentication).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::identity::PasswordChange;
use serde::Deserialize;

use super::session::{self, Signed};
use crate::chrome::Chrome;
use crate::cookies;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
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

#[derive(Default)]
struct Notes {
    wrong_password: Option<&'static str>,
    password_problem: Option<&'static str>,
    password_changed: bool,
    passkey_added: bool,
    passkey_removed: bool,
}

async fn page(lang: Lang, state: &AppState, actor: &Actor, notes: Notes) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(state, lang.0, "/account/security", actor);
    let overview = state.app.identity.security_overview(actor).await?;
    let tz = crate::booking::reader_zone(state, actor).await?;
    let when = |ts| haven_app::when::when_label(lang.0, ts, &tz);
    let sessions = overview
        .sessions
        .into_iter()
        .map(|s| SessionRow { started: when(s.created_at), last_active: when(s.last_seen_at), this_one: s.id == actor.session_id() })
        .collect();
    let never = chrome.t("passkey-never-used");
    let passkeys =
        overview.passkeys.into_iter().map(|p| (p.id.to_string(), when(p.created_at), p.last_used_at.map_or_else(|| never.clone(), when))).collect();
    html(&SecurityPage {
        password_problem: notes.password_problem.map(|key| chrome.t(key)),
        chrome,
        totp_on: overview.totp_on,
        recovery_left: overview.recovery_left,
        wrong_password: notes.wrong_password,
        password_changed: notes.password_changed,
        sessions,
        passkeys_available: state.app.identity.passkeys_available(),
        passkey_added: notes.passkey_added,
        passkey_removed: notes.passkey_removed,
        passkeys,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SecurityQuery {
    changed: String,
}

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Query(query): Query<SecurityQuery>,
) -> Result<Html<String>, AppError> {
    let notes = Notes {
        password_changed: query.changed == "password",
        passkey_added: query.changed == "passkey",
        passkey_removed: query.changed == "passkey-removed",
        ..Notes::default()
    };
    page(lang, &state, &actor, notes).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

/// Changes the password after checking the current one. Every session ends, this one
/// included; this browser gets a fresh session so the person stays signed in here.
pub async fn change_password(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    match state.app.identity.change_password(&actor, form.current, form.password, &form.confirm).await? {
        PasswordChange::WrongPassword => {
            let html = page(lang, &state, &actor, Notes { wrong_password: Some("password"), ..Notes::default() }).await?;
            Ok((StatusCode::UNAUTHORIZED, html).into_response())
        }
        PasswordChange::Problem(problem) => {
            let html = page(lang, &state, &actor, Notes { password_problem: Some(problem), ..Notes::default() }).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        PasswordChange::Changed(token) => {
            state.app.revoke_user(actor.id()).await;
            Ok((AppendHeaders([(SET_COOKIE, session::cookie(&state, &token))]), Redirect::to("/account/security?changed=password")).into_response())
        }
    }
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
    Signed(actor): Signed,
    Form(form): Form<RemovePasskey>,
) -> Result<Response, AppError> {
    let id: uuid::Uuid = form.passkey.parse().map_err(|_| AppError::NotFound)?;
    match state.app.identity.remove_passkey(&actor, form.password, id).await? {
        None => {
            let html = page(lang, &state, &actor, Notes { wrong_password: Some("passkey"), ..Notes::default() }).await?;
            Ok((StatusCode::UNAUTHORIZED, html).into_response())
        }
        Some(false) => Err(AppError::NotFound),
        Some(true) => Ok(Redirect::to("/account/security?changed=passkey-removed").into_response()),
    }
}

/// Ends every session of this person, on every device, this one included.
pub async fn sign_out_everywhere(State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    state.app.identity.sign_out_everywhere(&actor).await?;
    state.app.revoke_user(actor.id()).await;
    let clear = cookies::clear(session::cookie_name(&state), state.config.secure_cookies);
    Ok((AppendHeaders([(SET_COOKIE, clear)]), Redirect::to("/sign-in?signed-out=everywhere")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Reauth {
    password: String,
}

/// Starts setting up (or replacing) the authenticator app, after checking the password.
pub async fn start_totp(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<Reauth>) -> Result<Response, AppError> {
    let Some(challenge) = state.app.identity.start_totp_setup(&actor.user, form.password).await? else {
        let html = page(lang, &state, &actor, Notes { wrong_password: Some("totp"), ..Notes::default() }).await?;
        return Ok((StatusCode::UNAUTHORIZED, html).into_response());
    };
    Ok((AppendHeaders([(SET_COOKIE, super::mfa::challenge_cookie(&state, &challenge))]), Redirect::to("/sign-in/setup")).into_response())
}
