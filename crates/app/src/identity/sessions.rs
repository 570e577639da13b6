//! Server-side sessions: the cookie holds a random token, the database its digest, the
//! owner and the times that enforce the idle and absolute limits.
//!
//! Looking a session up is on every signed-in request, so a found session is kept in
//! memory for a few seconds. That never lets a session outlive its ending: sign-out,
//! password and second-factor changes, deactivation and profile changes drop the person's
//! entries here at once and, through the bus, on every other instance; a lost signal is
//! covered by the entry's short life; and the idle and absolute limits are checked on every
//! use, against the database before a session is ever declared over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use haven_crypto::SecretToken;
use haven_domain::{SessionId, UserId};
use haven_store::{NewSession, SessionRecord, User};
use jiff::SignedDuration;

use crate::config::SessionPolicy;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// How long a looked-up session is trusted without asking the database again.
const CACHED_FOR: Duration = Duration::from_secs(10);
/// Activity is written back at most this often, so browsing doesn't cost a write per request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);
/// Entries kept at most (past this the cache starts again empty).
const MAX_CACHED: usize = 20_000;

#[derive(Clone)]
struct Cached {
    user: User,
    session: SessionRecord,
    read_at: Instant,
}

pub struct Sessions {
    cx: Ctx,
    policy: SessionPolicy,
    cache: Mutex<HashMap<String, Cached>>,
}

impl Sessions {
    #[must_use]
    pub fn new(cx: Ctx, policy: SessionPolicy) -> Self {
        Self { cx, policy, cache: Mutex::default() }
    }

    #[must_use]
    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    fn idle_limit(&self, user: &User) -> SignedDuration {
        let staff = user.memberships.iter().any(|(_, r)| r.is_staff());
        SignedDuration::try_from(self.policy.idle_for(staff)).unwrap_or(SignedDuration::from_mins(15))
    }

    /// Opens a session for `user`; a fresh token every time, so a session id planted before
    /// sign-in is worthless after it.
    pub async fn start(&self, user: &User) -> Result<SecretToken> {
        let token = SecretToken::generate();
        let now = self.cx.now();
        let absolute = SignedDuration::try_from(self.policy.absolute).unwrap_or(SignedDuration::from_hours(12));
        let expires_at = now.checked_add(absolute).map_err(|e| Error::internal("a session's end could not be computed", e))?;
        self.cx.store.create_session(&NewSession { token_hash: token.digest(), user: user.id, now, expires_at }).await?;
        Ok(token)
    }

    /// How long a new session's cookie should last.
    #[must_use]
    pub fn cookie_seconds(&self) -> u64 {
        self.policy.absolute.as_secs()
    }

    /// The live session for a token and its owner, if any: not ended, not expired, not idle
    /// past the owner's limit, the owner active.
    pub async fn find(&self, token: &SecretToken) -> Result<Option<(User, SessionRecord)>> {
        let digest = token.digest();
        let now = self.cx.now();
        let cached = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&digest).cloned();
        if let Some(mut c) = cached.filter(|c| c.read_at.elapsed() < CACHED_FOR) {
            let quiet = now.duration_since(c.session.last_seen_at);
            if quiet <= self.idle_limit(&c.user) && c.session.expires_at > now {
                if quiet > TOUCH_EVERY {
                    self.cx.store.touch_session(c.session.id, now).await?;
                    c.session.last_seen_at = now;
                    self.remember(digest, c.clone());
                }
                return Ok(Some((c.user, c.session)));
            }
            // Perhaps over: only the database may say so (another instance may have seen
            // the person since).
        }
        let Some(mut session) = self.cx.store.session_by_token(&digest, now).await? else {
            self.forget_digest(&digest);
            return Ok(None);
        };
        let Some(user) = self.cx.store.user(session.user).await? else { return Ok(None) };
        let quiet = now.duration_since(session.last_seen_at);
        if quiet > self.idle_limit(&user) {
            self.cx.store.delete_session(session.id).await?;
            self.forget_digest(&digest);
            return Ok(None);
        }
        if quiet > TOUCH_EVERY {
            self.cx.store.touch_session(session.id, now).await?;
            session.last_seen_at = now;
        }
        self.remember(digest, Cached { user: user.clone(), session: session.clone(), read_at: Instant::now() });
        Ok(Some((user, session)))
    }

    /// Marks the session active now ("stay signed in", a live call, typing).
    pub async fn touch(&self, session: SessionId) -> Result<()> {
        let now = self.cx.now();
        self.cx.store.touch_session(session, now).await?;
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for c in cache.values_mut().filter(|c| c.session.id == session) {
            c.session.last_seen_at = now;
        }
        Ok(())
    }

    /// Ends one session in the database (the caller tells the sockets).
    pub async fn end(&self, session: SessionId) -> Result<()> {
        self.cx.store.delete_session(session).await?;
        self.forget_session(session);
        Ok(())
    }

    fn remember(&self, digest: String, entry: Cached) {
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(digest, entry);
    }

    fn forget_digest(&self, digest: &str) {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(digest);
    }

    /// Drops every cached session of this person.
    pub fn forget_user(&self, user: UserId) {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|_, c| c.user.id != user);
    }

    pub fn forget_session(&self, session: SessionId) {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|_, c| c.session.id != session);
    }
}
