//! The crisis page. Its content is built from configuration alone, so it answers even while
//! the database is down; only the header knows who is asking (a signed-in person keeps their
//! own menu), and when the session can't be read the page is shown signed out, never refused.

use askama::Template;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::Html;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "crisis.html")]
struct CrisisPage {
    chrome: Chrome,
}

pub async fn show(lang: Lang, State(state): State<AppState>, mut parts: Parts) -> Result<Html<String>, AppError> {
    // The session is looked up only while the database answers, and briefly: a person in
    // crisis must never wait on it.
    let actor = if state.health.db_up() {
        match tokio::time::timeout(SESSION_WAIT, Signed::from_request_parts(&mut parts, &state)).await {
            Ok(Ok(Signed(actor))) => Some(actor),
            _ => None,
        }
    } else {
        None
    };
    let chrome = match actor {
        Some(actor) => Chrome::signed(&state, lang.0, "/crisis", &actor),
        None => Chrome::public(&state, lang.0, "/crisis"),
    };
    html(&CrisisPage { chrome })
}

const SESSION_WAIT: Duration = Duration::from_millis(300);
