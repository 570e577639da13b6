//! The chart's measures: per instrument a trend (inline SVG) with its data table (the chart
//! page draws them; its assignment form posts to `charts::assign`); reviewing a risk
//! signal from the start page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::charts::Chart;
use haven_domain::Language;
use jiff::tz::TimeZone;

use super::trend::{self, Mark};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::state::AppState;

pub struct Row {
    pub when: String,
    pub score: String,
    pub band: String,
    pub change: String,
}

pub struct SeriesView {
    pub key: String,
    pub title: String,
    pub svg: String,
    pub rows: Vec<Row>,
    pub latest: String,
    /// How to read the chart: which way is better, what the marks mean.
    pub legend: String,
}

/// The chart's measures, drawn for `lang` in `tz`.
pub async fn views(state: &AppState, chrome: &Chrome, chart: &Chart, tz: &TimeZone) -> Result<Vec<SeriesView>, AppError> {
    let lang: Language = chrome.lang();
    let settings = state.app.measures.settings(chart.practice).await?;
    let mut out = Vec::new();
    for series in state.app.measures.series(chart).await? {
        let i = series.instrument;
        let rows_with_totals: Vec<(i64, &haven_store::ResponseRecord)> = series.responses.iter().filter_map(|r| r.total.map(|t| (t, r))).collect();
        let totals: Vec<i64> = rows_with_totals.iter().map(|(t, _)| *t).collect();
        let reliable = haven_app::measures::reliable_change(i, &settings);
        let marks = trend::marks(i, &totals, reliable);
        let band_label = |key: &Option<String>| {
            key.as_deref().and_then(|k| i.bands.iter().find(|b| b.key == k)).map(|b| b.label.get(lang).to_owned()).unwrap_or_default()
        };
        let mut rows: Vec<Row> = rows_with_totals
            .iter()
            .zip(&marks)
            .map(|((t, r), m)| Row {
                when: haven_app::when::day_label(lang, r.completed_at.to_zoned(tz.clone()).date()),
                score: t.to_string(),
                band: band_label(&r.band),
                change: chrome.t(match m {
                    Mark::Baseline => "measures-change-baseline",
                    Mark::Improved => "measures-change-improved",
                    Mark::Deteriorated => "measures-change-deteriorated",
                    Mark::Same => "measures-change-same",
                }),
            })
            .collect();
        // Instruments without a total (the C-SSRS screener) list their risk level instead.
        if totals.is_empty() {
            rows = series
                .responses
                .iter()
                .map(|r| Row {
                    when: haven_app::when::day_label(lang, r.completed_at.to_zoned(tz.clone()).date()),
                    score: String::new(),
                    band: chrome.t(match r.risk.as_deref() {
                        Some("high") => "measures-risk-high",
                        Some("moderate") => "measures-risk-moderate",
                        Some("low") => "measures-risk-low",
                        _ => "measures-risk-none",
                    }),
                    change: String::new(),
                })
                .collect();
        }
        let latest = rows.last().map(|r| format!("{} {}", r.score, r.band).trim().to_owned()).unwrap_or_default();
        let label = chrome.t1("measures-trend-label", "name", &i.short);
        out.push(SeriesView {
            key: i.key.clone(),
            title: i.short.clone(),
            svg: if totals.is_empty() { String::new() } else { trend::svg(i, &totals, reliable, &label) },
            rows,
            latest,
            legend: chrome.t(if i.change.as_ref().is_some_and(|c| c.direction == haven_domain::measures::Direction::HigherBetter) {
                "measures-legend-higher"
            } else {
                "measures-legend-lower"
            }),
        });
    }
    Ok(out)
}

/// The instruments a clinician can assign: key and name.
#[must_use]
pub fn assignable(lang: Language) -> Vec<(String, String)> {
    haven_domain::measures::builtins().iter().map(|i| (i.key.clone(), format!("{} — {}", i.short, i.title.get(lang)))).collect()
}

pub async fn review_result(State(state): State<AppState>, Signed(actor): Signed, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    state.app.measures.review_response(&actor, id).await?;
    Ok(Redirect::to("/home").into_response())
}

pub async fn review(State(state): State<AppState>, Signed(actor): Signed, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    state.app.measures.review(&actor, id).await?;
    Ok(Redirect::to("/home").into_response())
}
