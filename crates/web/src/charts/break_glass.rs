//! Emergency ("break-glass") access to a chart outside one's care team: only for people
//! the practice designated, with a reason and the password again; it lasts an hour, writes
//! its own audit entry, and alerts the practice's admins by mail in the same transaction.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Language;
use haven_domain::access::{ChartAccess, MIN_REASON_CHARS};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_store::{NewGrant, NewMail};
use jiff::SignedDuration;
use serde::Deserialize;

use super::open;
use super::view::denied;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::i18n::translate;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

const LASTS: SignedDuration = SignedDuration::from_hours(1);

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Request {
    reason: String,
    password: String,
}

pub async fn grant(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Request>,
) -> Result<Response, AppError> {
    let chart = open(&state, &current, &id).await?;
    if chart.access != ChartAccess::Denied {
        return Ok(Redirect::to(&format!("/patients/{}", chart.patient.id)).into_response());
    }
    if !chart.designee {
        super::record(&state, peer, &current, &chart, AuditAction::AccessDenied, Outcome::Denied).await?;
        return Err(AppError::Forbidden);
    }
    let reason = form.reason.trim().to_owned();
    if reason.chars().count() < MIN_REASON_CHARS {
        return denied(lang, &state, &current, &chart, Some("glass-error-reason"), StatusCode::UNPROCESSABLE_ENTITY);
    }
    if !crate::identity::passwords::matches(&state, current.user.id, form.password).await? {
        return denied(lang, &state, &current, &chart, Some("security-wrong-password"), StatusCode::UNAUTHORIZED);
    }
    let now = state.clock.now();
    let grant_id = uuid::Uuid::now_v7();
    let grant = NewGrant {
        id: grant_id,
        practice: chart.practice,
        user: current.user.id,
        patient: chart.patient.id,
        sealed_reason: state.vault.seal(&format!("break_glass_grants.reason:{grant_id}"), reason.as_bytes()),
        expires_at: now.checked_add(LASTS).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: Some(chart.practice), patient: Some(chart.patient.id), action: AuditAction::BreakGlass, category: DataCategory::Clinical, outcome: Outcome::Success });
    // The alert names who and when, never the patient or the reason: admins read those in
    // the audit trail, behind their own sign-in.
    let who = current.user.display_name.clone();
    let alerts: Vec<NewMail> = state
        .store
        .practice_admins(chart.practice)
        .await?
        .into_iter()
        .map(|(email, language)| {
            let lang = Language::from_tag(&language).unwrap_or_default();
            NewMail {
                calendar: None,
                to: email,
                subject: translate(lang, "mail-glass-subject", &[]),
                body: translate(lang, "mail-glass-body", &[("name", &who), ("link", &state.link("/admin/audit"))]),
            }
        })
        .collect();
    state.store.grant_break_glass(&grant, &audit, &alerts, now).await?;
    state.mail_wake.notify_one();
    tracing::warn!(user = %current.user.id, "break-glass access granted");
    Ok(Redirect::to(&format!("/patients/{}", chart.patient.id)).into_response())
}
