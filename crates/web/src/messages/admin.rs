//! The practice's messaging settings (admins): how soon patients can expect a reply, and
//! whether the front desk answers messages. Shown on the practice settings page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessagingForm {
    reply_hours: String,
    front_desk: String,
}

pub async fn save(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<MessagingForm>) -> Result<Response, AppError> {
    match state.app.messaging.save_settings(&actor, &f.reply_hours, !f.front_desk.is_empty()).await? {
        Ok(()) => Ok(Redirect::to("/admin/scheduling?done=1").into_response()),
        Err(key) => crate::schedule::practice::render(lang, &state, &actor, false, Some(key)).await,
    }
}
