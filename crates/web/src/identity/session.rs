//! Server-side sessions. The cookie holds a random token; the database holds only its
//! digest, the owner, and the times that enforce the idle and absolute limits.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use haven_crypto::SecretToken;
use haven_domain::Role;
use haven_store::{NewSession, SessionRecord, User};
use jiff::SignedDuration;

use crate::cookies;
use crate::error::AppError;
use crate::state::AppState;

/// Browsers accept the `__Host-` prefix only on Secure cookies (which in turn need TLS), so
/// a plain-HTTP development server uses the bare name.
#[must_use]
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies { "__Host-haven_session" } else { "haven_session" }
}

/// Activity is written back at most this often, so that browsing doesn't cost a write
/// per request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// The signed-in person. Extracting it from a request without a live session answers
/// "sign in first".
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub session: SessionRecord,
}

impl CurrentUser {
    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.user.memberships.iter().any(|(_, role)| role.is_staff())
    }
}

/// The signed-in person, if any.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Already looked up by the route's access check.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = cookies::get(&parts.headers, cookie_name(state))
            .and_then(SecretToken::from_client)
            .ok_or(AppError::Unauthorized)?;
        let now = state.clock.now();
        let session = state.store.session_by_token(&token.digest(), now).await?.ok_or(AppError::Unauthorized)?;
        let user = state.store.user(session.user).await?.ok_or(AppError::Unauthorized)?;
        let idle = if user.memberships.iter().any(|(_, r)| r.is_staff()) {
            state.config.sessions.staff_idle
        } else {
            state.config.sessions.patient_idle
        };
        let idle = SignedDuration::try_from(idle).unwrap_or(SignedDuration::from_mins(15));
        let quiet_for = now.duration_since(session.last_seen_at);
        if quiet_for > idle {
            state.store.delete_session(session.id).await?;
            return Err(AppError::Unauthorized);
        }
        if quiet_for > TOUCH_EVERY {
            state.store.touch_session(session.id, now).await?;
        }
        Ok(CurrentUser { user, session })
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(user) => Ok(MaybeUser(Some(user))),
            Err(AppError::Unauthorized) => Ok(MaybeUser(None)),
            Err(other) => Err(other),
        }
    }
}

/// Opens a session for `user` and returns the `Set-Cookie` value. A fresh token every
/// time, so a session id planted before sign-in is worthless after it.
pub async fn start(state: &AppState, user: &User) -> Result<String, AppError> {
    let token = SecretToken::generate();
    let now = state.clock.now();
    let absolute = SignedDuration::try_from(state.config.sessions.absolute).unwrap_or(SignedDuration::from_hours(12));
    let expires_at = now.checked_add(absolute).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.create_session(&NewSession { token_hash: token.digest(), user: user.id, now, expires_at }).await?;
    let max_age = u64::try_from(absolute.as_secs()).unwrap_or(0);
    Ok(cookies::set(cookie_name(state), &token.reveal(), state.config.secure_cookies, Some(max_age)))
}

#[must_use]
pub fn role_label_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role-admin",
        Role::Clinician => "role-clinician",
        Role::Patient => "role-patient",
    }
}
