//! The practice's scheduling settings (admins): its time zone, the late-cancellation
//! window and wording, when reminders go out, and its offices for in-person visits.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::{LocationId, PracticeId, Role};
use haven_store::{Location, PracticeSettings};
use serde::Deserialize;

use crate::booking::{html, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

fn admin_practice(current: &CurrentUser) -> Result<PracticeId, AppError> {
    current.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(AppError::Forbidden)
}

#[derive(Template)]
#[template(path = "practice_settings.html")]
struct PracticePage {
    chrome: Chrome,
    settings: PracticeSettings,
    reminders: String,
    zones: Vec<String>,
    locations: Vec<Location>,
    reply_hours: i64,
    front_desk: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

async fn render(lang: Lang, state: &AppState, current: &CurrentUser, notice: bool, error: Option<&str>) -> Result<Response, AppError> {
    let practice = admin_practice(current)?;
    let chrome = Chrome::new(lang.0, "/admin/scheduling", &state.config.crisis).for_user(current, &state.config.sessions);
    let settings = state.store.practice_settings(practice).await?;
    let zone = settings.time_zone.clone();
    let (reply_hours, front_desk) = state.store.messaging_settings(practice).await?;
    let page = PracticePage {
        reminders: settings.reminder_minutes.iter().map(|m| (m / 60).to_string()).collect::<Vec<_>>().join(", "),
        zones: when::COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!when::COMMON_ZONES.contains(&zone.as_str())).then_some(zone)).collect(),
        settings,
        locations: state.store.locations_of(practice).await?,
        reply_hours,
        front_desk,
        notice: notice.then(|| chrome.t("settings-saved")),
        error: error.map(|k| chrome.t(k)),
        chrome,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(done): Query<Done>) -> Result<Response, AppError> {
    render(lang, &state, &current, !done.done.is_empty(), None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    time_zone: String,
    late_cancel_hours: String,
    late_cancel_policy: String,
    /// Hours before the visit, comma-separated ("24, 1").
    reminders: String,
}

pub async fn save(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<SettingsForm>) -> Result<Response, AppError> {
    let practice = admin_practice(&current)?;
    if when::zone(&f.time_zone).is_none() {
        return render(lang, &state, &current, false, Some("booking-error-time-zone")).await;
    }
    let Some(hours) = f.late_cancel_hours.trim().parse::<i64>().ok().filter(|h| (0..=168).contains(h)) else {
        return render(lang, &state, &current, false, Some("settings-error-number")).await;
    };
    let parts: Vec<&str> = f.reminders.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let reminders: Vec<i64> = parts.iter().filter_map(|s| s.parse::<i64>().ok()).filter(|h| (1..=336).contains(h)).map(|h| h * 60).collect();
    if reminders.len() != parts.len() || reminders.len() > 4 || f.late_cancel_policy.chars().count() > 500 {
        return render(lang, &state, &current, false, Some("practice-error-reminders")).await;
    }
    let current_settings = state.store.practice_settings(practice).await?;
    let settings = PracticeSettings {
        name: current_settings.name,
        time_zone: f.time_zone.trim().to_owned(),
        late_cancel_hours: hours,
        late_cancel_policy: f.late_cancel_policy.trim().to_owned(),
        reminder_minutes: reminders,
    };
    state.store.save_practice_settings(practice, &settings).await?;
    Ok(Redirect::to("/admin/scheduling?done=1").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocationForm {
    name: String,
    address: String,
    accessibility: String,
}

pub async fn add_location(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<LocationForm>) -> Result<Response, AppError> {
    let practice = admin_practice(&current)?;
    let (name, address) = (f.name.trim(), f.address.trim());
    if name.is_empty() || address.is_empty() || name.chars().count() > 80 || address.chars().count() > 300 || f.accessibility.chars().count() > 500 {
        return render(lang, &state, &current, false, Some("practice-error-location")).await;
    }
    let location = Location { id: LocationId::new(), practice, name: name.to_owned(), address: address.to_owned(), accessibility: f.accessibility.trim().to_owned() };
    state.store.add_location(&location, state.clock.now()).await?;
    Ok(Redirect::to("/admin/scheduling?done=1").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessagingForm {
    reply_hours: String,
    front_desk: String,
}

pub async fn save_messaging(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(f): Form<MessagingForm>) -> Result<Response, AppError> {
    let practice = admin_practice(&current)?;
    let Some(hours) = f.reply_hours.trim().parse::<i64>().ok().filter(|h| (1..=336).contains(h)) else {
        return render(lang, &state, &current, false, Some("settings-error-number")).await;
    };
    state.store.set_messaging_settings(practice, hours, !f.front_desk.is_empty()).await?;
    Ok(Redirect::to("/admin/scheduling?done=1").into_response())
}
