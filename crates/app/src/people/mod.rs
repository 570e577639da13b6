//! People in a practice: inviting staff and patients, accepting invitations, patients
//! registering themselves where a practice allows it, and admins managing accounts.
//!
//! Admins invite clinicians, admins and patients; clinicians invite patients (who then join
//! that clinician's care team). Each invitation's mail is queued in the same transaction as
//! the invitation and its audit entry. Registration answers the same whether or not the
//! address already has an account (then the mail says so instead), so it reveals nobody.

use std::net::IpAddr;

use haven_crypto::SecretToken;
use haven_domain::audit::{AuditAction, DataCategory, Outcome};
use haven_domain::{Email, InvitationId, Language, PracticeId, Role, UserId};
use haven_store::{Effects, Invitation, NewInvitation, PendingInvitation, Practice, StoreError, User};
use jiff::SignedDuration;

use crate::actor::Actor;
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::i18n::translate;
use crate::identity::{Identity, new_password_problem, throttle};
use crate::mail::{Mail, wording};

const INVITATION_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A change to an invitation: who may join the practice, an account matter.
fn invitation_entry(actor: &Actor, practice: PracticeId) -> Entry {
    Entry {
        actor: Some(actor.id()),
        practice: Some(practice),
        patient: None,
        action: AuditAction::PermissionChange,
        category: DataCategory::Account,
        outcome: Outcome::Success,
    }
}
const REGISTRATION_FOR: SignedDuration = SignedDuration::from_hours(24);

pub struct People {
    cx: Ctx,
}

/// A translated message's key: what the person should fix.
pub type Refused = &'static str;

/// One of the practice's people, as its admins see them.
pub struct Member {
    pub user: User,
    pub roles: Vec<Role>,
    pub totp: bool,
    pub designee: bool,
    /// For a patient: the clinicians on their care team.
    pub care_team: Vec<UserId>,
}

/// What accepting an invitation came to.
pub enum Accepted {
    /// The account exists and is signed in: its session's token.
    SignedIn(SecretToken, Box<User>),
    Problem(&'static str),
    LinkInvalid,
}

impl People {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }

    /// The practice the person invites for, and the roles they may hand out there.
    #[must_use]
    pub fn inviting_rights(actor: &Actor) -> Option<(PracticeId, Vec<Role>)> {
        let admin = actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin);
        let clinician = actor.user.memberships.iter().find(|(_, r)| *r == Role::Clinician);
        match (admin, clinician) {
            (Some((practice, _)), _) => Some((*practice, vec![Role::Patient, Role::Clinician, Role::Admin])),
            (None, Some((practice, _))) => Some((*practice, vec![Role::Patient])),
            (None, None) => None,
        }
    }

    /// Invites someone; returns the address the invitation went to.
    pub async fn invite(&self, actor: &Actor, name: &str, email: &str, role: Role, language: Language) -> Result<Result<Email, Refused>> {
        let cx = &self.cx;
        let (practice, roles) = Self::inviting_rights(actor).ok_or(Error::Forbidden)?;
        if !roles.contains(&role) {
            return Err(Error::Forbidden);
        }
        if !haven_domain::text::is_one_line(name.trim()) {
            return Ok(Err("text-error-one-line"));
        }
        let Some(name) = haven_domain::text::one_line(name, 1, 120) else {
            return Ok(Err("invite-error-name"));
        };
        let name = name.as_str();
        let Ok(email) = Email::parse(email) else {
            return Ok(Err("invite-error-email"));
        };
        if cx.store.user_by_email(&email).await?.is_some() {
            return Ok(Err("invite-error-exists"));
        }
        throttle::invitation(cx, actor.id()).await?;
        let practice_name = cx.store.list_practices().await?.into_iter().find(|p| p.id == practice).map(|p| p.name).unwrap_or_default();
        let now = cx.now();
        let token = SecretToken::generate();
        let link = cx.links.to(&format!("/invitations/{}", token.reveal()));
        let mail = wording::invitation(language, email.as_str(), name, &practice_name, &link);
        let invitation = NewInvitation {
            token_hash: token.digest(),
            practice,
            email: email.clone(),
            display_name: name.to_owned(),
            role,
            language,
            invited_by: Some(actor.id()),
            expires_at: now.checked_add(INVITATION_FOR).map_err(|e| Error::internal("an invitation's end could not be computed", e))?,
        };
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: None,
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        let effects = Effects::audit(cx.event(actor, entry)).with_job(cx.queue.mail(mail, now)?);
        cx.store.create_invitation(&invitation, &effects, now).await?;
        cx.queue.kick();
        Ok(Ok(email))
    }

    /// The admin's practice's invitations nobody has accepted yet.
    pub async fn pending_invitations(&self, actor: &Actor) -> Result<Vec<PendingInvitation>> {
        Ok(self.cx.store.pending_invitations(Self::admin_practice(actor)?).await?)
    }

    /// Sends an unaccepted invitation again, with a new link valid for another week (the old
    /// link stops working). `NotFound` when the practice has no such invitation.
    pub async fn resend_invitation(&self, actor: &Actor, id: InvitationId) -> Result<Email> {
        let cx = &self.cx;
        let practice = Self::admin_practice(actor)?;
        let invitation = cx.store.pending_invitations(practice).await?.into_iter().find(|i| i.id == id).ok_or(Error::NotFound)?;
        throttle::invitation(cx, actor.id()).await?;
        let practice_name = cx.store.list_practices().await?.into_iter().find(|p| p.id == practice).map(|p| p.name).unwrap_or_default();
        let now = cx.now();
        let token = SecretToken::generate();
        let link = cx.links.to(&format!("/invitations/{}", token.reveal()));
        let mail = wording::invitation(invitation.language, invitation.email.as_str(), &invitation.display_name, &practice_name, &link);
        let expires_at = now.checked_add(INVITATION_FOR).map_err(|e| Error::internal("an invitation's end could not be computed", e))?;
        let effects = Effects::audit(cx.event(actor, invitation_entry(actor, practice))).with_job(cx.queue.mail(mail, now)?);
        if !cx.store.renew_invitation(practice, id, &token.digest(), expires_at, &effects, now).await? {
            return Err(Error::NotFound);
        }
        cx.queue.kick();
        Ok(invitation.email)
    }

    /// Withdraws an unaccepted invitation: its link stops working.
    pub async fn revoke_invitation(&self, actor: &Actor, id: InvitationId) -> Result<()> {
        let cx = &self.cx;
        let practice = Self::admin_practice(actor)?;
        let effects = Effects::audit(cx.event(actor, invitation_entry(actor, practice)));
        if cx.store.revoke_invitation(practice, id, &effects, cx.now()).await? { Ok(()) } else { Err(Error::NotFound) }
    }

    /// The open invitation a link names: not yet accepted and not expired.
    pub async fn invitation(&self, token: &SecretToken) -> Result<Option<Invitation>> {
        Ok(self.cx.store.invitation_by_token(&token.digest(), self.cx.now()).await?)
    }

    /// Uses the invitation once: the account is made with the invited role and signed in.
    pub async fn accept(&self, identity: &Identity, source: IpAddr, token: &SecretToken, password: String, confirm: &str) -> Result<Accepted> {
        let cx = &self.cx;
        let now = cx.now();
        let Some(invitation) = cx.store.invitation_by_token(&token.digest(), now).await? else {
            return Ok(Accepted::LinkInvalid);
        };
        if let Some(problem) = new_password_problem(&password, confirm) {
            return Ok(Accepted::Problem(problem));
        }
        let hash = identity.hash_password(password).await?;
        let audit = |id| {
            let entry = Entry {
                actor: Some(id),
                practice: Some(invitation.practice),
                patient: (invitation.role == Role::Patient).then_some(id),
                action: AuditAction::Create,
                category: DataCategory::Account,
                outcome: Outcome::Success,
            };
            cx.event_from(source, entry)
        };
        let id = match cx.store.accept_invitation(&token.digest(), &hash, audit, now).await {
            Ok(id) => id,
            Err(StoreError::NotFound) => return Ok(Accepted::LinkInvalid),
            Err(StoreError::Conflict(_)) => return Ok(Accepted::Problem("accept-error-exists")),
            Err(e) => return Err(e.into()),
        };
        let user = cx.store.user(id).await?.ok_or(Error::bug("the new account vanished"))?;
        let token = identity.sessions.start(&user).await?;
        tracing::info!(user = %user.id, "invitation accepted");
        Ok(Accepted::SignedIn(token, Box::new(user)))
    }

    /// The practice, if it exists and takes registrations; otherwise "not found", so the
    /// page doesn't say which practices exist.
    pub async fn open_for_registration(&self, slug: &str) -> Result<Practice> {
        let practice = self.cx.store.practice_by_slug(slug).await?.ok_or(Error::NotFound)?;
        if self.cx.store.self_registration(practice.id).await? { Ok(practice) } else { Err(Error::NotFound) }
    }

    /// A person asks for a patient account: a link to finish it is mailed (or, when the
    /// address has an account, a note saying so). The same answer either way.
    pub async fn register(&self, source: IpAddr, practice: &Practice, name: &str, email: &str, lang: Language) -> Result<Result<(), Refused>> {
        let cx = &self.cx;
        if !haven_domain::text::is_one_line(name.trim()) {
            return Ok(Err("text-error-one-line"));
        }
        let Some(name) = haven_domain::text::one_line(name, 1, 120) else {
            return Ok(Err("profile-error-name"));
        };
        let name = name.as_str();
        let Ok(email) = Email::parse(email) else {
            return Ok(Err("invite-error-email"));
        };
        if !throttle::registration(cx, source, email.as_str()).await? {
            return Ok(Ok(()));
        }
        let now = cx.now();
        if cx.store.user_by_email(&email).await?.is_some() {
            let mail = Mail {
                calendar: None,
                to: email.to_string(),
                subject: translate(lang, "mail-exists-subject", &[]),
                body: translate(lang, "mail-exists-body", &[("link", &cx.links.to("/password-reset"))]),
            };
            cx.store.enqueue(&[cx.queue.mail(mail, now)?], now).await?;
        } else {
            let token = SecretToken::generate();
            let link = cx.links.to(&format!("/invitations/{}", token.reveal()));
            let mail = wording::invitation(lang, email.as_str(), name, &practice.name, &link);
            let invitation = NewInvitation {
                token_hash: token.digest(),
                practice: practice.id,
                email,
                display_name: name.to_owned(),
                role: Role::Patient,
                language: lang,
                invited_by: None,
                expires_at: now.checked_add(REGISTRATION_FOR).map_err(|e| Error::internal("an invitation's end could not be computed", e))?,
            };
            let entry = Entry {
                actor: None,
                practice: Some(practice.id),
                patient: None,
                action: AuditAction::Create,
                category: DataCategory::Account,
                outcome: Outcome::Success,
            };
            let effects = Effects::audit(cx.event_from(source, entry)).with_job(cx.queue.mail(mail, now)?);
            cx.store.create_invitation(&invitation, &effects, now).await?;
        }
        cx.queue.kick();
        Ok(Ok(()))
    }

    /// The practice the admin manages.
    pub fn admin_practice(actor: &Actor) -> Result<PracticeId> {
        actor.user.memberships.iter().find(|(_, r)| *r == Role::Admin).map(|(p, _)| *p).ok_or(Error::Forbidden)
    }

    /// Everyone in the admin's practice, with their roles, second factor and designation.
    pub async fn members(&self, actor: &Actor) -> Result<Vec<Member>> {
        let practice = Self::admin_practice(actor)?;
        let store = &self.cx.store;
        let teams = store.care_teams_in(practice).await?;
        let mut out = Vec::new();
        for user in store.practice_members(practice).await? {
            let mut roles: Vec<Role> = user.memberships.iter().filter(|(p, _)| *p == practice).map(|(_, r)| *r).collect();
            roles.sort();
            out.push(Member {
                totp: store.totp(user.id).await?.is_some(),
                designee: store.is_break_glass_designee(practice, user.id).await?,
                care_team: teams.iter().filter(|(p, _)| *p == user.id).map(|(_, c)| *c).collect(),
                roles,
                user,
            });
        }
        Ok(out)
    }

    /// Records a refused change to someone's account (naming them when they are a patient).
    async fn refuse(&self, actor: &Actor, subject: &User) -> Error {
        let entry = Entry {
            actor: Some(actor.id()),
            practice: None,
            patient: subject.has_role(Role::Patient).then_some(subject.id),
            action: AuditAction::AccessDenied,
            category: DataCategory::Account,
            outcome: Outcome::Denied,
        };
        match self.cx.record(actor, entry).await {
            Ok(()) => Error::Forbidden,
            Err(e) => e,
        }
    }

    /// A member of the admin's practice; anyone else's account is refused (and the attempt
    /// audited), the same as a route they may not use.
    pub async fn member(&self, actor: &Actor, id: UserId) -> Result<(PracticeId, User)> {
        let practice = Self::admin_practice(actor)?;
        let user = self.cx.store.user(id).await?.ok_or(Error::NotFound)?;
        if user.memberships.iter().any(|(p, _)| *p == practice) { Ok((practice, user)) } else { Err(self.refuse(actor, &user).await) }
    }

    /// Deactivates or reactivates an account; deactivation ends every session at once (the
    /// caller also closes the person's sockets everywhere). An admin can't lock themselves out.
    pub async fn set_active(&self, actor: &Actor, id: UserId, active: bool) -> Result<UserId> {
        let (practice, user) = self.member(actor, id).await?;
        if user.id == actor.id() {
            return Err(self.refuse(actor, &user).await);
        }
        self.cx.store.set_active(user.id, active).await?;
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: user.has_role(Role::Patient).then_some(user.id),
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        self.cx.record(actor, entry).await?;
        tracing::info!(user = %user.id, active, "account activation changed");
        Ok(user.id)
    }

    /// Puts a clinician of the practice on a patient's care team (`on`) or takes them off:
    /// who reads the patient's chart and messages. Anything else is refused and audited.
    pub async fn set_care_team(&self, actor: &Actor, patient: UserId, clinician: UserId, on: bool) -> Result<()> {
        let (practice, user) = self.member(actor, patient).await?;
        if !user.memberships.contains(&(practice, Role::Patient)) {
            return Err(self.refuse(actor, &user).await);
        }
        let (_, colleague) = self.member(actor, clinician).await?;
        if !colleague.memberships.contains(&(practice, Role::Clinician)) {
            return Err(self.refuse(actor, &colleague).await);
        }
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: Some(user.id),
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        let now = self.cx.now();
        self.cx.store.change_care_team(practice, user.id, colleague.id, on, &Effects::audit(self.cx.event(actor, entry)), now).await?;
        Ok(())
    }

    /// Lets a staff member of the practice use break-glass.
    pub async fn allow_break_glass(&self, actor: &Actor, id: UserId) -> Result<()> {
        let (practice, user) = self.member(actor, id).await?;
        if !user.memberships.iter().any(|(p, r)| *p == practice && r.is_staff()) {
            return Err(self.refuse(actor, &user).await);
        }
        let entry = Entry {
            actor: Some(actor.id()),
            practice: Some(practice),
            patient: None,
            action: AuditAction::PermissionChange,
            category: DataCategory::Account,
            outcome: Outcome::Success,
        };
        self.cx.store.designate_break_glass(practice, user.id, &self.cx.event(actor, entry), self.cx.now()).await?;
        Ok(())
    }
}
