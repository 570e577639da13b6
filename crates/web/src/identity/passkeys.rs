//! Passkeys (WebAuthn): adding one from the security page after re-entering the password,
//! and signing in with one. A passkey is phishing-resistant and verifies the person on the
//! device (PIN, fingerprint, face), so it stands in for both password and second factor.
//!
//! Sign-in is usernameless (the device offers its passkeys for this site), so nothing about
//! which addresses have accounts is revealed. Ceremony state lives in the database between
//! the two requests, so any instance can finish what another started.
//!
//! WebAuthn needs a site name, not an IP address: with no `public_url`, passkeys work at
//! `http://localhost:<port>` (as the demo prints).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::{Form, Json};
use haven_crypto::SecretToken;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::UserId;
use jiff::SignedDuration;
use serde::Deserialize;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn,
    WebauthnBuilder,
};

use super::CurrentUser;
use crate::audit::{self, Entry};
use crate::cookies;
use crate::error::AppError;
use crate::lang::{LANG_COOKIE, Lang};
use crate::state::AppState;

const CEREMONY_COOKIE: &str = "haven_webauthn";
const CEREMONY_FOR: SignedDuration = SignedDuration::from_mins(5);

/// The relying party: the public address's host, or `localhost` on any port.
#[must_use]
pub fn relying_party(public_url: Option<&str>, port: u16) -> Option<Webauthn> {
    let (origin, any_port) = match public_url {
        Some(url) => (Url::parse(url).ok()?, false),
        None => (Url::parse(&format!("http://localhost:{port}")).ok()?, true),
    };
    let rp_id = origin.host_str()?.to_owned();
    WebauthnBuilder::new(&rp_id, &origin).ok()?.rp_name("Haven").allow_any_port(any_port).build().ok()
}

fn webauthn(state: &AppState) -> Result<&Webauthn, AppError> {
    state.webauthn.as_deref().ok_or(AppError::NotFound)
}

/// A JSON error the page's script shows (already translated).
fn problem(lang: Lang, status: StatusCode, key: &str) -> Response {
    (status, Json(serde_json::json!({ "error": crate::i18n::translate(lang.0, key, &[]) }))).into_response()
}

async fn begin(state: &AppState, user: Option<UserId>, kind: &str, ceremony: &impl serde::Serialize) -> Result<String, AppError> {
    let token = SecretToken::generate();
    let json = serde_json::to_string(ceremony).map_err(|e| AppError::Internal(e.to_string()))?;
    let expires = state.clock.now().checked_add(CEREMONY_FOR).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.save_ceremony(&token.digest(), user, kind, &json, expires).await?;
    Ok(cookies::set(CEREMONY_COOKIE, &token.reveal(), state.config.secure_cookies, Some(300)))
}

async fn take<T: serde::de::DeserializeOwned>(state: &AppState, headers: &HeaderMap, kind: &str) -> Result<Option<(Option<UserId>, T)>, AppError> {
    let Some(token) = cookies::get(headers, CEREMONY_COOKIE).and_then(SecretToken::from_client) else { return Ok(None) };
    let Some((user, json)) = state.store.take_ceremony(&token.digest(), kind, state.clock.now()).await? else { return Ok(None) };
    let ceremony = serde_json::from_str(&json).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Some((user, ceremony)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Reauth {
    password: String,
}

/// Step one of adding a passkey: the options for `navigator.credentials.create()`.
pub async fn register_start(lang: Lang, State(state): State<AppState>, current: CurrentUser, Form(form): Form<Reauth>) -> Result<Response, AppError> {
    let webauthn = webauthn(&state)?;
    if !super::passwords::matches(&state, current.user.id, form.password).await? {
        return Ok(problem(lang, StatusCode::UNAUTHORIZED, "security-wrong-password"));
    }
    let existing: Vec<_> = state
        .store
        .passkeys_of(current.user.id)
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let (options, registration) = webauthn
        .start_passkey_registration(current.user.id.0, current.user.email.as_str(), &current.user.display_name, Some(existing))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let cookie = begin(&state, Some(current.user.id), "register", &registration).await?;
    // Ask for a discoverable credential, so the device can offer it at sign-in without a
    // username (the options are hints to the browser; the server's checks don't change).
    let mut options = serde_json::to_value(&options).map_err(|e| AppError::Internal(e.to_string()))?;
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Json(options)).into_response())
}

/// Step two: the browser's new credential, checked and stored.
pub async fn register_finish(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    current: CurrentUser,
    headers: HeaderMap,
    Json(credential): Json<RegisterPublicKeyCredential>,
) -> Result<Response, AppError> {
    let webauthn = webauthn(&state)?;
    let Some((Some(user), registration)) = take::<PasskeyRegistration>(&state, &headers, "register").await? else {
        return Ok(problem(lang, StatusCode::BAD_REQUEST, "passkey-error-expired"));
    };
    if user != current.user.id {
        return Ok(problem(lang, StatusCode::BAD_REQUEST, "passkey-error-expired"));
    }
    let Ok(passkey) = webauthn.finish_passkey_registration(&credential, &registration) else {
        return Ok(problem(lang, StatusCode::BAD_REQUEST, "passkey-error-failed"));
    };
    let json = serde_json::to_string(&passkey).map_err(|e| AppError::Internal(e.to_string()))?;
    let credential_id = credential.id.clone();
    let now = state.clock.now();
    let audit = audit::event(&state, peer, Entry { actor: Some(user), practice: None, patient: None, action: AuditAction::PermissionChange, category: DataCategory::Account, outcome: Outcome::Success });
    state.store.add_passkey(user, &credential_id, &json, &audit, now).await?;
    Ok(Json(serde_json::json!({ "ok": true })).into_response())
}

/// Step one of signing in: a challenge any of this site's passkeys on the device can answer.
pub async fn sign_in_start(State(state): State<AppState>) -> Result<Response, AppError> {
    let webauthn = webauthn(&state)?;
    let (options, authentication) = webauthn.start_discoverable_authentication().map_err(|e| AppError::Internal(e.to_string()))?;
    let cookie = begin(&state, None, "authenticate", &authentication).await?;
    let mut options = serde_json::to_value(&options).map_err(|e| AppError::Internal(e.to_string()))?;
    // A sign-in button asks with the usual dialog, not the autofill ("conditional") one.
    if let Some(map) = options.as_object_mut() {
        map.remove("mediation");
    }
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Json(options)).into_response())
}

/// A failed passkey sign-in: audited, and answered alike whatever went wrong.
async fn refused(state: &AppState, peer: SocketAddr, lang: Lang, target: Option<UserId>) -> Result<Response, AppError> {
    audit::record(state, peer, Entry::account(target, AuditAction::SignInFailed, Outcome::Denied)).await?;
    Ok(problem(lang, StatusCode::UNAUTHORIZED, "passkey-error-failed"))
}

/// Step two: the device's answer, checked against the passkey it names.
pub async fn sign_in_finish(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(credential): Json<PublicKeyCredential>,
) -> Result<Response, AppError> {
    let webauthn = webauthn(&state)?;
    let Some((_, authentication)) = take::<DiscoverableAuthentication>(&state, &headers, "authenticate").await? else {
        return Ok(problem(lang, StatusCode::BAD_REQUEST, "passkey-error-expired"));
    };
    let Ok((user_uuid, credential_id)) = webauthn.identify_discoverable_authentication(&credential) else {
        return refused(&state, peer, lang, None).await;
    };
    let user_id = UserId(user_uuid);
    let Some(user) = state.store.user(user_id).await?.filter(|u| u.active) else {
        return refused(&state, peer, lang, None).await;
    };
    let stored = state.store.passkeys_of(user.id).await?;
    let Some((row, passkey)) = stored
        .iter()
        .filter_map(|row| serde_json::from_str::<Passkey>(&row.credential).ok().map(|p| (row, p)))
        .find(|(_, p)| p.cred_id().as_slice() == credential_id)
    else {
        return refused(&state, peer, lang, Some(user.id)).await;
    };
    let mut passkey = passkey;
    let Ok(result) = webauthn.finish_discoverable_authentication_v2(&credential, authentication, &passkey) else {
        return refused(&state, peer, lang, Some(user.id)).await;
    };
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.passkey_used(row.id, &json, state.clock.now()).await?;
    audit::record(&state, peer, Entry::account(Some(user.id), AuditAction::SignIn, Outcome::Success)).await?;
    let session = super::session::start(&state, &user).await?;
    let lang_cookie = cookies::set(LANG_COOKIE, user.language.tag(), state.config.secure_cookies, Some(31_536_000));
    let clear = cookies::clear(CEREMONY_COOKIE, state.config.secure_cookies);
    tracing::info!(user = %user.id, "signed in with a passkey");
    Ok((AppendHeaders([(SET_COOKIE, session), (SET_COOKIE, lang_cookie), (SET_COOKIE, clear)]), Json(serde_json::json!({ "redirect": "/home" })))
        .into_response())
}
