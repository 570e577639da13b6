//! Staff invite people: admins invite clinicians, admins and patients; clinicians invite
//! patients (who then join that clinician's care team).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use haven_app::Actor;
use haven_app::people::People;
use haven_domain::{Language, Role};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::{Signed, role_label_key};
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

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

fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    roles: &[Role],
    form: InviteForm,
    error: Option<&str>,
    sent_to: Option<String>,
) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(state, lang.0, "/people/invite", actor);
    let roles = roles.iter().map(|r| (r.as_str(), chrome.t(role_label_key(*r)))).collect();
    let error = error.map(|key| chrome.t(key));
    html(&InvitePage { chrome, roles, form, error, sent_to })
}

pub async fn form(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Html<String>, AppError> {
    let (_, roles) = People::inviting_rights(&actor).ok_or(AppError::Forbidden)?;
    let form = InviteForm { role: "patient".into(), language: lang.0.tag().into(), ..InviteForm::default() };
    render(lang, &state, &actor, &roles, form, None, None)
}

pub async fn submit(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(form): Form<InviteForm>) -> Result<Response, AppError> {
    let (_, roles) = People::inviting_rights(&actor).ok_or(AppError::Forbidden)?;
    let role = Role::parse(&form.role).filter(|r| roles.contains(r)).ok_or(AppError::Forbidden)?;
    let language = Language::from_tag(&form.language).unwrap_or(lang.0);
    match state.app.people.invite(&actor, &form.name, &form.email, role, language).await? {
        Ok(email) => {
            let fresh = InviteForm { role: form.role.clone(), language: form.language.clone(), ..InviteForm::default() };
            Ok(render(lang, &state, &actor, &roles, fresh, None, Some(email.to_string()))?.into_response())
        }
        Err(key) => Ok((StatusCode::UNPROCESSABLE_ENTITY, render(lang, &state, &actor, &roles, form, Some(key), None)?).into_response()),
    }
}
