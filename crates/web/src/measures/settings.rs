//! The practice's measure settings (admins), on the practice settings page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use haven_store::MeasureSettings;
use serde::Deserialize;

use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    show_patients: String,
    links_sign_in: String,
    phq9_reliable: String,
}

pub async fn save(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<SettingsForm>) -> Result<Response, AppError> {
    let settings = MeasureSettings {
        show_patients: !f.show_patients.is_empty(),
        links_sign_in: !f.links_sign_in.is_empty(),
        phq9_reliable: f.phq9_reliable.trim().parse().unwrap_or(0),
    };
    match state.app.measures.save_settings(&actor, settings).await? {
        Ok(()) => Ok(Redirect::to("/admin/scheduling?done=1").into_response()),
        Err(key) => crate::schedule::practice::render(lang, &state, &actor, false, Some(key)).await,
    }
}
