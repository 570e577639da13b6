//! Accepting an invitation: the invited person chooses a password and is signed in.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_crypto::SecretToken;
use haven_domain::Role;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::{Invitation, StoreError};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::cookies;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::forms::new_password_problem;
use crate::identity::session;
use crate::identity::session::role_label_key;
use crate::lang::{LANG_COOKIE, Lang};
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

#[derive(Template)]
#[template(path = "link_invalid.html")]
struct LinkInvalid {
    chrome: Chrome,
}

fn invalid_link(lang: Lang, state: &AppState) -> Result<Response, AppError> {
    let chrome = Chrome::new(lang.0, "/", &state.config.crisis);
    let html = LinkInvalid { chrome }.render().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((StatusCode::NOT_FOUND, Html(html)).into_response())
}

fn page(lang: Lang, state: &AppState, path: &str, invitation: &Invitation, error: Option<&str>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, path, &state.config.crisis);
    let role = chrome.t(role_label_key(invitation.role));
    let intro = chrome.tr.t2("accept-intro", ("practice", &invitation.practice_name), ("role", &role));
    let error = error.map(|key| chrome.t(key));
    AcceptPage { name: invitation.display_name.clone(), email: invitation.email.to_string(), intro, error, chrome }
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn token_of(raw: &str) -> Option<SecretToken> {
    SecretToken::from_client(raw)
}

pub async fn show(lang: Lang, State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, AppError> {
    let Some(token) = token_of(&raw) else { return invalid_link(lang, &state) };
    match state.store.invitation_by_token(&token.digest(), state.clock.now()).await? {
        // The page is shown in the language the inviter chose, unless the browser chose.
        Some(invitation) => Ok(page(lang, &state, &format!("/invitations/{raw}"), &invitation, None)?.into_response()),
        None => invalid_link(lang, &state),
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
    let Some(token) = token_of(&raw) else { return invalid_link(lang, &state) };
    let now = state.clock.now();
    let Some(invitation) = state.store.invitation_by_token(&token.digest(), now).await? else {
        return invalid_link(lang, &state);
    };
    if let Some(problem) = new_password_problem(&form.password, &form.confirm) {
        let html = page(lang, &state, &format!("/invitations/{raw}"), &invitation, Some(problem))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let hash = crate::identity::passwords::hash(&state, form.password).await?;
    let audit = |id| audit::event(&state, peer, Entry { actor: Some(id), practice: Some(invitation.practice), patient: (invitation.role == Role::Patient).then_some(id), action: AuditAction::Create, category: DataCategory::Account, outcome: Outcome::Success });
    let id = match state.store.accept_invitation(&token.digest(), &hash, audit, now).await {
        Ok(id) => id,
        Err(StoreError::NotFound) => return invalid_link(lang, &state),
        Err(StoreError::Conflict(_)) => {
            let html = page(lang, &state, &format!("/invitations/{raw}"), &invitation, Some("accept-error-exists"))?;
            return Ok((StatusCode::CONFLICT, html).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let user = state.store.user(id).await?.ok_or(AppError::Internal("the new account vanished".into()))?;
    let session_cookie = session::start(&state, &user).await?;
    let lang_cookie = cookies::set(LANG_COOKIE, user.language.tag(), state.config.secure_cookies, Some(31_536_000));
    tracing::info!(user = %user.id, "invitation accepted");
    Ok((AppendHeaders([(SET_COOKIE, session_cookie), (SET_COOKIE, lang_cookie)]), Redirect::to("/home")).into_response())
}
