//! "Who accessed my record": a patient's view of their own audit entries.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use haven_app::trail::{Accessor, action_key, category_key, outcome_key};

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::{Signed, role_label_key};
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLog {
    chrome: Chrome,
    rows: Vec<Row>,
}

struct Row {
    when: String,
    actor: String,
    action: String,
    category: String,
    outcome: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Html<String>, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/account/access", &actor);
    let tz = crate::booking::reader_zone(&state, &actor).await?;
    let rows = state
        .app
        .trail
        .mine(&actor, 200)
        .await?
        .into_iter()
        .map(|a| Row {
            when: haven_app::when::stamp_label(lang.0, a.record.event.at, &tz),
            actor: match a.who {
                Accessor::You => chrome.t("access-you"),
                Accessor::Staff { name, role } => chrome.t2("access-staff", ("name", &name), ("role", &chrome.t(role_label_key(role)))),
                Accessor::SomeoneElse => chrome.t("access-someone-else"),
                Accessor::Haven => chrome.t("access-haven"),
            },
            action: chrome.t(&action_key(a.record.event.action)),
            category: chrome.t(&category_key(a.record.event.category)),
            outcome: chrome.t(&outcome_key(a.record.event.outcome)),
        })
        .collect();
    html(&AccessLog { chrome, rows })
}
