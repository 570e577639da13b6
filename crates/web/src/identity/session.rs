//! The signed-in person, from the session cookie: the token goes to the identity service,
//! which knows whether the session is live. The cookie itself (its name, its attributes)
//! is the web layer's business.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderName;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use haven_app::Actor;
use haven_crypto::SecretToken;
use haven_domain::{Language, Role};

use crate::cookies;
use crate::error::AppError;
use crate::lang::LANG_COOKIE;
use crate::state::AppState;

/// Browsers accept the `__Host-` prefix only on Secure cookies (which in turn need TLS), so
/// a plain-HTTP development server uses the bare name.
#[must_use]
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies { "__Host-haven_session" } else { "haven_session" }
}

/// The `Set-Cookie` value that carries a new session's token.
#[must_use]
pub fn cookie(state: &AppState, token: &SecretToken) -> String {
    cookies::set(cookie_name(state), &token.reveal(), state.config.secure_cookies, Some(state.app.identity.sessions.cookie_seconds()))
}

/// The cookies of a new session: the session itself and the person's language.
pub fn session_cookies(state: &AppState, token: &SecretToken, language: Language) -> [(HeaderName, String); 2] {
    let lang = cookies::set(LANG_COOKIE, language.tag(), state.config.secure_cookies, Some(31_536_000));
    [(SET_COOKIE, cookie(state, token)), (SET_COOKIE, lang)]
}

/// The signed-in person. Extracting it from a request without a live session answers
/// "sign in first".
#[derive(Debug, Clone)]
pub struct Signed(pub Actor);

/// The signed-in person, if any.
#[derive(Debug, Clone)]
pub struct MaybeSigned(pub Option<Actor>);

/// The client's address (for audit entries).
pub fn peer(parts: &Parts) -> std::net::IpAddr {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Already looked up by the route's access check.
        if let Some(signed) = parts.extensions.get::<Signed>() {
            return Ok(signed.clone());
        }
        let token = cookies::get(&parts.headers, cookie_name(state)).and_then(SecretToken::from_client).ok_or(AppError::Unauthorized)?;
        let (user, session) = state.app.identity.sessions.find(&token).await?.ok_or(AppError::Unauthorized)?;
        Ok(Signed(Actor { user, session, source: peer(parts) }))
    }
}

impl FromRequestParts<AppState> for MaybeSigned {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Signed::from_request_parts(parts, state).await {
            Ok(Signed(actor)) => Ok(MaybeSigned(Some(actor))),
            Err(AppError::Unauthorized) => Ok(MaybeSigned(None)),
            Err(other) => Err(other),
        }
    }
}

#[must_use]
pub fn role_label_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role-admin",
        Role::Clinician => "role-clinician",
        Role::Patient => "role-patient",
    }
}
