//! Viewing a chart and adding progress notes.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::charts::Chart;
use haven_domain::access::ChartAccess;
use haven_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access::Scoped;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartPage {
    chrome: Chrome,
    patient_id: String,
    name: String,
    email: String,
    care_team: Vec<String>,
    notes: Vec<NoteView>,
    glass_until: Option<String>,
    error: Option<String>,
    draft: String,
    measures: Vec<crate::measures::chart::SeriesView>,
    instruments: Vec<(String, String)>,
    weekdays: Vec<(i64, String)>,
    measure_error: Option<String>,
}

struct NoteView {
    /// "Author, when".
    meta: String,
    body: String,
}

#[derive(Template)]
#[template(path = "chart_denied.html")]
struct DeniedPage {
    chrome: Chrome,
    patient_id: String,
    designee: bool,
    error: Option<String>,
}

pub fn denied(lang: Lang, state: &AppState, actor: &Actor, chart: &Chart, error: Option<&str>, status: StatusCode) -> Result<Response, AppError> {
    let chrome = Chrome::signed(state, lang.0, &format!("/patients/{}", chart.patient.id), actor);
    let error = error.map(|key| chrome.t(key));
    Ok((status, html(&DeniedPage { chrome, patient_id: chart.patient.id.to_string(), designee: chart.designee, error })?).into_response())
}

async fn render(lang: Lang, state: &AppState, actor: &Actor, chart: &Chart, error: Option<&str>, draft: String) -> Result<Html<String>, AppError> {
    render_all(lang, state, actor, chart, error, draft, None).await
}

/// The chart again with the assignment form's problem shown (nothing was stored).
pub async fn page_with_measure_error(lang: Lang, state: &AppState, actor: &Actor, chart: &Chart, problem: &str) -> Result<Response, AppError> {
    let page = render_all(lang, state, actor, chart, None, String::new(), Some(problem)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn render_all(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    chart: &Chart,
    error: Option<&str>,
    draft: String,
    measure_error: Option<&str>,
) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(state, lang.0, &format!("/patients/{}", chart.patient.id), actor);
    let tz = crate::booking::reader_zone(state, actor).await?;
    let when = |ts| haven_app::when::when_label(lang.0, ts, &tz);
    let notes = state
        .app
        .charts
        .notes(chart)
        .await?
        .into_iter()
        .map(|n| NoteView { meta: chrome.t2("chart-note-meta", ("author", &n.author), ("when", &when(n.at))), body: n.body })
        .collect();
    let measures = crate::measures::chart::views(state, &chrome, chart, &tz).await?;
    let weekdays = (1..=7).map(|d| (d, chrome.t(&format!("weekday-{d}")))).collect();
    html(&ChartPage {
        measures,
        instruments: crate::measures::chart::assignable(lang.0),
        weekdays,
        measure_error: measure_error.map(|key| chrome.t(key)),
        patient_id: chart.patient.id.to_string(),
        name: chart.patient.display_name.clone(),
        email: chart.patient.email.to_string(),
        care_team: state.app.charts.care_team(chart).await?,
        notes,
        glass_until: chart.glass_until.map(when),
        error: error.map(|key| chrome.t(key)),
        draft,
        chrome,
    })
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Scoped(chart): Scoped<Chart>) -> Result<Response, AppError> {
    state.app.charts.record_open(&actor, &chart).await?;
    if chart.access == ChartAccess::Denied {
        return denied(lang, &state, &actor, &chart, None, StatusCode::FORBIDDEN);
    }
    Ok(render(lang, &state, &actor, &chart, None, String::new()).await?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    body: String,
}

pub async fn add_note(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(chart): Scoped<Chart>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    if chart.access == ChartAccess::Denied {
        state.app.charts.record(&actor, &chart, AuditAction::AccessDenied).await?;
        return denied(lang, &state, &actor, &chart, None, StatusCode::FORBIDDEN);
    }
    match state.app.charts.add_note(&actor, &chart, &form.body).await? {
        Ok(()) => Ok(Redirect::to(&format!("/patients/{}", chart.patient.id)).into_response()),
        Err(problem) => {
            // Nothing is stored and the text stays in the form; reading the chart back counts.
            state.app.charts.record(&actor, &chart, AuditAction::Read).await?;
            let html = render(lang, &state, &actor, &chart, Some(problem), form.body.clone()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
