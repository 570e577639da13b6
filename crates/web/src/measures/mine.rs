//! A patient's own results: each questionnaire's scores over time, in plain words ("lower
//! is better"; "your score has improved a lot since you started"), never a risk score, and
//! nothing of the suicide screen.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use haven_domain::measures::{Direction, compare};

use super::trend;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

struct Result_ {
    title: String,
    direction: String,
    summary: String,
    svg: String,
    rows: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "my_results.html")]
struct MinePage {
    chrome: Chrome,
    /// `None` when the practice shares results in visits only.
    results: Option<Vec<Result_>>,
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/results", &actor);
    let tz = crate::booking::reader_zone(&state, &actor).await?;
    let results = state.app.measures.own_series(&actor).await?.map(|(series, settings)| {
        series
            .into_iter()
            .map(|s| {
                let i = s.instrument;
                let totals: Vec<i64> = s.responses.iter().filter_map(|r| r.total).collect();
                let lower_better = i.change.as_ref().is_none_or(|c| c.direction == Direction::LowerBetter);
                let reliable = haven_app::measures::reliable_change(i, &settings);
                let summary = match (i.change.as_ref(), totals.first(), totals.last()) {
                    (Some(rules), Some(first), Some(last)) if totals.len() > 1 => {
                        let p = compare(rules, reliable, *first, *last);
                        chrome.t(if p.reliably_improved {
                            "results-improved"
                        } else if p.reliably_deteriorated {
                            "results-worse"
                        } else {
                            "results-same"
                        })
                    }
                    _ => chrome.t("results-first"),
                };
                let label = chrome.t1("results-chart-label", "name", &i.short);
                Result_ {
                    title: i.title.get(lang.0).to_owned(),
                    direction: chrome.t(if lower_better { "results-lower-better" } else { "results-higher-better" }),
                    summary,
                    svg: trend::svg(i, &totals, reliable, &label),
                    rows: s
                        .responses
                        .iter()
                        .filter_map(|r| {
                            r.total.map(|t| (haven_app::when::day_label(lang.0, r.completed_at.to_zoned(tz.clone()).date()), t.to_string()))
                        })
                        .collect(),
                }
            })
            .collect()
    });
    let page: Html<String> = html(&MinePage { chrome, results })?;
    Ok(page.into_response())
}
