//! The landing page: which practice this is, and the way in.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::MaybeSigned;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    practices: Vec<String>,
    signed_in: bool,
}

pub async fn show(lang: Lang, State(state): State<AppState>, user: MaybeSigned) -> Result<Html<String>, AppError> {
    let practices = state.app.cx.store.list_practices().await?.into_iter().map(|p| p.name).collect();
    let chrome = match &user.0 {
        Some(actor) => Chrome::signed(&state, lang.0, "/", actor),
        None => Chrome::public(&state, lang.0, "/"),
    };
    html(&HomePage { chrome, practices, signed_in: user.0.is_some() })
}
