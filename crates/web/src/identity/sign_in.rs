//! Signing in with email and password, and signing out.
//!
//! A wrong password, an unknown address and a deactivated account all get the same answer
//! after the same work, so the form can't be used to find out who has an account here.

use askama::Template;
use axum::Form;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_domain::Email;
use haven_domain::audit::{AuditAction, Outcome};
use serde::Deserialize;

use super::session::{self, CurrentUser, MaybeUser};
use super::throttle;
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::cookies;
use crate::error::AppError;
use crate::lang::{LANG_COOKIE, Lang};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    failed: bool,
    reset_done: bool,
    signed_out_everywhere: bool,
    timed_out: bool,
    /// Passkeys work at this address.
    passkeys: bool,
}

fn page(lang: Lang, state: &AppState, email: String, failed: bool, notice: &SignInQuery) -> Result<Html<String>, AppError> {
    let chrome = Chrome::new(lang.0, "/sign-in", &state.config.crisis);
    let (reset_done, signed_out_everywhere) = (notice.reset == "done", notice.signed_out == "everywhere");
    let passkeys = state.webauthn.is_some();
    SignInPage { chrome, email, failed, reset_done, signed_out_everywhere, timed_out: notice.timeout == "1", passkeys }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInQuery {
    reset: String,
    timeout: String,
    #[serde(rename = "signed-out")]
    signed_out: String,
}

pub async fn form(
    lang: Lang,
    State(state): State<AppState>,
    user: MaybeUser,
    Query(query): Query<SignInQuery>,
) -> Result<Response, AppError> {
    if user.0.is_some() {
        return Ok(Redirect::to("/home").into_response());
    }
    Ok(page(lang, &state, String::new(), false, &query)?.into_response())
}

/// Missing fields arrive as empty strings and get the ordinary "doesn't match" answer.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Credentials {
    email: String,
    password: String,
}

pub async fn submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Credentials>,
) -> Result<Response, AppError> {
    if let Err(limited) = throttle::before_attempt(&state, peer.ip(), &form.email).await {
        if matches!(limited, AppError::TooManyRequests(_)) {
            audit::record(&state, peer, Entry::account(None, AuditAction::SignInFailed, Outcome::Denied)).await?;
        }
        return Err(limited);
    }
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let stored_hash = match &user {
        Some(u) if u.active => state.store.password_hash(u.id).await?,
        _ => None,
    };
    let has_account = stored_hash.is_some();
    let password = form.password;
    let worker = state.clone();
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || {
        let hash = stored_hash.unwrap_or_else(|| worker.decoy_hash());
        worker.hasher.verify(&password, &hash)
    })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    match user {
        Some(user) if has_account && matches => {
            let staff = user.memberships.iter().any(|(_, r)| r.is_staff());
            let has_totp = state.store.totp(user.id).await?.is_some();
            if has_totp || (staff && state.config.require_staff_mfa) {
                // No session yet: the second factor (or setting it up) comes first.
                let cookie = super::mfa::begin(&state, &user, !has_totp).await?;
                let next = if has_totp { "/sign-in/code" } else { "/sign-in/setup" };
                return Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to(next)).into_response());
            }
            audit::record(&state, peer, Entry::account(Some(user.id), AuditAction::SignIn, Outcome::Success)).await?;
            let session_cookie = session::start(&state, &user).await?;
            let lang_cookie = cookies::set(LANG_COOKIE, user.language.tag(), state.config.secure_cookies, Some(31_536_000));
            tracing::info!(user = %user.id, "signed in");
            Ok((AppendHeaders([(SET_COOKIE, session_cookie), (SET_COOKIE, lang_cookie)]), Redirect::to("/home")).into_response())
        }
        other => {
            // The account, when there is one, is named so its owner and admins can see
            // attempts on it; the person trying learns nothing from the answer.
            let target = other.map(|u| u.id);
            audit::record(&state, peer, Entry::account(target, AuditAction::SignInFailed, Outcome::Denied)).await?;
            throttle::after_failure(&state, peer.ip(), &form.email).await?;
            tracing::info!("sign-in refused");
            let email = form.email.chars().take(254).collect();
            Ok((StatusCode::UNAUTHORIZED, page(lang, &state, email, true, &SignInQuery::default())?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignOutForm {
    reason: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    user: MaybeUser,
    // Signing out must work whatever is (or isn't) in the body.
    form: Result<Form<SignOutForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, AppError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(CurrentUser { session, user }) = user.0 {
        state.store.delete_session(session.id).await?;
        state.revoke_session(user.id, session.id).await;
        audit::record(&state, peer, Entry::account(Some(user.id), AuditAction::SignOut, Outcome::Success)).await?;
        tracing::info!(user = %user.id, "signed out");
    }
    let clear = cookies::clear(session::cookie_name(&state), state.config.secure_cookies);
    let next = if form.reason == "timeout" { "/sign-in?timeout=1" } else { "/" };
    Ok((AppendHeaders([(SET_COOKIE, clear)]), Redirect::to(next)).into_response())
}

/// "Stay signed in": marks the session active now. 204 when it is still alive.
pub async fn keep_alive(State(state): State<AppState>, current: CurrentUser) -> Result<StatusCode, AppError> {
    state.store.touch_session(current.session.id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
