//! A clinician's profile photo: uploaded on the settings page (made into a small upright
//! JPEG by the booking service), and shown to signed-in people choosing a clinician.

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use haven_store::ClinicianProfile;
use serde::Deserialize;

use super::settings::{render, saved};
use crate::access::Scoped;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::state::AppState;

pub async fn upload(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, mut form: Multipart) -> Result<Response, AppError> {
    let mut clinician = String::new();
    let mut bytes = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name().unwrap_or_default() {
            "clinician" => clinician = field.text().await.map_err(|_| AppError::BadRequest)?,
            "photo" => bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?.to_vec(),
            _ => {}
        }
    }
    let t = state.app.booking.settings_target(&actor, &clinician).await?;
    match state.app.booking.save_photo(&t, &bytes).await? {
        Ok(()) => Ok(saved(&t)),
        Err(key) => render(lang, &state, &actor, &t, None, Some(key), None).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    clinician: String,
}

pub async fn remove(State(state): State<AppState>, Signed(actor): Signed, Form(f): Form<RemoveForm>) -> Result<Response, AppError> {
    let t = state.app.booking.settings_target(&actor, &f.clinician).await?;
    state.app.booking.remove_photo(&t).await?;
    Ok(saved(&t))
}

/// The photo, for people of the clinician's practice (patients choose their clinician by
/// it). Staff photos are not patient data, so this is not an audited read.
pub async fn serve(State(state): State<AppState>, Scoped(profile): Scoped<ClinicianProfile>) -> Result<Response, AppError> {
    let photo = state.app.cx.store.clinician_photo(profile.user).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, max-age=300")], photo).into_response())
}
