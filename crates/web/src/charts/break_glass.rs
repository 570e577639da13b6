//! Asking for emergency ("break-glass") access to a chart outside one's care team.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::charts::{Chart, Glass};
use serde::Deserialize;

use super::view::denied;
use crate::access::Scoped;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Request {
    reason: String,
    password: String,
}

pub async fn grant(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(chart): Scoped<Chart>,
    Form(form): Form<Request>,
) -> Result<Response, AppError> {
    match state.app.charts.break_glass(&state.app.identity, &actor, &chart, &form.reason, form.password).await? {
        Glass::NotNeeded | Glass::Granted => Ok(Redirect::to(&format!("/patients/{}", chart.patient.id)).into_response()),
        Glass::Problem(key) => denied(lang, &state, &actor, &chart, Some(key), StatusCode::UNPROCESSABLE_ENTITY),
        Glass::WrongPassword => denied(lang, &state, &actor, &chart, Some("security-wrong-password"), StatusCode::UNAUTHORIZED),
    }
}
