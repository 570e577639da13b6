//! The person's profile: the name others see, and the sign-in email. Changing the email
//! asks for the password, and the old address is told (so a hijacked session can't quietly
//! move an account away from its owner).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, Role};
use haven_store::{NewMail, StoreError};
use serde::Deserialize;

use super::CurrentUser;
use crate::chrome::Chrome;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::i18n::translate;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    name: String,
    email: String,
    error: Option<String>,
    saved: bool,
}

fn render(lang: Lang, state: &AppState, current: &CurrentUser, name: String, email: String, error: Option<&str>, saved: bool) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/account/profile", &state.config.crisis).for_user(current, &state.config.sessions);
    let error = error.map(|key| chrome.t(key));
    ProfilePage { chrome, name, email, error, saved }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(q): Query<Saved>) -> Result<Html<String>, AppError> {
    let (name, email) = (current.user.display_name.clone(), current.user.email.to_string());
    render(lang, &state, &current, name, email, None, q.saved == "1")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    email: String,
    password: String,
}

pub async fn save(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let invalid = |key: &'static str, status: StatusCode| -> Result<Response, AppError> {
        Ok((status, render(lang, &state, &current, form.name.clone(), form.email.clone(), Some(key), false)?).into_response())
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return invalid("invite-error-name", StatusCode::UNPROCESSABLE_ENTITY);
    }
    let Ok(email) = Email::parse(&form.email) else {
        return invalid("invite-error-email", StatusCode::UNPROCESSABLE_ENTITY);
    };
    let new_email = (email != current.user.email).then_some(email);
    if new_email.is_some() && !super::passwords::matches(&state, current.user.id, form.password.clone()).await? {
        return invalid("profile-error-password", StatusCode::UNAUTHORIZED);
    }
    let now = state.clock.now();
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: None, patient: current.user.has_role(Role::Patient).then_some(current.user.id), action: AuditAction::Update, category: DataCategory::Demographics, outcome: Outcome::Success });
    let notice = new_email.as_ref().map(|_| NewMail {
        calendar: None,
        to: current.user.email.to_string(),
        subject: translate(current.user.language, "mail-email-changed-subject", &[]),
        body: translate(current.user.language, "mail-email-changed-body", &[]),
    });
    match state.store.update_profile(current.user.id, name, new_email.as_ref(), &audit, notice.as_ref(), now).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return invalid("invite-error-exists", StatusCode::CONFLICT),
        Err(e) => return Err(e.into()),
    }
    state.mail_wake.notify_one();
    Ok(Redirect::to("/account/profile?saved=1").into_response())
}
