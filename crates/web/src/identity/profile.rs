//! The person's profile page: the name others see, the sign-in email (changing it asks for
//! the password, and the old address is told), and the time zone times are shown in.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::when::COMMON_ZONES;
use serde::Deserialize;

use super::session::Signed;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
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

struct Shown {
    name: String,
    email: String,
    error: Option<&'static str>,
    saved: bool,
    zone: Option<String>,
}

fn render(lang: Lang, state: &AppState, actor: &Actor, shown: Shown) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(state, lang.0, "/account/profile", actor);
    let error = shown.error.map(|key| chrome.t(key));
    let zone = shown.zone.unwrap_or_default();
    let zones = COMMON_ZONES
        .iter()
        .map(|z| (*z).to_owned())
        .chain((!zone.is_empty() && !COMMON_ZONES.contains(&zone.as_str())).then(|| zone.clone()))
        .collect();
    html(&ProfilePage { chrome, name: shown.name, email: shown.email, error, saved: shown.saved, zone, zones })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(q): Query<Saved>) -> Result<Html<String>, AppError> {
    let zone = actor.user.time_zone.clone();
    let shown = Shown { name: actor.user.display_name.clone(), email: actor.user.email.to_string(), error: None, saved: q.saved == "1", zone };
    render(lang, &state, &actor, shown)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ZoneForm {
    time_zone: String,
}

/// The zone every page and email shows this person's times in.
pub async fn save_time_zone(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(form): Form<ZoneForm>,
) -> Result<Response, AppError> {
    let choice = form.time_zone.trim();
    match state.app.identity.set_time_zone(&actor, (!choice.is_empty()).then_some(choice)).await? {
        Ok(()) => Ok(Redirect::to("/account/profile?saved=1").into_response()),
        Err(key) => {
            let shown = Shown {
                name: actor.user.display_name.clone(),
                email: actor.user.email.to_string(),
                error: Some(key),
                saved: false,
                zone: Some(choice.to_owned()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(lang, &state, &actor, shown)?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    email: String,
    password: String,
}

pub async fn save(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<ProfileForm>) -> Result<Response, AppError> {
    match state.app.identity.update_profile(&actor, &form.name, &form.email, form.password).await? {
        Ok(()) => {
            state.app.user_changed(actor.id()).await;
            Ok(Redirect::to("/account/profile?saved=1").into_response())
        }
        Err(key) => {
            let status = match key {
                "profile-error-password" => StatusCode::UNAUTHORIZED,
                "invite-error-exists" => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let zone = actor.user.time_zone.clone();
            let shown = Shown { name: form.name, email: form.email, error: Some(key), saved: false, zone };
            Ok((status, render(lang, &state, &actor, shown)?).into_response())
        }
    }
}
