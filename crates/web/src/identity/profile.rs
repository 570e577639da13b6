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
use crate::booking::when::COMMON_ZONES;
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
    /// The zone times are shown in; empty means the practice's.
    zone: String,
    zones: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn render(lang: Lang, state: &AppState, current: &CurrentUser, name: String, email: String, error: Option<&str>, saved: bool, zone: Option<String>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/account/profile", &state.config.crisis).for_user(current, &state.config.sessions);
    let error = error.map(|key| chrome.t(key));
    let zone = zone.unwrap_or_default();
    let zones = COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!zone.is_empty() && !COMMON_ZONES.contains(&zone.as_str())).then(|| zone.clone())).collect();
    ProfilePage { chrome, name, email, error, saved, zone, zones }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(q): Query<Saved>) -> Result<Html<String>, AppError> {
    let (name, email) = (current.user.display_name.clone(), current.user.email.to_string());
    let zone = state.store.user_time_zone(current.user.id).await?;
    render(lang, &state, &current, name, email, None, q.saved == "1", zone)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ZoneForm {
    time_zone: String,
}

/// The zone every page and email shows this person's times in.
pub async fn save_time_zone(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(form): Form<ZoneForm>) -> Result<Response, AppError> {
    let choice = form.time_zone.trim();
    if !choice.is_empty() && crate::booking::when::zone(choice).is_none() {
        let (name, email) = (current.user.display_name.clone(), current.user.email.to_string());
        let html = render(lang, &state, &current, name, email, Some("booking-error-time-zone"), false, Some(choice.to_owned()))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    state.store.set_user_time_zone(current.user.id, (!choice.is_empty()).then_some(choice)).await?;
    Ok(Redirect::to("/account/profile?saved=1").into_response())
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
    let zone = state.store.user_time_zone(current.user.id).await?;
    let invalid = |key: &'static str, status: StatusCode| -> Result<Response, AppError> {
        Ok((status, render(lang, &state, &current, form.name.clone(), form.email.clone(), Some(key), false, zone.clone())?).into_response())
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
