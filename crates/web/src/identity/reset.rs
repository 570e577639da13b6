//! Password reset by emailed link. The request form answers the same whether or not the
//! address has an account; the link works once, for 30 minutes, and the new password ends
//! every session of that person.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_crypto::SecretToken;
use haven_domain::Email;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::StoreError;
use jiff::SignedDuration;
use serde::Deserialize;

use super::throttle;
use crate::chrome::Chrome;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::forms::new_password_problem;
use crate::lang::Lang;
use crate::mail_text;
use crate::state::AppState;

const VALID_FOR: SignedDuration = SignedDuration::from_mins(30);

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
struct LinkInvalid {
    chrome: Chrome,
}

fn render<T: Template>(page: T) -> Result<Html<String>, AppError> {
    page.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn request_form(lang: Lang, State(state): State<AppState>) -> Result<Html<String>, AppError> {
    render(RequestPage { chrome: Chrome::new(lang.0, "/password-reset", &state.config.crisis), sent: false })
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
    let send = throttle::reset_request(&state, peer.ip(), &form.email).await?;
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    if let Some(user) = user.filter(|u| u.active && send) {
        let now = state.clock.now();
        let token = SecretToken::generate();
        let link = state.link(&format!("/password-reset/{}", token.reveal()));
        let mail = mail_text::password_reset(user.language, user.email.as_str(), &link);
        let expires = now.checked_add(VALID_FOR).map_err(|e| AppError::Internal(e.to_string()))?;
        state.store.create_password_reset(&token.digest(), user.id, expires, &mail, now).await?;
        state.mail_wake.notify_one();
    }
    render(RequestPage { chrome: Chrome::new(lang.0, "/password-reset", &state.config.crisis), sent: true })
}

fn invalid(lang: Lang, state: &AppState) -> Result<Response, AppError> {
    let html = render(LinkInvalid { chrome: Chrome::new(lang.0, "/password-reset", &state.config.crisis) })?;
    Ok((StatusCode::NOT_FOUND, html).into_response())
}

pub async fn form(lang: Lang, State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, AppError> {
    let Some(token) = SecretToken::from_client(&raw) else { return invalid(lang, &state) };
    if !state.store.password_reset_open(&token.digest(), state.clock.now()).await? {
        return invalid(lang, &state);
    }
    let chrome = Chrome::new(lang.0, &format!("/password-reset/{raw}"), &state.config.crisis);
    Ok(render(FormPage { chrome, error: None })?.into_response())
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
    if let Some(problem) = new_password_problem(&form.password, &form.confirm) {
        let chrome = Chrome::new(lang.0, &format!("/password-reset/{raw}"), &state.config.crisis);
        let error = Some(chrome.t(problem));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(FormPage { chrome, error })?).into_response());
    }
    let hash = crate::identity::passwords::hash(&state, form.password).await?;
    let now = state.clock.now();
    let audit = |user| audit::event(&state, peer, Entry { actor: Some(user), practice: None, patient: None, action: AuditAction::Update, category: DataCategory::Account, outcome: Outcome::Success });
    match state.store.complete_password_reset(&token.digest(), &hash, audit, now).await {
        Ok(user) => {
            state.revoke_user(user).await;
            tracing::info!(%user, "password reset");
            Ok(Redirect::to("/sign-in?reset=done").into_response())
        }
        Err(StoreError::NotFound) => invalid(lang, &state),
        Err(e) => Err(e.into()),
    }
}
