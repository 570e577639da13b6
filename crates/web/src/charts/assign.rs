//! Sending a questionnaire from the chart: once, or on a schedule.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::charts::Chart;
use haven_app::measures::AssignInput;
use haven_domain::access::ChartAccess;
use haven_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access::Scoped;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    instrument: String,
    cadence: String,
    weeks: String,
    weekday: String,
    hour: String,
}

pub async fn assign(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(chart): Scoped<Chart>,
    Form(f): Form<AssignForm>,
) -> Result<Response, AppError> {
    if chart.access == ChartAccess::Denied {
        state.app.charts.record(&actor, &chart, AuditAction::AccessDenied).await?;
        return super::view::denied(lang, &state, &actor, &chart, None, StatusCode::FORBIDDEN);
    }
    let input = AssignInput { instrument: f.instrument, cadence: f.cadence, weeks: f.weeks, weekday: f.weekday, hour: f.hour };
    match state.app.measures.assign(&actor, &chart, &input).await? {
        Ok(()) => Ok(Redirect::to(&format!("/patients/{}#measures-heading", chart.patient.id)).into_response()),
        Err(problem) => {
            state.app.charts.record(&actor, &chart, AuditAction::Read).await?;
            super::view::page_with_measure_error(lang, &state, &actor, &chart, problem).await
        }
    }
}
