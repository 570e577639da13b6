//! The second factor: codes from an authenticator app (TOTP), one-time recovery codes,
//! and setting TOTP up. Staff must use it; patients may.
//!
//! After a correct password no session exists yet: a short-lived challenge (its token in
//! the `haven_mfa` cookie, its digest in the database) carries the person to this step.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use haven_crypto::{SecretToken, sha256_hex, totp};
use haven_domain::UserId;
use haven_domain::audit::{AuditAction, Outcome};
use haven_store::User;
use jiff::SignedDuration;
use serde::Deserialize;

use super::{session, throttle};
use crate::audit::{self, Entry};
use crate::chrome::Chrome;
use crate::cookies;
use crate::error::AppError;
use crate::lang::{LANG_COOKIE, Lang};
use crate::state::AppState;

const CHALLENGE_COOKIE: &str = "haven_mfa";
const CHALLENGE_FOR: SignedDuration = SignedDuration::from_mins(10);
const RECOVERY_CODES: usize = 10;

fn secret_aad(user: UserId) -> String {
    format!("users.totp_secret:{user}")
}

fn pending_aad(user: UserId) -> String {
    format!("mfa_challenges.pending_secret:{user}")
}

/// Recovery codes are compared by digest, ignoring case, spaces and dashes.
fn recovery_digest(code: &str) -> String {
    let normal: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    sha256_hex(normal.as_bytes())
}

/// Opens the second step for `user`; returns the `Set-Cookie` value. With `setup`, a new
/// secret is made for them to add to their authenticator app.
pub async fn begin(state: &AppState, user: &User, setup: bool) -> Result<String, AppError> {
    let token = SecretToken::generate();
    let now = state.clock.now();
    let pending = setup.then(|| state.vault.seal(&pending_aad(user.id), &totp::generate_secret()));
    let expires = now.checked_add(CHALLENGE_FOR).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.create_mfa_challenge(&token.digest(), user.id, pending.as_deref(), now, expires).await?;
    Ok(cookies::set(CHALLENGE_COOKIE, &token.reveal(), state.config.secure_cookies, Some(600)))
}

struct Challenge {
    token: SecretToken,
    user: User,
    pending_secret: Option<Vec<u8>>,
}

async fn challenge(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Challenge, AppError> {
    let token = cookies::get(headers, CHALLENGE_COOKIE).and_then(SecretToken::from_client).ok_or(AppError::Unauthorized)?;
    let (user_id, sealed) = state.store.mfa_challenge(&token.digest(), state.clock.now()).await?.ok_or(AppError::Unauthorized)?;
    let user = state.store.user(user_id).await?.filter(|u| u.active).ok_or(AppError::Unauthorized)?;
    let pending_secret = match sealed {
        Some(sealed) => Some(state.vault.open(&pending_aad(user.id), &sealed).map_err(|e| AppError::Internal(e.to_string()))?),
        None => None,
    };
    Ok(Challenge { token, user, pending_secret })
}

/// Ends the challenge and opens the session: the `Set-Cookie` values to send.
async fn finish(state: &AppState, challenge: &Challenge, peer: SocketAddr) -> Result<[(axum::http::HeaderName, String); 3], AppError> {
    state.store.delete_mfa_challenge(&challenge.token.digest(), state.clock.now()).await?;
    audit::record(state, peer, Entry::account(Some(challenge.user.id), AuditAction::SignIn, Outcome::Success)).await?;
    let session = session::start(state, &challenge.user).await?;
    let lang = cookies::set(LANG_COOKIE, challenge.user.language.tag(), state.config.secure_cookies, Some(31_536_000));
    let clear = cookies::clear(CHALLENGE_COOKIE, state.config.secure_cookies);
    tracing::info!(user = %challenge.user.id, "signed in with a second factor");
    Ok([(SET_COOKIE, session), (SET_COOKIE, lang), (SET_COOKIE, clear)])
}

#[derive(Template)]
#[template(path = "mfa_code.html")]
struct CodePage {
    chrome: Chrome,
    error: bool,
}

pub async fn code_form(lang: Lang, State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    if c.pending_secret.is_some() {
        return Ok(Redirect::to("/sign-in/setup").into_response());
    }
    let chrome = Chrome::new(lang.0, "/sign-in/code", &state.config.crisis);
    Ok(Html(CodePage { chrome, error: false }.render().map_err(|e| AppError::Internal(e.to_string()))?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn code_submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    let email = c.user.email.to_string();
    throttle::before_attempt(&state, peer.ip(), &email).await?;
    let now = state.clock.now();
    let entered = form.code.trim();
    let accepted = if entered.chars().any(|ch| ch.is_ascii_alphabetic()) {
        state.store.use_recovery_code(c.user.id, &recovery_digest(entered), now).await?
    } else {
        match state.store.totp(c.user.id).await? {
            Some((sealed, last_step)) => {
                let secret = state.vault.open(&secret_aad(c.user.id), &sealed).map_err(|e| AppError::Internal(e.to_string()))?;
                match totp::verify(&secret, entered, now.as_second(), last_step) {
                    // The database has the last word, so two instances can't both accept it.
                    Some(step) => state.store.consume_totp_step(c.user.id, step).await?,
                    None => false,
                }
            }
            None => false,
        }
    };
    if accepted {
        let cookies = finish(&state, &c, peer).await?;
        return Ok((AppendHeaders(cookies), Redirect::to("/home")).into_response());
    }
    audit::record(&state, peer, Entry::account(Some(c.user.id), AuditAction::SignInFailed, Outcome::Denied)).await?;
    throttle::after_failure(&state, peer.ip(), &email).await?;
    let chrome = Chrome::new(lang.0, "/sign-in/code", &state.config.crisis);
    let html = CodePage { chrome, error: true }.render().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((StatusCode::UNAUTHORIZED, Html(html)).into_response())
}

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct SetupPage {
    chrome: Chrome,
    qr_svg: String,
    secret_text: String,
    error: bool,
}

fn setup_page(lang: Lang, state: &AppState, c: &Challenge, secret: &[u8], error: bool) -> Result<Html<String>, AppError> {
    let uri = totp::otpauth_uri(secret, "Haven", c.user.email.as_str());
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    let chrome = Chrome::new(lang.0, "/sign-in/setup", &state.config.crisis);
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The SVG comes from our own encoder, not from user input; strip its XML prolog so it
    // can sit inside the page, and label it for screen readers.
    let label = chrome.t("mfa-qr-label");
    let svg = svg
        .split_once("<svg")
        .map(|(_, rest)| format!("<svg role=\"img\" aria-label=\"{}\"{rest}", attribute_text(&label)))
        .unwrap_or_default();
    let base32 = totp::base32(secret);
    let secret_text = base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    SetupPage { chrome, qr_svg: svg, secret_text, error }.render().map(Html).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn setup_form(lang: Lang, State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    let Some(secret) = &c.pending_secret else {
        return Ok(Redirect::to("/sign-in/code").into_response());
    };
    Ok(setup_page(lang, &state, &c, secret, false)?.into_response())
}

#[derive(Template)]
#[template(path = "mfa_recovery.html")]
struct RecoveryPage {
    chrome: Chrome,
    codes: Vec<String>,
}

pub async fn setup_submit(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let c = challenge(&state, &headers).await?;
    let Some(secret) = c.pending_secret.clone() else {
        return Ok(Redirect::to("/sign-in/code").into_response());
    };
    throttle::before_attempt(&state, peer.ip(), c.user.email.as_str()).await?;
    let now = state.clock.now();
    let Some(step) = totp::verify(&secret, &form.code, now.as_second(), None) else {
        throttle::after_failure(&state, peer.ip(), c.user.email.as_str()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, setup_page(lang, &state, &c, &secret, true)?).into_response());
    };
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| haven_crypto::readable_password().split('-').take(2).collect::<Vec<_>>().join("-"))
        .collect();
    let digests: Vec<String> = codes.iter().map(|c| recovery_digest(c)).collect();
    let sealed = state.vault.seal(&secret_aad(c.user.id), &secret);
    state.store.enable_totp(c.user.id, &sealed, step, &digests, now).await?;
    state.revoke_user(c.user.id).await;
    audit::record(&state, peer, Entry::account(Some(c.user.id), AuditAction::PermissionChange, Outcome::Success)).await?;
    let cookies = finish(&state, &c, peer).await?;
    let chrome = Chrome::new(lang.0, "/sign-in/setup", &state.config.crisis).signed_in(&c.user.display_name);
    let html = RecoveryPage { chrome, codes }.render().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((AppendHeaders(cookies), Html(html)).into_response())
}

fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::recovery_digest;

    #[test]
    fn recovery_codes_forgive_case_spaces_and_dashes() {
        assert_eq!(recovery_digest("abcde-23456"), recovery_digest(" ABCDE 23456 "));
        assert_ne!(recovery_digest("abcde-23456"), recovery_digest("abcde-23457"));
    }
}
