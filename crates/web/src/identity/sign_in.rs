//! Signing in with email and password, and signing out.

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_app::identity::SignIn;
use serde::Deserialize;
use std::net::SocketAddr;

use super::session::{self, MaybeSigned, Signed};
use crate::chrome::Chrome;
use crate::cookies;
use crate::error::AppError;
use crate::form::Form;
use crate::lang::Lang;
use crate::render::html;
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
    let (reset_done, signed_out_everywhere) = (notice.reset == "done", notice.signed_out == "everywhere");
    let passkeys = state.app.identity.passkeys_available();
    html(&SignInPage {
        chrome: Chrome::public(state, lang.0, "/sign-in"),
        email,
        failed,
        reset_done,
        signed_out_everywhere,
        timed_out: notice.timeout == "1",
        passkeys,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInQuery {
    reset: String,
    timeout: String,
    #[serde(rename = "signed-out")]
    signed_out: String,
}

pub async fn form(lang: Lang, State(state): State<AppState>, user: MaybeSigned, Query(query): Query<SignInQuery>) -> Result<Response, AppError> {
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
    match state.app.identity.sign_in(peer.ip(), &form.email, form.password).await? {
        SignIn::Signed { token, user } => {
            Ok((AppendHeaders(session::session_cookies(&state, &token, user.language)), Redirect::to("/home")).into_response())
        }
        SignIn::SecondStep { challenge, setup } => {
            // No session yet: the second factor (or setting it up) comes first.
            let cookie = super::mfa::challenge_cookie(&state, &challenge);
            let next = if setup { "/sign-in/setup" } else { "/sign-in/code" };
            Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to(next)).into_response())
        }
        SignIn::Refused => {
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
    user: MaybeSigned,
    // Signing out must work whatever is (or isn't) in the body.
    form: Result<Form<SignOutForm>, AppError>,
) -> Result<Response, AppError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(actor) = user.0 {
        state.app.identity.sign_out(&actor).await?;
        state.app.revoke_session(actor.id(), actor.session_id()).await;
    }
    let clear = cookies::clear(session::cookie_name(&state), state.config.secure_cookies);
    let next = if form.reason == "timeout" { "/sign-in?timeout=1" } else { "/" };
    Ok((AppendHeaders([(SET_COOKIE, clear)]), Redirect::to(next)).into_response())
}

/// "Stay signed in" (and any sign of life from a page: a live call, typing): marks the
/// session active now. 204 when it is still alive.
pub async fn keep_alive(State(state): State<AppState>, Signed(actor): Signed) -> Result<StatusCode, AppError> {
    state.app.identity.sessions.touch(actor.session_id()).await?;
    Ok(StatusCode::NO_CONTENT)
}
