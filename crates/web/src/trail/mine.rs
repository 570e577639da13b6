//! "Who accessed my record": a patient's view of their own audit entries.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::response::Html;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::AuditFilter;

use super::{Row, rows};
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLog {
    chrome: Chrome,
    rows: Vec<Row>,
}

pub async fn show(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/account/access", &state.config.crisis).for_user(&current, &state.config.sessions);
    let filter = AuditFilter { patient: Some(current.user.id), limit: 200, ..AuditFilter::default() };
    let records = state.store.audit_entries(&filter).await?;
    let rows = rows(&state, &chrome, &records).await?;
    let entry = Entry {
        actor: Some(current.user.id),
        practice: None,
        patient: Some(current.user.id),
        action: AuditAction::Read,
        category: DataCategory::AuditTrail,
        outcome: Outcome::Success,
    };
    audit::record(&state, peer, entry).await?;
    AccessLog { chrome, rows }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}
