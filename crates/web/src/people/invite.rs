//! Staff invite people: admins invite clinicians, admins and patients; clinicians invite
//! patients (who then join that clinician's care team). The invitation mail is queued in
//! the same transaction as the invitation and its audit entry.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use haven_crypto::SecretToken;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, Language, PracticeId, Role};
use haven_store::NewInvitation;
use jiff::SignedDuration;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::identity::session::role_label_key;
use crate::lang::Lang;
use crate::mail_text;
use crate::state::AppState;

const VALID_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The practice the person acts for, and the roles they may hand out there.
fn inviting_rights(current: &CurrentUser) -> Option<(PracticeId, Vec<Role>)> {
    let admin = current.user.memberships.iter().find(|(_, r)| *r == Role::Admin);
    let clinician = current.user.memberships.iter().find(|(_, r)| *r == Role::Clinician);
    match (admin, clinician) {
        (Some((practice, _)), _) => Some((*practice, vec![Role::Patient, Role::Clinician, Role::Admin])),
        (None, Some((practice, _))) => Some((*practice, vec![Role::Patient])),
        (None, None) => None,
    }
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    chrome: Chrome,
    roles: Vec<(&'static str, String)>,
    form: InviteForm,
    error: Option<String>,
    sent_to: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    name: String,
    email: String,
    role: String,
    language: String,
}

fn render(lang: Lang, state: &AppState, current: &CurrentUser, roles: &[Role], form: InviteForm, error: Option<&str>, sent_to: Option<String>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/people/invite", &state.config.crisis).for_user(&current, &state.config.sessions);
    let roles = roles.iter().map(|r| (r.as_str(), chrome.t(role_label_key(*r)))).collect();
    let error = error.map(|key| chrome.t(key));
    InvitePage { chrome, roles, form, error, sent_to }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn form(lang: Lang, State(state): State<AppState>, current: CurrentUser) -> Result<Html<String>, AppError> {
    let (_, roles) = inviting_rights(&current).ok_or(AppError::Forbidden)?;
    let form = InviteForm { role: "patient".into(), language: lang.0.tag().into(), ..InviteForm::default() };
    render(lang, &state, &current, &roles, form, None, None)
}

pub async fn submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let (practice, roles) = inviting_rights(&current).ok_or(AppError::Forbidden)?;
    let role = Role::parse(&form.role).filter(|r| roles.contains(r)).ok_or(AppError::Forbidden)?;
    let invalid = |key: &'static str| -> Result<Response, AppError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(lang, &state, &current, &roles, form.clone(), Some(key), None)?).into_response())
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return invalid("invite-error-name");
    }
    let Ok(email) = Email::parse(&form.email) else {
        return invalid("invite-error-email");
    };
    if state.store.user_by_email(&email).await?.is_some() {
        return invalid("invite-error-exists");
    }
    crate::identity::throttle::invitation(&state, current.user.id).await?;
    let language = Language::from_tag(&form.language).unwrap_or(lang.0);
    let practice_name = state
        .store
        .list_practices()
        .await?
        .into_iter()
        .find(|p| p.id == practice)
        .map(|p| p.name)
        .unwrap_or_default();
    let now = state.clock.now();
    let token = SecretToken::generate();
    let link = state.link(&format!("/invitations/{}", token.reveal()));
    let mail = mail_text::invitation(language, email.as_str(), name, &practice_name, &link);
    let invitation = NewInvitation {
        token_hash: token.digest(),
        practice,
        email: email.clone(),
        display_name: name.to_owned(),
        role,
        language,
        invited_by: Some(current.user.id),
        expires_at: now.checked_add(VALID_FOR).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let audit = audit::event(&state, peer, Entry { actor: Some(current.user.id), practice: Some(practice), patient: None, action: AuditAction::PermissionChange, category: DataCategory::Account, outcome: Outcome::Success });
    state.store.create_invitation(&invitation, &mail, &audit, now).await?;
    state.mail_wake.notify_one();
    let fresh = InviteForm { role: form.role.clone(), language: form.language.clone(), ..InviteForm::default() };
    Ok(render(lang, &state, &current, &roles, fresh, None, Some(email.to_string()))?.into_response())
}
