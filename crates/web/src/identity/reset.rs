//! Password reset by emailed link: the request form (same answer whether or not the address
//! has an account) and the form behind the link.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_app::identity::reset::Reset;
use haven_crypto::SecretToken;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "reset_request.html")]
struct RequestPage {
    chrome: Chrome,
    sent: bool,
}

#[derive(Template)]
#[template(path = "reset_form.html")]
struct FormPage {
    chrome: Chrome,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "link_invalid.html")]
pub struct LinkInvalid {
    pub chrome: Chrome,
}

pub async fn request_form(lang: Lang, State(state): State<AppState>) -> Result<Html<String>, AppError> {
    html(&RequestPage { chrome: Chrome::public(&state, lang.0, "/password-reset"), sent: false })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetRequest {
    email: String,
}

pub async fn request(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<ResetRequest>,
) -> Result<Html<String>, AppError> {
    state.app.identity.request_reset(peer.ip(), &form.email).await?;
    html(&RequestPage { chrome: Chrome::public(&state, lang.0, "/password-reset"), sent: true })
}

/// The page for a link that was used, expired or never existed.
pub fn invalid(lang: Lang, state: &AppState) -> Result<Response, AppError> {
    Ok((StatusCode::NOT_FOUND, html(&LinkInvalid { chrome: Chrome::public(state, lang.0, "/") })?).into_response())
}

pub async fn form(lang: Lang, State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, AppError> {
    let Some(token) = SecretToken::from_client(&raw) else { return invalid(lang, &state) };
    if !state.app.identity.reset_open(&token).await? {
        return invalid(lang, &state);
    }
    Ok(html(&FormPage { chrome: Chrome::public(&state, lang.0, &format!("/password-reset/{raw}")), error: None })?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPassword {
    password: String,
    confirm: String,
}

pub async fn complete(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(raw): Path<String>,
    Form(form): Form<NewPassword>,
) -> Result<Response, AppError> {
    let Some(token) = SecretToken::from_client(&raw) else { return invalid(lang, &state) };
    match state.app.identity.complete_reset(peer.ip(), &token, form.password, &form.confirm).await? {
        Reset::Done(user) => {
            state.app.revoke_user(user).await;
            Ok(Redirect::to("/sign-in?reset=done").into_response())
        }
        Reset::Problem(problem) => {
            let chrome = Chrome::public(&state, lang.0, &format!("/password-reset/{raw}"));
            let error = Some(chrome.t(problem));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&FormPage { chrome, error })?).into_response())
        }
        Reset::LinkInvalid => invalid(lang, &state),
    }
}
