//! Who is acting: signing in (password, second factor, passkeys), sessions, password
//! resets, the person's own profile and security settings, and the throttles that hold
//! across instances.
//!
//! A wrong password, an unknown address and a deactivated account get the same answer
//! after the same work, so sign-in can't be used to find out who has an account here.

pub mod mfa;
pub mod passkeys;
pub mod profile;
pub mod reset;
pub mod sessions;
pub mod throttle;

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use haven_crypto::{PasswordHasher, SecretToken, breached};
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::password::{PasswordProblem, check_new_password};
use haven_domain::{Email, UserId};
use haven_store::{SessionRecord, StoredPasskey, User};

use crate::actor::Actor;
use crate::audit::Entry;
use crate::config::SessionPolicy;
use crate::context::Ctx;
use crate::error::Result;

pub use sessions::Sessions;

pub struct Identity {
    cx: Ctx,
    hasher: PasswordHasher,
    decoy: OnceLock<String>,
    pub sessions: Arc<Sessions>,
    require_staff_mfa: bool,
    webauthn: Option<Arc<webauthn_rs::Webauthn>>,
}

/// What a password sign-in came to.
pub enum SignIn {
    /// Wrong address, wrong password, or a deactivated account: one answer for all.
    Refused,
    /// Signed in: the new session's token.
    Signed { token: SecretToken, user: Box<User> },
    /// The password was right; the second factor comes next (or setting it up, `setup`).
    SecondStep { challenge: SecretToken, setup: bool },
}

/// What a change of password came to.
pub enum PasswordChange {
    WrongPassword,
    /// A translated message's key: what is wrong with the new password.
    Problem(&'static str),
    /// Changed; every session ended, and this browser gets a new one.
    Changed(SecretToken),
}

/// What the security page shows.
pub struct SecurityOverview {
    pub totp_on: bool,
    pub recovery_left: i64,
    pub sessions: Vec<SessionRecord>,
    pub passkeys: Vec<StoredPasskey>,
}

/// The key of what is wrong with a new password and its confirmation, if anything.
#[must_use]
pub fn new_password_problem(password: &str, confirm: &str) -> Option<&'static str> {
    if password != confirm {
        return Some("password-mismatch");
    }
    match check_new_password(password, breached::is_common) {
        Ok(()) => None,
        Err(PasswordProblem::TooShort) => Some("password-too-short"),
        Err(PasswordProblem::TooLong) => Some("password-too-long"),
        Err(PasswordProblem::Breached) => Some("password-breached"),
    }
}

impl Identity {
    #[must_use]
    pub fn new(
        cx: Ctx,
        hasher: PasswordHasher,
        policy: SessionPolicy,
        require_staff_mfa: bool,
        webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    ) -> Self {
        Self { sessions: Arc::new(Sessions::new(cx.clone(), policy)), cx, hasher, decoy: OnceLock::new(), require_staff_mfa, webauthn }
    }

    /// Re-authentication: does `password` match this person's current one? (Argon2 takes
    /// tens of milliseconds of CPU by design: it runs on a blocking thread, off the async
    /// workers that serve everyone else.)
    pub async fn password_matches(&self, user: UserId, password: String) -> Result<bool> {
        let hash = self.cx.store.password_hash(user).await?.unwrap_or_default();
        let hasher = self.hasher.clone();
        Ok(tokio::task::spawn_blocking(move || hasher.verify(&password, &hash)).await?)
    }

    /// A new password's hash, for storing.
    pub async fn hash_password(&self, password: String) -> Result<String> {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.hash(&password)).await?.map_err(|e| crate::Error::internal("a password could not be hashed", e))
    }

    /// Signs in with email and password, throttled per address and account, audited.
    pub async fn sign_in(&self, source: IpAddr, email: &str, password: String) -> Result<SignIn> {
        let cx = &self.cx;
        if let Err(limited) = throttle::before_attempt(cx, source, email).await {
            if matches!(limited, crate::Error::TooManyRequests(_)) {
                cx.record_from(source, Entry::account(None, AuditAction::SignInFailed, Outcome::Denied)).await?;
            }
            return Err(limited);
        }
        let user = match Email::parse(email) {
            Ok(email) => cx.store.user_by_email(&email).await?,
            Err(_) => None,
        };
        let stored_hash = match &user {
            Some(u) if u.active => cx.store.password_hash(u.id).await?,
            _ => None,
        };
        let has_account = stored_hash.is_some();
        let decoy = if has_account { String::new() } else { self.decoy_hash_blocking().await? };
        let hasher = self.hasher.clone();
        let matches = tokio::task::spawn_blocking(move || hasher.verify(&password, &stored_hash.unwrap_or(decoy))).await?;
        match user {
            Some(user) if has_account && matches => {
                let staff = user.memberships.iter().any(|(_, r)| r.is_staff());
                let has_totp = cx.store.totp(user.id).await?.is_some();
                if has_totp || (staff && self.require_staff_mfa) {
                    // No session yet: the second factor (or setting it up) comes first.
                    let challenge = self.begin_second_step(&user, !has_totp).await?;
                    return Ok(SignIn::SecondStep { challenge, setup: !has_totp });
                }
                cx.record_from(source, Entry::account(Some(user.id), AuditAction::SignIn, Outcome::Success)).await?;
                let token = self.sessions.start(&user).await?;
                tracing::info!(user = %user.id, "signed in");
                Ok(SignIn::Signed { token, user: Box::new(user) })
            }
            other => {
                // The account, when there is one, is named so its owner and admins can see
                // attempts on it; the person trying learns nothing from the answer.
                let target = other.map(|u| u.id);
                cx.record_from(source, Entry::account(target, AuditAction::SignInFailed, Outcome::Denied)).await?;
                throttle::after_failure(cx, source, email).await?;
                tracing::info!("sign-in refused");
                Ok(SignIn::Refused)
            }
        }
    }

    /// A hash verified against when an account doesn't exist, so that answer takes as long
    /// as a wrong password. Made on first use (on a blocking thread), not at start-up, where
    /// it would cost a whole password hash before the server is ready.
    async fn decoy_hash_blocking(&self) -> Result<String> {
        if let Some(hash) = self.decoy.get() {
            return Ok(hash.clone());
        }
        let hasher = self.hasher.clone();
        let hash = tokio::task::spawn_blocking(move || hasher.decoy().unwrap_or_default()).await?;
        Ok(self.decoy.get_or_init(|| hash).clone())
    }

    /// Signs out of this session (the caller also closes its sockets, see `App::revoke_session`).
    pub async fn sign_out(&self, actor: &Actor) -> Result<()> {
        self.sessions.end(actor.session_id()).await?;
        self.cx.record(actor, Entry::account(Some(actor.id()), AuditAction::SignOut, Outcome::Success)).await?;
        tracing::info!(user = %actor.id(), "signed out");
        Ok(())
    }

    /// Ends every session of this person, on every device.
    pub async fn sign_out_everywhere(&self, actor: &Actor) -> Result<()> {
        self.cx.store.delete_sessions_of(actor.id()).await?;
        self.sessions.forget_user(actor.id());
        self.cx.record(actor, Entry::account(Some(actor.id()), AuditAction::SignOut, Outcome::Success)).await
    }

    pub async fn security_overview(&self, actor: &Actor) -> Result<SecurityOverview> {
        let store = &self.cx.store;
        let totp_on = store.totp(actor.id()).await?.is_some();
        let recovery_left = if totp_on { store.unused_recovery_codes(actor.id()).await? } else { 0 };
        Ok(SecurityOverview {
            totp_on,
            recovery_left,
            sessions: store.sessions_of(actor.id(), self.cx.now()).await?,
            passkeys: store.passkeys_of(actor.id()).await?,
        })
    }

    /// Changes the password after checking the current one. Every session ends, this one
    /// included; the caller gives this browser the new session.
    pub async fn change_password(&self, actor: &Actor, current: String, password: String, confirm: &str) -> Result<PasswordChange> {
        if !self.password_matches(actor.id(), current).await? {
            return Ok(PasswordChange::WrongPassword);
        }
        if let Some(problem) = new_password_problem(&password, confirm) {
            return Ok(PasswordChange::Problem(problem));
        }
        let hash = self.hash_password(password).await?;
        self.cx.store.set_password(actor.id(), &hash).await?;
        self.sessions.forget_user(actor.id());
        self.cx.record(actor, Entry::account(Some(actor.id()), AuditAction::Update, Outcome::Success)).await?;
        Ok(PasswordChange::Changed(self.sessions.start(&actor.user).await?))
    }

    /// Removes one of the person's passkeys after checking the password. `None`: wrong
    /// password; `Some(false)`: no such passkey of theirs.
    pub async fn remove_passkey(&self, actor: &Actor, password: String, id: uuid::Uuid) -> Result<Option<bool>> {
        if !self.password_matches(actor.id(), password).await? {
            return Ok(None);
        }
        let entry = Entry {
            actor: Some(actor.id()),
            practice: None,
            patient: None,
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        Ok(Some(self.cx.store.remove_passkey(actor.id(), id, &self.cx.event(actor, entry)).await?))
    }

    /// Whether passkeys work at this deployment's address.
    #[must_use]
    pub fn passkeys_available(&self) -> bool {
        self.webauthn.is_some()
    }
}
