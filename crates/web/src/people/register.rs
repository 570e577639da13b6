//! Self-registration, where a practice allows it: a person asks for a patient account and
//! receives a link to finish it. The answer is the same whether or not the address already
//! has an account, so the form reveals nobody.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::response::Html;
use haven_store::Practice;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    practice: String,
    slug: String,
    sent: bool,
    error: Option<String>,
}

fn render(lang: Lang, state: &AppState, practice: &Practice, sent: bool, error: Option<&str>) -> Result<Html<String>, AppError> {
    let chrome = Chrome::public(state, lang.0, &format!("/register/{}", practice.slug));
    let error = error.map(|key| chrome.t(key));
    html(&RegisterPage { chrome, practice: practice.name.clone(), slug: practice.slug.clone(), sent, error })
}

pub async fn form(lang: Lang, State(state): State<AppState>, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    let practice = state.app.people.open_for_registration(&slug).await?;
    render(lang, &state, &practice, false, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Registration {
    name: String,
    email: String,
}

pub async fn submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Form(form): Form<Registration>,
) -> Result<Html<String>, AppError> {
    let practice = state.app.people.open_for_registration(&slug).await?;
    match state.app.people.register(peer.ip(), &practice, &form.name, &form.email, lang.0).await? {
        Ok(()) => render(lang, &state, &practice, true, None),
        Err(key) => render(lang, &state, &practice, false, Some(key)),
    }
}
