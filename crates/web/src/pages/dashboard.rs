//! The signed-in person's start page.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::identity::session::role_label_key;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    name: String,
    email: String,
    roles: Vec<String>,
    staff: bool,
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/home", &state.config.crisis).signed_in(&current.user.display_name);
    let mut roles: Vec<_> = current.user.memberships.iter().map(|(_, r)| *r).collect();
    roles.sort();
    roles.dedup();
    let roles = roles.into_iter().map(|r| chrome.t(role_label_key(r))).collect();
    DashboardPage {
        name: current.user.display_name.clone(),
        email: current.user.email.to_string(),
        roles,
        staff: current.is_staff(),
        chrome,
    }
    .render()
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}
