//! The second factor: codes from an authenticator app (TOTP), one-time recovery codes, and
//! setting TOTP up. Staff must use it; patients may.
//!
//! After a correct password no session exists yet: a short-lived challenge (its token in a
//! cookie the web layer keeps, its digest in the database) carries the person to this step.

use std::net::IpAddr;

use haven_crypto::{SecretToken, sha256_hex, totp};
use haven_domain::UserId;
use haven_domain::audit::{AuditAction, Outcome};
use haven_store::User;
use jiff::SignedDuration;

use super::{Identity, throttle};
use crate::audit::Entry;
use crate::error::{Error, Result};

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

/// A second step in progress.
pub struct Challenge {
    pub token: SecretToken,
    pub user: User,
    /// The new secret being set up, if this is a setup.
    pub pending_secret: Option<Vec<u8>>,
}

impl Challenge {
    /// The `otpauth://` address of the secret being set up (for the QR code), and the secret
    /// in base32 for typing by hand.
    #[must_use]
    pub fn setup(&self) -> Option<(String, String)> {
        let secret = self.pending_secret.as_ref()?;
        Some((totp::otpauth_uri(secret, "Haven", self.user.email.as_str()), totp::base32(secret)))
    }
}

/// How long the challenge cookie may live.
pub const CHALLENGE_SECONDS: u64 = 600;

impl Identity {
    /// Opens the second step for `user`. With `setup`, a new secret is made for them to add
    /// to their authenticator app.
    pub async fn begin_second_step(&self, user: &User, setup: bool) -> Result<SecretToken> {
        let token = SecretToken::generate();
        let now = self.cx.now();
        let pending = setup.then(|| self.cx.seal(&pending_aad(user.id), &totp::generate_secret()));
        let expires = now.checked_add(CHALLENGE_FOR).map_err(|e| Error::internal("a challenge's end could not be computed", e))?;
        self.cx.store.create_mfa_challenge(&token.digest(), user.id, pending.as_deref(), now, expires).await?;
        Ok(token)
    }

    /// Re-authenticated people start setting up (or replacing) their authenticator app.
    /// `None` when the password is wrong.
    pub async fn start_totp_setup(&self, user: &User, password: String) -> Result<Option<SecretToken>> {
        if !self.password_matches(user.id, password).await? {
            return Ok(None);
        }
        self.begin_second_step(user, true).await.map(Some)
    }

    /// The challenge a token names, if it is still open and its person still active.
    pub async fn challenge(&self, token: SecretToken) -> Result<Option<Challenge>> {
        let Some((user_id, sealed)) = self.cx.store.mfa_challenge(&token.digest(), self.cx.now()).await? else { return Ok(None) };
        let Some(user) = self.cx.store.user(user_id).await?.filter(|u| u.active) else { return Ok(None) };
        let pending_secret = match sealed {
            Some(sealed) => Some(self.cx.open(&pending_aad(user.id), &sealed)?),
            None => None,
        };
        Ok(Some(Challenge { token, user, pending_secret }))
    }

    /// Checks a code (or a recovery code) for the challenge's person, throttled like
    /// passwords. `Some(session token)` when it is right: the challenge ends and a session
    /// starts.
    pub async fn verify_code(&self, source: IpAddr, c: &Challenge, code: &str) -> Result<Option<SecretToken>> {
        let cx = &self.cx;
        let email = c.user.email.to_string();
        throttle::before_attempt(cx, source, &email).await?;
        let now = cx.now();
        let entered = code.trim();
        let accepted = if entered.chars().any(|ch| ch.is_ascii_alphabetic()) {
            cx.store.use_recovery_code(c.user.id, &recovery_digest(entered), now).await?
        } else {
            match cx.store.totp(c.user.id).await? {
                Some((sealed, last_step)) => {
                    let secret = cx.open(&secret_aad(c.user.id), &sealed)?;
                    match totp::verify(&secret, entered, now.as_second(), last_step) {
                        // The database has the last word, so two instances can't both accept it.
                        Some(step) => cx.store.consume_totp_step(c.user.id, step).await?,
                        None => false,
                    }
                }
                None => false,
            }
        };
        if accepted {
            return self.finish(source, c).await.map(Some);
        }
        cx.record_from(source, Entry::account(Some(c.user.id), AuditAction::SignInFailed, Outcome::Denied)).await?;
        throttle::after_failure(cx, source, &email).await?;
        Ok(None)
    }

    /// Turns TOTP on with the challenge's new secret once a code from it is right. Returns
    /// the new session's token and the recovery codes to show once; `None` when the code
    /// is wrong. Every other session of the person ends (the caller tells their sockets).
    pub async fn enable_totp(&self, source: IpAddr, c: &Challenge, code: &str) -> Result<Option<(SecretToken, Vec<String>)>> {
        let cx = &self.cx;
        let Some(secret) = c.pending_secret.clone() else { return Ok(None) };
        throttle::before_attempt(cx, source, c.user.email.as_str()).await?;
        let now = cx.now();
        let Some(step) = totp::verify(&secret, code, now.as_second(), None) else {
            throttle::after_failure(cx, source, c.user.email.as_str()).await?;
            return Ok(None);
        };
        let codes: Vec<String> =
            (0..RECOVERY_CODES).map(|_| haven_crypto::readable_password().split('-').take(2).collect::<Vec<_>>().join("-")).collect();
        let digests: Vec<String> = codes.iter().map(|c| recovery_digest(c)).collect();
        let sealed = cx.seal(&secret_aad(c.user.id), &secret);
        cx.store.enable_totp(c.user.id, &sealed, step, &digests, now).await?;
        self.sessions.forget_user(c.user.id);
        cx.record_from(source, Entry::account(Some(c.user.id), AuditAction::PermissionChange, Outcome::Success)).await?;
        let token = self.finish(source, c).await?;
        Ok(Some((token, codes)))
    }

    /// Ends the challenge and opens the session.
    async fn finish(&self, source: IpAddr, c: &Challenge) -> Result<SecretToken> {
        self.cx.store.delete_mfa_challenge(&c.token.digest(), self.cx.now()).await?;
        self.cx.record_from(source, Entry::account(Some(c.user.id), AuditAction::SignIn, Outcome::Success)).await?;
        tracing::info!(user = %c.user.id, "signed in with a second factor");
        self.sessions.start(&c.user).await
    }
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
