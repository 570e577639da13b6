//! "Who accessed my record": a patient's view of their own audit entries.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::{Row, rows};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLog {
    chrome: Chrome,
    rows: Vec<Row>,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/account/access", &actor);
    let named = state.app.trail.mine(&actor, 200).await?;
    let rows = rows(&chrome, &named);
    html(&AccessLog { chrome, rows })
}
