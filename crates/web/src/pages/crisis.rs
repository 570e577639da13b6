//! The crisis page. It is built from configuration alone, so it answers even while the
//! database is down; nothing on it depends on who is asking.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "crisis.html")]
struct CrisisPage {
    chrome: Chrome,
}

pub async fn show(lang: Lang, State(state): State<AppState>) -> Result<Html<String>, AppError> {
    html(&CrisisPage { chrome: Chrome::public(&state, lang.0, "/crisis") })
}
