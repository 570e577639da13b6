//! A clinician's profile photo: uploaded on the settings page (PNG or JPEG), made into a
//! small upright JPEG by Haven (so the camera's data and any location never reach anyone),
//! and shown to signed-in people choosing a clinician.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_domain::messaging::sniff;
use haven_domain::UserId;
use image::{DynamicImage, ImageFormat};
use serde::Deserialize;

use super::settings::{render, saved, target};
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

/// Larger uploads are refused before decoding.
pub const MAX_UPLOAD: usize = 5 << 20;
/// The stored photo's longest side, in pixels: enough for a profile card at 2× density.
const SIDE: u32 = 320;

/// The stored form of an upload, or the message key saying what is wrong with it.
pub fn portrait(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    if bytes.len() > MAX_UPLOAD {
        return Err("settings-error-photo-large");
    }
    let kind = sniff(bytes).filter(|k| k.is_image()).ok_or("settings-error-photo-type")?;
    let picture = crate::messages::files::decode(bytes, kind).ok_or("settings-error-photo-broken")?;
    let small = DynamicImage::ImageRgb8(picture.thumbnail(SIDE, SIDE).to_rgb8());
    let mut out = std::io::Cursor::new(Vec::new());
    small.write_to(&mut out, ImageFormat::Jpeg).map_err(|_| "settings-error-photo-broken")?;
    Ok(out.into_inner())
}

pub async fn upload(lang: Lang, State(state): State<AppState>, current: CurrentUser, mut form: Multipart) -> Result<Response, AppError> {
    let mut clinician = String::new();
    let mut bytes = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name().unwrap_or_default() {
            "clinician" => clinician = field.text().await.map_err(|_| AppError::BadRequest)?,
            "photo" => bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?.to_vec(),
            _ => {}
        }
    }
    let (_, who, _) = target(&state, &current, &clinician).await?;
    let photo = match portrait(&bytes) {
        Ok(photo) => photo,
        Err(key) => return render(lang, &state, &current, &clinician, None, Some(key), None).await,
    };
    if !state.store.set_clinician_photo(who, Some(&photo)).await? {
        return render(lang, &state, &current, &clinician, None, Some("settings-error-profile-first"), None).await;
    }
    Ok(saved(&who.to_string()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    clinician: String,
}

pub async fn remove(State(state): State<AppState>, current: CurrentUser, Form(f): Form<RemoveForm>) -> Result<Response, AppError> {
    let (_, who, _) = target(&state, &current, &f.clinician).await?;
    state.store.set_clinician_photo(who, None).await?;
    Ok(saved(&who.to_string()))
}

/// The photo, for anyone signed in (patients choose their clinician by it). Staff photos
/// are not patient data, so this is not an audited read.
pub async fn serve(State(state): State<AppState>, _current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let clinician: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    let photo = state.store.clinician_photo(clinician).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, max-age=300")], photo).into_response())
}
