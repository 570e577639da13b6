//! The person's profile: the name others see, the sign-in email, the language and the time
//! zone their times are shown in. Changing the email asks for the password, and the old
//! address is told (so a hijacked session can't quietly move an account away from its owner).

use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, Language, Role, UserId};
use haven_store::{Effects, StoreError};

use super::Identity;
use crate::actor::Actor;
use crate::audit::Entry;
use crate::error::Result;
use crate::i18n::translate;
use crate::mail::Mail;

/// Why a profile change was refused, as a translated message's key.
pub type Refused = &'static str;

impl Identity {
    /// The zone every page and email shows this person's times in (`None`: the practice's).
    pub async fn set_time_zone(&self, actor: &Actor, zone: Option<&str>) -> Result<Result<(), Refused>> {
        if let Some(zone) = zone
            && crate::when::zone(zone).is_none()
        {
            return Ok(Err("booking-error-time-zone"));
        }
        self.cx.store.set_user_time_zone(actor.id(), zone).await?;
        // Pages read the zone from the signed-in person's cached record.
        self.sessions.forget_user(actor.id());
        Ok(Ok(()))
    }

    pub async fn set_language(&self, user: UserId, language: Language) -> Result<()> {
        self.cx.store.set_language(user, language).await?;
        self.sessions.forget_user(user);
        Ok(())
    }

    /// Changes the name and, when it differs, the sign-in email (after the password). The
    /// old address is told of a new one, in the same transaction as the change.
    pub async fn update_profile(&self, actor: &Actor, name: &str, email: &str, password: String) -> Result<Result<(), Refused>> {
        if !haven_domain::text::is_one_line(name.trim()) {
            return Ok(Err("text-error-one-line"));
        }
        let Some(name) = haven_domain::text::one_line(name, 1, 120) else {
            // One's own name: "Enter your name", whoever one is.
            return Ok(Err("profile-error-name"));
        };
        let name = name.as_str();
        let Ok(email) = Email::parse(email) else {
            return Ok(Err("invite-error-email"));
        };
        let user = &actor.user;
        let new_email = (email != user.email).then_some(email);
        if new_email.is_some() && !self.password_matches(user.id, password).await? {
            return Ok(Err("profile-error-password"));
        }
        let cx = &self.cx;
        let now = cx.now();
        let entry = Entry {
            actor: Some(user.id),
            practice: None,
            patient: user.has_role(Role::Patient).then_some(user.id),
            action: AuditAction::Update,
            category: DataCategory::Demographics,
            outcome: Outcome::Success,
        };
        let mut effects = Effects::audit(cx.event(actor, entry));
        if new_email.is_some() {
            let notice = Mail {
                calendar: None,
                to: user.email.to_string(),
                subject: translate(user.language, "mail-email-changed-subject", &[]),
                body: translate(user.language, "mail-email-changed-body", &[]),
            };
            effects.jobs.push(cx.queue.mail(notice, now)?);
        }
        match cx.store.update_profile(user.id, name, new_email.as_ref(), &effects, now).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Ok(Err("invite-error-exists")),
            Err(e) => return Err(e.into()),
        }
        cx.queue.kick();
        Ok(Ok(()))
    }
}
