//! Sending a questionnaire during a visit: the clinician's side of the room posts here; the
//! patient's side is told over the room's channel and shows the form in the call.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_app::visits::Party;
use haven_store::Appointment;
use serde::Deserialize;

use crate::access::Scoped;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SendForm {
    instrument: String,
}

pub async fn send(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped((a, _party)): Scoped<(Appointment, Party)>,
    Form(f): Form<SendForm>,
) -> Result<Response, AppError> {
    // Only the visit's clinician sends; the service refuses (and audits) anyone else.
    match state.app.measures.send_in_visit(&actor, &a, &f.instrument).await? {
        Ok(request) => Ok((StatusCode::CREATED, Json(serde_json::json!({ "request": request.to_string() }))).into_response()),
        Err(key) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(serde_json::json!({ "message": haven_app::i18n::translate(lang.0, key, &[]) })))
                .into_response())
        }
    }
}
