//! The practice's audit trail for its admins: filter by person, patient, dates and action;
//! see whether the hash chain is intact; export CSV after re-entering the password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use haven_app::Actor;
use haven_app::trail::{Filters as Search, action_key};
use haven_domain::audit::AuditAction;
use serde::Deserialize;

use super::{Row, rows};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Filters {
    person: String,
    patient: String,
    action: String,
    from: String,
    until: String,
    before: String,
}

impl Filters {
    fn search(&self) -> Search {
        Search {
            person: self.person.clone(),
            patient: self.patient.clone(),
            action: self.action.clone(),
            from: self.from.clone(),
            until: self.until.clone(),
            before: self.before.clone(),
        }
    }
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
    /// The export's own refusal (a wrong password), shown at its form.
    export_error: Option<String>,
    /// The link to the next (older) page, when this one is full.
    older: Option<String>,
    /// This is not the first page: a link back to the newest entries.
    newest: Option<String>,
}

/// Entries per page.
const PAGE: i64 = 200;

async fn page(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    filters: Filters,
    export_problem: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let chrome = Chrome::signed(state, lang.0, "/admin/audit", actor);
    let (rows, last_seq, error) = match state.app.trail.search(actor, &filters.search(), PAGE).await? {
        Ok(named) => {
            let tz = crate::booking::reader_zone(state, actor).await?;
            let full = i64::try_from(named.records.len()).unwrap_or(i64::MAX) >= PAGE;
            let last = named.records.last().map(|r| r.seq).filter(|_| full);
            (rows(&chrome, &named, &tz), last, None)
        }
        Err(key) => (Vec::new(), None, Some(chrome.t(key))),
    };
    let link = |before: Option<i64>| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("person", &filters.person),
            ("patient", &filters.patient),
            ("action", &filters.action),
            ("from", &filters.from),
            ("until", &filters.until),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        if let Some(b) = before {
            q.append_pair("before", &b.to_string());
        }
        format!("/admin/audit?{}", q.finish())
    };
    let older = last_seq.map(|seq| link(Some(seq)));
    let newest = (!filters.before.is_empty()).then(|| link(None));
    let export_error = export_problem.map(|key| chrome.t(key));
    let report = state.app.trail.verify().await?;
    let (chain, chain_ok) = match report.first_bad {
        None => (chrome.t1("audit-chain-ok", "count", &report.entries.to_string()), true),
        Some(seq) => (chrome.t1("audit-chain-broken", "entry", &seq.to_string()), false),
    };
    let actions = AuditAction::ALL.iter().map(|a| (a.as_str(), chrome.t(&action_key(*a)))).collect();
    let status = if error.is_some() && status == StatusCode::OK { StatusCode::UNPROCESSABLE_ENTITY } else { status };
    Ok((status, html(&AuditPage { chrome, filters, actions, rows, chain, chain_ok, error, export_error, older, newest })?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Query(filters): Query<Filters>) -> Result<Response, AppError> {
    page(lang, &state, &actor, filters, None, StatusCode::OK).await
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

pub async fn export(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<ExportForm>) -> Result<Response, AppError> {
    let filters =
        Filters { person: form.person, patient: form.patient, action: form.action, from: form.from, until: form.until, before: String::new() };
    let named = match state.app.trail.export(&actor, &state.app.identity, form.password, &filters.search()).await? {
        None => return page(lang, &state, &actor, filters, Some("security-wrong-password"), StatusCode::UNAUTHORIZED).await,
        Some(Err(_)) => return page(lang, &state, &actor, filters, None, StatusCode::OK).await,
        Some(Ok(named)) => named,
    };
    let chrome = Chrome::public(&state, lang.0, "/admin/audit");
    // The file's times are UTC in RFC 3339 (below), for machines and spreadsheets alike.
    let rows = rows(&chrome, &named, &jiff::tz::TimeZone::UTC);
    let mut csv = String::from("\u{feff}seq,time_utc,actor,patient,action,category,source,outcome\n");
    for (record, row) in named.records.iter().zip(&rows) {
        let fields =
            [&record.seq.to_string(), &record.event.at.to_string(), &row.actor, &row.patient, &row.action, &row.category, &row.source, &row.outcome];
        csv.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CONTENT_DISPOSITION, "attachment; filename=\"haven-audit.csv\"")], csv).into_response())
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
}
