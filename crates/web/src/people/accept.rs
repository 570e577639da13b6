//! Accepting an invitation: the invited person chooses a password and is signed in.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_app::people::Accepted;
use haven_crypto::SecretToken;
use haven_store::Invitation;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::reset::invalid;
use crate::identity::session::role_label_key;
use crate::identity::session::session_cookies;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "accept.html")]
struct AcceptPage {
    chrome: Chrome,
    name: String,
    email: String,
    intro: String,
    error: Option<String>,
}

fn page(lang: Lang, state: &AppState, path: &str, invitation: &Invitation, error: Option<&str>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::public(state, lang.0, path);
    let role = chrome.t(role_label_key(invitation.role));
    let intro = chrome.tr.t2("accept-intro", ("practice", &invitation.practice_name), ("role", &role));
    let error = error.map(|key| chrome.t(key));
    html(&AcceptPage { name: invitation.display_name.clone(), email: invitation.email.to_string(), intro, error, chrome })
}

pub async fn show(lang: Lang, State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, AppError> {
    let Some(token) = SecretToken::from_client(&raw) else { return invalid(lang, &state) };
    match state.app.people.invitation(&token).await? {
        Some(invitation) => Ok(page(lang, &state, &format!("/invitations/{raw}"), &invitation, None)?.into_response()),
        None => invalid(lang, &state),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPassword {
    password: String,
    confirm: String,
}

pub async fn accept(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(raw): Path<String>,
    Form(form): Form<NewPassword>,
) -> Result<Response, AppError> {
    let Some(token) = SecretToken::from_client(&raw) else { return invalid(lang, &state) };
    let Some(invitation) = state.app.people.invitation(&token).await? else { return invalid(lang, &state) };
    match state.app.people.accept(&state.app.identity, peer.ip(), &token, form.password, &form.confirm).await? {
        Accepted::SignedIn(session, user) => {
            Ok((AppendHeaders(session_cookies(&state, &session, user.language)), Redirect::to("/home")).into_response())
        }
        Accepted::Problem(key) => {
            let status = if key == "accept-error-exists" { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            Ok((status, page(lang, &state, &format!("/invitations/{raw}"), &invitation, Some(key))?).into_response())
        }
        Accepted::LinkInvalid => invalid(lang, &state),
    }
}
