//! Patient charts for clinicians: who may open one is decided by
//! `haven_domain::access::chart_access`; every open, every note and every refusal is
//! audited, with the patient named. Emergency ("break-glass") access outside one's care
//! team is only for people the practice designated, with a reason and the password again;
//! it lasts an hour, writes its own audit entry, and alerts the practice's admins by mail in
//! the same transaction.

use haven_domain::access::{ChartAccess, ChartFacts, MIN_REASON_CHARS, chart_access};
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::{Language, PracticeId, Role, UserId};
use haven_store::{Effects, NewGrant, NewNote, User};
use jiff::{SignedDuration, Timestamp};

use crate::actor::Actor;
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::mail::Mail;

const MAX_NOTE_CHARS: usize = 20_000;
const GLASS_LASTS: SignedDuration = SignedDuration::from_hours(1);

/// A chart the viewer asked for, and what they may do with it.
#[derive(Debug, Clone)]
pub struct Chart {
    pub patient: User,
    pub practice: PracticeId,
    pub access: ChartAccess,
    /// Set when access is by break-glass: when it ends.
    pub glass_until: Option<Timestamp>,
    pub designee: bool,
}

/// A note as the chart shows it.
pub struct Note {
    pub author: String,
    pub at: Timestamp,
    pub body: String,
}

/// What asking for break-glass came to.
pub enum Glass {
    /// Already allowed (care team, or a live grant): nothing to do.
    NotNeeded,
    Granted,
    /// A translated message's key: a reason too short, or a wrong password.
    Problem(&'static str),
    WrongPassword,
}

pub struct Charts {
    cx: Ctx,
}

fn entry(actor: &Actor, chart: &Chart, action: AuditAction) -> Entry {
    Entry::about(actor, Some(chart.practice), chart.patient.id, DataCategory::Clinical, action)
}

impl Charts {
    #[must_use]
    pub fn new(cx: Ctx) -> Self {
        Self { cx }
    }

    /// The chart of patient `id` and what `actor` may do with it; a person who isn't a
    /// patient is not found.
    pub async fn open(&self, actor: &Actor, id: UserId) -> Result<Chart> {
        let store = &self.cx.store;
        let patient = store.user(id).await?.ok_or(Error::NotFound)?;
        let practice = patient.memberships.iter().find(|(_, r)| *r == Role::Patient).map(|(p, _)| *p).ok_or(Error::NotFound)?;
        let clinician_in_practice = actor.is(practice, Role::Clinician);
        let on_care_team = clinician_in_practice && store.is_on_care_team(patient.id, actor.id()).await?;
        let glass_until = store.live_break_glass(actor.id(), patient.id, self.cx.now()).await?;
        let access = chart_access(ChartFacts { clinician_in_practice, on_care_team, break_glass_grant: glass_until.is_some() });
        let designee = store.is_break_glass_designee(practice, actor.id()).await?;
        Ok(Chart { patient, practice, access, glass_until: glass_until.filter(|_| access == ChartAccess::BreakGlass), designee })
    }

    /// The patients whose charts a clinician looks after, by name. Seeing a name in the list
    /// is a read of that record: each one is audited, all in one transaction.
    pub async fn my_patients(&self, actor: &Actor) -> Result<Vec<haven_store::PatientSummary>> {
        if !actor.has_role(Role::Clinician) {
            return Ok(Vec::new());
        }
        let listed = self.cx.store.care_team_patients(actor.id()).await?;
        let entries = listed
            .iter()
            .map(|p| Entry {
                actor: Some(actor.id()),
                practice: None,
                patient: Some(p.id),
                action: AuditAction::Read,
                category: DataCategory::Demographics,
                outcome: haven_domain::audit::Outcome::Success,
            })
            .collect();
        self.cx.record_all(actor, entries).await?;
        Ok(listed)
    }

    /// Records an access to the chart (or its refusal).
    pub async fn record(&self, actor: &Actor, chart: &Chart, action: AuditAction) -> Result<()> {
        self.cx.record(actor, entry(actor, chart, action)).await
    }

    /// Records the opening: a read, or a break-glass read; a refusal when denied.
    pub async fn record_open(&self, actor: &Actor, chart: &Chart) -> Result<()> {
        let action = match chart.access {
            ChartAccess::Denied => AuditAction::AccessDenied,
            ChartAccess::BreakGlass => AuditAction::BreakGlass,
            ChartAccess::CareTeam => AuditAction::Read,
        };
        self.record(actor, chart, action).await
    }

    /// The chart's notes, newest first, opened.
    pub async fn notes(&self, chart: &Chart) -> Result<Vec<Note>> {
        let mut out = Vec::new();
        for note in self.cx.store.notes_of(chart.patient.id).await? {
            let body = self.cx.open_text(&format!("notes.body:{}", note.id), &note.sealed_body)?;
            out.push(Note { author: note.author_name, at: note.created_at, body });
        }
        Ok(out)
    }

    pub async fn care_team(&self, chart: &Chart) -> Result<Vec<String>> {
        Ok(self.cx.store.care_team_of(chart.patient.id).await?)
    }

    /// Adds a progress note (sealed at rest) with its audit entry. `Err(key)` for text to fix.
    pub async fn add_note(&self, actor: &Actor, chart: &Chart, body: &str) -> Result<Result<(), &'static str>> {
        if chart.access == ChartAccess::Denied {
            return Err(Error::Forbidden);
        }
        let body = body.trim();
        if body.is_empty() {
            return Ok(Err("note-error-empty"));
        }
        if body.chars().count() > MAX_NOTE_CHARS {
            return Ok(Err("note-error-long"));
        }
        let id = uuid::Uuid::now_v7();
        let note = NewNote {
            id,
            practice: chart.practice,
            patient: chart.patient.id,
            author: actor.id(),
            sealed_body: self.cx.seal(&format!("notes.body:{id}"), body.as_bytes()),
        };
        self.cx.store.add_note(&note, &self.cx.event(actor, entry(actor, chart, AuditAction::Create)), self.cx.now()).await?;
        Ok(Ok(()))
    }

    /// Emergency access for a designated person, with a reason and their password again.
    pub async fn break_glass(&self, identity: &Identity, actor: &Actor, chart: &Chart, reason: &str, password: String) -> Result<Glass> {
        let cx = &self.cx;
        if chart.access != ChartAccess::Denied {
            return Ok(Glass::NotNeeded);
        }
        if !chart.designee {
            self.record(actor, chart, AuditAction::AccessDenied).await?;
            return Err(Error::Forbidden);
        }
        let reason = reason.trim();
        if reason.chars().count() < MIN_REASON_CHARS {
            return Ok(Glass::Problem("glass-error-reason"));
        }
        if !identity.password_matches(actor.id(), password).await? {
            return Ok(Glass::WrongPassword);
        }
        let now = cx.now();
        let id = uuid::Uuid::now_v7();
        let grant = NewGrant {
            id,
            practice: chart.practice,
            user: actor.id(),
            patient: chart.patient.id,
            sealed_reason: cx.seal(&format!("break_glass_grants.reason:{id}"), reason.as_bytes()),
            expires_at: now.checked_add(GLASS_LASTS).map_err(|e| Error::internal("a grant's end could not be computed", e))?,
        };
        let mut effects = Effects::audit(cx.event(actor, entry(actor, chart, AuditAction::BreakGlass)));
        // The alert names who and when, never the patient or the reason: admins read those in
        // the audit trail, behind their own sign-in.
        let who = actor.user.display_name.clone();
        let link = cx.links.to("/admin/audit");
        for (email, language) in cx.store.practice_admins(chart.practice).await? {
            let lang = Language::from_tag(&language).unwrap_or_default();
            let mail = Mail {
                calendar: None,
                to: email,
                subject: crate::mail::worded(lang, "mail-glass-subject", &[]),
                body: crate::mail::worded(lang, "mail-glass-body", &[("name", &who), ("link", &link)]),
            };
            effects.jobs.push(cx.queue.mail(mail, now)?);
        }
        cx.store.grant_break_glass(&grant, &effects, now).await?;
        cx.queue.kick();
        tracing::warn!(user = %actor.id(), "break-glass access granted");
        Ok(Glass::Granted)
    }
}
