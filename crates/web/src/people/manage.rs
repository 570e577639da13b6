//! The practice's people, for its admins: who has which role, who uses two-step sign-in,
//! who may use break-glass; deactivating and reactivating accounts (deactivation ends every
//! session at once). Every change is an audited permission change.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_store::User;
use serde::Deserialize;

use crate::access::Scoped;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::{Signed, role_label_key};
use crate::lang::Lang;
use crate::render::html;
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

pub async fn list(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/admin/people", &actor);
    let people = state
        .app
        .people
        .members(&actor)
        .await?
        .into_iter()
        .map(|m| PersonRow {
            id: m.user.id.to_string(),
            roles: m.roles.iter().map(|r| chrome.t(role_label_key(*r))).collect::<Vec<_>>().join(", "),
            active: m.user.active,
            totp: m.totp,
            designee: m.designee,
            staff: m.roles.iter().any(|r| r.is_staff()),
            is_self: m.user.id == actor.id(),
            name: m.user.display_name,
            email: m.user.email.to_string(),
        })
        .collect();
    html(&PeoplePage { chrome, people })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(person): Scoped<User>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    let active = form.active == "true";
    let user = state.app.people.set_active(&actor, person.id, active).await?;
    if !active {
        state.app.revoke_user(user).await;
    }
    Ok(Redirect::to("/admin/people").into_response())
}

pub async fn allow_break_glass(State(state): State<AppState>, Signed(actor): Signed, Scoped(person): Scoped<User>) -> Result<Response, AppError> {
    state.app.people.allow_break_glass(&actor, person.id).await?;
    Ok(Redirect::to("/admin/people").into_response())
}
