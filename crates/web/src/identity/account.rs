//! The person's own security settings. Turning on two-step sign-in asks for the password
//! again first (re-authentication before a sensitive change).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::CurrentUser;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::lang::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account_security.html")]
struct SecurityPage {
    chrome: Chrome,
    totp_on: bool,
    recovery_left: i64,
    wrong_password: bool,
}

async fn page(lang: Lang, state: &AppState, current: &CurrentUser, wrong_password: bool) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/account/security", &state.config.crisis).signed_in(&current.user.display_name);
    let totp_on = state.store.totp(current.user.id).await?.is_some();
    let recovery_left = if totp_on { state.store.unused_recovery_codes(current.user.id).await? } else { 0 };
    SecurityPage { chrome, totp_on, recovery_left, wrong_password }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn show(lang: Lang, State(state): State<AppState>, current: CurrentUser) -> Result<Html<String>, AppError> {
    page(lang, &state, &current, false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Reauth {
    password: String,
}

/// Starts setting up (or replacing) the authenticator app, after checking the password.
pub async fn start_totp(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(form): Form<Reauth>) -> Result<Response, AppError> {
    let hash = state.store.password_hash(current.user.id).await?.unwrap_or_default();
    let worker = state.clone();
    let password = form.password;
    let ok = tokio::task::spawn_blocking(move || worker.hasher.verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if !ok {
        return Ok((StatusCode::UNAUTHORIZED, page(lang, &state, &current, true).await?).into_response());
    }
    let cookie = super::mfa::begin(&state, &current.user, true).await?;
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to("/sign-in/setup")).into_response())
}
