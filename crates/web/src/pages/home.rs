//! The landing page: which practice this is, and the way in.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::MaybeUser;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    practices: Vec<String>,
    signed_in: bool,
}

pub async fn show(lang: Lang, State(state): State<AppState>, user: MaybeUser) -> Result<Html<String>, AppError> {
    let practices = state.store.list_practices().await?.into_iter().map(|p| p.name).collect();
    let mut chrome = Chrome::new(lang.0, "/", &state.config.crisis);
    if let Some(current) = &user.0 {
        chrome = chrome.for_user(&current, &state.config.sessions);
    }
    HomePage { chrome, practices, signed_in: user.0.is_some() }
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}
