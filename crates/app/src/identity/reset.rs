//! Password reset by emailed link. The request answers the same whether or not the address
//! has an account; the link works once, for 30 minutes, and the new password ends every
//! session of that person.

use std::net::IpAddr;

use haven_crypto::SecretToken;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, UserId};
use haven_store::{Effects, StoreError};
use jiff::SignedDuration;

use super::{Identity, new_password_problem, throttle};
use crate::audit::Entry;
use crate::error::{Error, Result};
use crate::mail::wording;

const VALID_FOR: SignedDuration = SignedDuration::from_mins(30);

/// What finishing a reset came to.
pub enum Reset {
    /// Done: the person whose password it was (the caller closes their sockets).
    Done(UserId),
    /// What is wrong with the new password (a translated message's key).
    Problem(&'static str),
    /// The link was used, expired or never existed.
    LinkInvalid,
}

impl Identity {
    /// Mails a reset link to the address if it has an active account (throttled so the
    /// form can't flood anyone's inbox); the answer never says which.
    pub async fn request_reset(&self, source: IpAddr, email: &str) -> Result<()> {
        let cx = &self.cx;
        let send = throttle::reset_request(cx, source, email).await?;
        let user = match Email::parse(email) {
            Ok(email) => cx.store.user_by_email(&email).await?,
            Err(_) => None,
        };
        if let Some(user) = user.filter(|u| u.active && send) {
            let now = cx.now();
            let token = SecretToken::generate();
            let link = cx.links.to(&format!("/password-reset/{}", token.reveal()));
            let mail = wording::password_reset(user.language, user.email.as_str(), &link);
            let expires = now.checked_add(VALID_FOR).map_err(|e| Error::internal("a reset link's end could not be computed", e))?;
            let effects = Effects::default().with_job(cx.queue.mail(mail, now)?);
            cx.store.create_password_reset(&token.digest(), user.id, expires, &effects, now).await?;
            cx.queue.kick();
        }
        Ok(())
    }

    /// Whether a reset link is still usable (for showing the form).
    pub async fn reset_open(&self, token: &SecretToken) -> Result<bool> {
        Ok(self.cx.store.password_reset_open(&token.digest(), self.cx.now()).await?)
    }

    /// Uses the link once: sets the password and ends every session, with its audit entry.
    pub async fn complete_reset(&self, source: IpAddr, token: &SecretToken, password: String, confirm: &str) -> Result<Reset> {
        if let Some(problem) = new_password_problem(&password, confirm) {
            return Ok(Reset::Problem(problem));
        }
        let hash = self.hash_password(password).await?;
        let cx = &self.cx;
        let audit = |user| {
            cx.event_from(
                source,
                Entry {
                    actor: Some(user),
                    practice: None,
                    patient: None,
                    action: AuditAction::Update,
                    category: DataCategory::Account,
                    outcome: Outcome::Success,
                },
            )
        };
        match cx.store.complete_password_reset(&token.digest(), &hash, audit, cx.now()).await {
            Ok(user) => {
                self.sessions.forget_user(user);
                tracing::info!(%user, "password reset");
                Ok(Reset::Done(user))
            }
            Err(StoreError::NotFound) => Ok(Reset::LinkInvalid),
            Err(e) => Err(e.into()),
        }
    }
}
