//! The practice's scheduling settings (admins): its time zone, the late-cancellation
//! window and wording, when reminders go out, and its offices for in-person visits.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::booking::settings::PracticeInput;
use haven_app::people::People;
use haven_app::when;
use haven_store::{Location, PracticeSettings};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

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
    measures: haven_store::MeasureSettings,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

pub(crate) async fn render(lang: Lang, state: &AppState, actor: &Actor, notice: bool, error: Option<&str>) -> Result<Response, AppError> {
    let practice = People::admin_practice(actor)?;
    let chrome = Chrome::signed(state, lang.0, "/admin/scheduling", actor);
    let store = &state.app.cx.store;
    let settings = store.practice_settings(practice).await?;
    let zone = settings.time_zone.clone();
    let (reply_hours, front_desk) = state.app.messaging.settings(practice).await?;
    let page = PracticePage {
        reminders: settings.reminder_minutes.iter().map(|m| (m / 60).to_string()).collect::<Vec<_>>().join(", "),
        zones: when::COMMON_ZONES.iter().map(|z| (*z).to_owned()).chain((!when::COMMON_ZONES.contains(&zone.as_str())).then_some(zone)).collect(),
        settings,
        locations: store.locations_of(practice).await?,
        reply_hours,
        front_desk,
        measures: state.app.measures.settings(practice).await?,
        notice: notice.then(|| chrome.t("settings-saved")),
        error: error.map(|k| chrome.t(k)),
        chrome,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(done): Query<Done>) -> Result<Response, AppError> {
    render(lang, &state, &actor, !done.done.is_empty(), None).await
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

pub async fn save(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<SettingsForm>) -> Result<Response, AppError> {
    let input = PracticeInput {
        time_zone: f.time_zone,
        late_cancel_hours: f.late_cancel_hours,
        late_cancel_policy: f.late_cancel_policy,
        reminders: f.reminders,
    };
    match state.app.booking.save_practice_settings(&actor, &input).await? {
        Ok(()) => Ok(Redirect::to("/admin/scheduling?done=1").into_response()),
        Err(key) => render(lang, &state, &actor, false, Some(key)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocationForm {
    name: String,
    address: String,
    accessibility: String,
}

pub async fn add_location(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Form(f): Form<LocationForm>,
) -> Result<Response, AppError> {
    match state.app.booking.add_location(&actor, &f.name, &f.address, &f.accessibility).await? {
        Ok(()) => Ok(Redirect::to("/admin/scheduling?done=1").into_response()),
        Err(key) => render(lang, &state, &actor, false, Some(key)).await,
    }
}
