//! The practice's people, for its admins: who has which role, who uses two-step sign-in,
//! who may use break-glass; deactivating and reactivating accounts. Deactivation ends
//! every session at once. Every change is an audited permission change.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{PracticeId, Role, UserId};
use serde::Deserialize;

use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::identity::session::role_label_key;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    people: Vec<PersonRow>,
}

struct PersonRow {
    id: String,
    name: String,
    email: String,
    roles: String,
    active: bool,
    totp: bool,
    designee: bool,
    staff: bool,
    is_self: bool,
}

fn admin_practice(current: &CurrentUser) -> Result<PracticeId, AppError> {
    current.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(AppError::Forbidden)
}

pub async fn list(lang: Lang, State(state): State<AppState>, current: CurrentUser) -> Result<Html<String>, AppError> {
    let practice = admin_practice(&current)?;
    let chrome = Chrome::new(lang.0, "/admin/people", &state.config.crisis).for_user(&current, &state.config.sessions);
    let mut people = Vec::new();
    for user in state.store.practice_members(practice).await? {
        let mut roles: Vec<Role> = user.memberships.iter().filter(|(p, _)| *p == practice).map(|(_, r)| *r).collect();
        roles.sort();
        let staff = roles.iter().any(|r| r.is_staff());
        people.push(PersonRow {
            id: user.id.to_string(),
            roles: roles.iter().map(|r| chrome.t(role_label_key(*r))).collect::<Vec<_>>().join(", "),
            active: user.active,
            totp: state.store.totp(user.id).await?.is_some(),
            designee: state.store.is_break_glass_designee(practice, user.id).await?,
            staff,
            is_self: user.id == current.user.id,
            name: user.display_name,
            email: user.email.to_string(),
        });
    }
    PeoplePage { chrome, people }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

/// Records a refused change to someone's account (naming them when they are a patient).
async fn refuse(state: &AppState, peer: SocketAddr, current: &CurrentUser, subject: &haven_store::User) -> AppError {
    let entry = Entry {
        actor: Some(current.user.id),
        practice: None,
        patient: subject.has_role(Role::Patient).then_some(subject.id),
        action: AuditAction::AccessDenied,
        category: DataCategory::Account,
        outcome: Outcome::Denied,
    };
    match audit::record(state, peer, entry).await {
        Ok(_) => AppError::Forbidden,
        Err(e) => e,
    }
}

/// The member `raw` of the admin's practice; anyone else's account is refused (and the
/// attempt audited), the same as a route they may not use.
async fn member(state: &AppState, peer: SocketAddr, current: &CurrentUser, practice: PracticeId, raw: &str) -> Result<haven_store::User, AppError> {
    let id: UserId = raw.parse().map_err(|_| AppError::NotFound)?;
    let user = state.store.user(id).await?.ok_or(AppError::NotFound)?;
    if user.memberships.iter().any(|(p, _)| *p == practice) { Ok(user) } else { Err(refuse(state, peer, current, &user).await) }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Path(raw): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    let practice = admin_practice(&current)?;
    let user = member(&state, peer, &current, practice, &raw).await?;
    if user.id == current.user.id {
        // An admin can't lock themselves out; another admin (or the operator) can.
        return Err(refuse(&state, peer, &current, &user).await);
    }
    let active = form.active == "true";
    state.store.set_active(user.id, active).await?;
    if !active {
        state.revoke_user(user.id).await;
    }
    let entry = Entry {
        actor: Some(current.user.id),
        practice: Some(practice),
        patient: user.has_role(Role::Patient).then_some(user.id),
        action: AuditAction::PermissionChange,
        category: DataCategory::Account,
        outcome: Outcome::Success,
    };
    audit::record(&state, peer, entry).await?;
    tracing::info!(user = %user.id, active, "account activation changed");
    Ok(Redirect::to("/admin/people").into_response())
}

pub async fn allow_break_glass(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let practice = admin_practice(&current)?;
    let user = member(&state, peer, &current, practice, &raw).await?;
    if !user.memberships.iter().any(|(p, r)| *p == practice && r.is_staff()) {
        return Err(refuse(&state, peer, &current, &user).await);
    }
    let now = state.clock.now();
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: Some(practice), patient: None, action: AuditAction::PermissionChange, category: DataCategory::Account, outcome: Outcome::Success });
    state.store.designate_break_glass(practice, user.id, &audit, now).await?;
    Ok(Redirect::to("/admin/people").into_response())
}
