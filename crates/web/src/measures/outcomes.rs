//! The practice's outcomes page (admins and clinicians): counts only, small groups hidden.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use haven_app::measures::outcomes::Group;
use haven_domain::measures::outcomes::{CareMode, MIN_GROUP};

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

struct Row {
    group: String,
    patients: String,
    /// Percentages, or `None` when the group is too small to show.
    shares: Option<[String; 4]>,
}

struct Table {
    title: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "outcomes.html")]
struct OutcomesPage {
    chrome: Chrome,
    tables: Vec<Table>,
    min_group: String,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/outcomes", &actor);
    let tables = state
        .app
        .measures
        .outcomes(&actor)
        .await?
        .into_iter()
        .map(|o| Table {
            title: o.instrument.title.get(lang.0).to_owned(),
            rows: o
                .rows
                .iter()
                .map(|(group, t)| Row {
                    group: match group {
                        Group::Everyone => chrome.t("outcomes-everyone"),
                        Group::Clinician(name) => name.clone(),
                        Group::Mode(m) => chrome.t(match m {
                            CareMode::Video => "outcomes-mode-video",
                            CareMode::Phone => "outcomes-mode-phone",
                            CareMode::InPerson => "outcomes-mode-in-person",
                            CareMode::Mixed => "outcomes-mode-mixed",
                        }),
                    },
                    patients: if t.shown() { t.patients.to_string() } else { chrome.t1("outcomes-fewer", "count", &MIN_GROUP.to_string()) },
                    shares: t.shown().then(|| [t.improved, t.recovered, t.unchanged, t.deteriorated].map(|n| format!("{} %", t.percent(n)))),
                })
                .collect(),
        })
        .collect();
    Ok(html(&OutcomesPage { tables, min_group: MIN_GROUP.to_string(), chrome })?.into_response())
}
