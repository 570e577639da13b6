//! The practice's audit trail for its admins: filter by person, patient, dates and
//! action; see whether the hash chain is intact; export CSV after re-entering the password.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, PracticeId, Role};
use haven_store::AuditFilter;
use serde::Deserialize;

use super::{Row, rows};
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Filters {
    person: String,
    patient: String,
    action: String,
    from: String,
    until: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    filters: Filters,
    actions: Vec<(&'static str, String)>,
    rows: Vec<Row>,
    chain: String,
    chain_ok: bool,
    error: Option<String>,
}

fn practice_of(current: &CurrentUser) -> Result<PracticeId, AppError> {
    current.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(AppError::Forbidden)
}

/// A `YYYY-MM-DD` date as the start of that UTC day.
fn day(text: &str) -> Result<Option<jiff::Timestamp>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = text.trim().parse().map_err(|_| ())?;
    date.to_zoned(jiff::tz::TimeZone::UTC).map(|z| Some(z.timestamp())).map_err(|_| ())
}

/// The account an email names, for a filter; an error key when there is none.
async fn person(state: &AppState, text: &str) -> Result<Result<Option<haven_domain::UserId>, &'static str>, AppError> {
    if text.trim().is_empty() {
        return Ok(Ok(None));
    }
    let Ok(email) = Email::parse(text) else { return Ok(Err("audit-error-person")) };
    Ok(match state.store.user_by_email(&email).await? {
        Some(user) => Ok(Some(user.id)),
        None => Err("audit-error-person"),
    })
}

async fn filter_from(state: &AppState, practice: PracticeId, f: &Filters, limit: i64) -> Result<Result<AuditFilter, &'static str>, AppError> {
    let actor = match person(state, &f.person).await? {
        Ok(id) => id,
        Err(key) => return Ok(Err(key)),
    };
    let patient = match person(state, &f.patient).await? {
        Ok(id) => id,
        Err(key) => return Ok(Err(key)),
    };
    let (Ok(from), Ok(until)) = (day(&f.from), day(&f.until)) else { return Ok(Err("audit-error-date")) };
    // "Until" includes that whole day.
    let until = until.and_then(|t| t.checked_add(jiff::SignedDuration::from_hours(24)).ok());
    let action = if f.action.is_empty() { None } else { AuditAction::parse(&f.action) };
    Ok(Ok(AuditFilter { practice: Some(practice), actor, patient, action, from, until, limit }))
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser, Query(filters): Query<Filters>) -> Result<Response, AppError> {
    let practice = practice_of(&current)?;
    let chrome = Chrome::new(lang.0, "/admin/audit", &state.config.crisis).for_user(&current, &state.config.sessions);
    let (rows, error) = match filter_from(&state, practice, &filters, 200).await? {
        Ok(filter) => (rows(&state, &chrome, &state.store.audit_entries(&filter).await?).await?, None),
        Err(key) => (Vec::new(), Some(chrome.t(key))),
    };
    let report = state.store.verify_audit_chain().await?;
    let (chain, chain_ok) = match report.first_bad {
        None => (chrome.t1("audit-chain-ok", "count", &report.entries.to_string()), true),
        Some(seq) => (chrome.t1("audit-chain-broken", "entry", &seq.to_string()), false),
    };
    let actions = AuditAction::ALL.iter().map(|a| (a.as_str(), chrome.t(&super::action_key(*a)))).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = AuditPage { chrome, filters, actions, rows, chain, chain_ok, error }
        .render()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportForm {
    password: String,
    person: String,
    patient: String,
    action: String,
    from: String,
    until: String,
}

fn csv_field(text: &str) -> String {
    // Quote every field; neutralise spreadsheet formulas (a leading = + - @).
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub async fn export(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Form(form): Form<ExportForm>,
) -> Result<Response, AppError> {
    let practice = practice_of(&current)?;
    let ok = crate::identity::passwords::matches(&state, current.user.id, form.password.clone()).await?;
    let filters = Filters { person: form.person, patient: form.patient, action: form.action, from: form.from, until: form.until };
    if !ok {
        let response = show(lang, State(state.clone()), current, Query(filters)).await?;
        return Ok((StatusCode::UNAUTHORIZED, response).into_response());
    }
    let Ok(filter) = filter_from(&state, practice, &filters, 100_000).await? else {
        return show(lang, State(state.clone()), current, Query(filters)).await;
    };
    let chrome = Chrome::new(lang.0, "/admin/audit", &state.config.crisis);
    let records = state.store.audit_entries(&filter).await?;
    let rows = rows(&state, &chrome, &records).await?;
    let mut csv = String::from("\u{feff}seq,time_utc,actor,patient,action,category,source,outcome\n");
    for (record, row) in records.iter().zip(&rows) {
        let fields = [&record.seq.to_string(), &row.when, &row.actor, &row.patient, &row.action, &row.category, &row.source, &row.outcome];
        csv.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    let entry = Entry {
        actor: Some(current.user.id),
        practice: Some(practice),
        patient: filter.patient,
        action: AuditAction::Export,
        category: DataCategory::AuditTrail,
        outcome: Outcome::Success,
    };
    audit::record(&state, peer, entry).await?;
    Ok((
        [(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, "attachment; filename=\"haven-audit.csv\"")],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "\"plain\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(day("2026-03-08").unwrap().unwrap().to_string(), "2026-03-08T00:00:00Z");
        assert!(day("").unwrap().is_none());
        assert!(day("08/03/2026").is_err());
    }
}
