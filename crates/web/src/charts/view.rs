//! Viewing a chart and adding progress notes.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_domain::access::ChartAccess;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::NewNote;
use serde::Deserialize;

use super::{Chart, open, record};
use crate::chrome::Chrome;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

const MAX_NOTE_CHARS: usize = 20_000;

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

fn when(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn denied(lang: Lang, state: &AppState, current: &CurrentUser, chart: &Chart, error: Option<&str>, status: StatusCode) -> Result<Response, AppError> {
    let path = format!("/patients/{}", chart.patient.id);
    let chrome = Chrome::new(lang.0, &path, &state.config.crisis).for_user(current, &state.config.sessions);
    let error = error.map(|key| chrome.t(key));
    let html = DeniedPage { chrome, patient_id: chart.patient.id.to_string(), designee: chart.designee, error }
        .render()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

async fn render(lang: Lang, state: &AppState, current: &CurrentUser, chart: &Chart, error: Option<&str>, draft: String) -> Result<Html<String>, AppError> {
    let path = format!("/patients/{}", chart.patient.id);
    let chrome = Chrome::new(lang.0, &path, &state.config.crisis).for_user(current, &state.config.sessions);
    let mut notes = Vec::new();
    for note in state.store.notes_of(chart.patient.id).await? {
        let body = state
            .vault
            .open(&format!("notes.body:{}", note.id), &note.sealed_body)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let meta = chrome.t2("chart-note-meta", ("author", &note.author_name), ("when", &when(note.created_at)));
        notes.push(NoteView { meta, body: String::from_utf8_lossy(&body).into_owned() });
    }
    let error = error.map(|key| chrome.t(key));
    ChartPage {
        patient_id: chart.patient.id.to_string(),
        name: chart.patient.display_name.clone(),
        email: chart.patient.email.to_string(),
        care_team: state.store.care_team_of(chart.patient.id).await?,
        notes,
        glass_until: chart.glass_until.map(when),
        error,
        draft,
        chrome,
    }
    .render()
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn show(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let chart = open(&state, &current, &id).await?;
    if chart.access == ChartAccess::Denied {
        record(&state, peer, &current, &chart, AuditAction::AccessDenied, Outcome::Denied).await?;
        return denied(lang, &state, &current, &chart, None, StatusCode::FORBIDDEN);
    }
    let action = if chart.access == ChartAccess::BreakGlass { AuditAction::BreakGlass } else { AuditAction::Read };
    record(&state, peer, &current, &chart, action, Outcome::Success).await?;
    Ok(render(lang, &state, &current, &chart, None, String::new()).await?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    body: String,
}

pub async fn add_note(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let chart = open(&state, &current, &id).await?;
    if chart.access == ChartAccess::Denied {
        record(&state, peer, &current, &chart, AuditAction::AccessDenied, Outcome::Denied).await?;
        return denied(lang, &state, &current, &chart, None, StatusCode::FORBIDDEN);
    }
    let body = form.body.trim();
    let problem = if body.is_empty() {
        Some("note-error-empty")
    } else if body.chars().count() > MAX_NOTE_CHARS {
        Some("note-error-long")
    } else {
        None
    };
    if let Some(problem) = problem {
        // Nothing is stored and the text stays in the form; reading the chart back counts.
        record(&state, peer, &current, &chart, AuditAction::Read, Outcome::Success).await?;
        let html = render(lang, &state, &current, &chart, Some(problem), form.body.clone()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let now = state.clock.now();
    let note_id = uuid::Uuid::now_v7();
    let note = NewNote {
        id: note_id,
        practice: chart.practice,
        patient: chart.patient.id,
        author: current.user.id,
        sealed_body: state.vault.seal(&format!("notes.body:{note_id}"), body.as_bytes()),
    };
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: Some(chart.practice), patient: Some(chart.patient.id), action: AuditAction::Create, category: DataCategory::Clinical, outcome: Outcome::Success });
    state.store.add_note(&note, &audit, now).await?;
    Ok(Redirect::to(&format!("/patients/{}", chart.patient.id)).into_response())
}
